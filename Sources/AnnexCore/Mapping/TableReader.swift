import Foundation

/// What reading one sheet in a table layout gives: the observations and the facts `annex check` reports.
public struct TableReading: Sendable {
    public struct RowKey: Sendable {
        /// The key as written in the file.
        public var written: String
        /// The canonical unit or full code.
        public var unit: String
        /// The cell of the key.
        public var cell: CellReference
        /// Whether the name was found in the registry, through an alias, or not at all.
        public var resolution: UnitRegistry.Resolution?
    }

    public var template: Template
    public var file: String
    public var sheet: String
    public var period: String
    public var header: HeaderMatch
    public var rows: [RowKey]
    public var observations: [Observation]
}

/// Reads a sheet laid out as a table template into canonical observations (SPEC.md).
public enum TableReader {
    public struct Options: Sendable {
        /// Used when nothing else says which period the sheet is for (`PeriodHints`).
        public var period: String?
        /// Where the period comes from when the title states none.
        public var hints: PeriodHints
        public init(period: String? = nil, hints: PeriodHints = PeriodHints()) {
            self.period = period
            self.hints = hints
        }
    }

    public static func read(_ sheet: Sheet, file: String, template: Template, library: TemplateLibrary,
                            options: Options = Options()) throws -> TableReading {
        let grid = GridIndex(sheet)
        guard let match = HeaderMatch.find(template, in: grid), match.score >= HeaderMatch.acceptance else {
            throw headerError(sheet: sheet, file: file, template: template, grid: grid)
        }
        return try read(grid, file: file, template: template, match: match, library: library, options: options)
    }

    static func headerError(sheet: Sheet, file: String, template: Template, grid: GridIndex) -> AnnexError {
        let match = HeaderMatch.find(template, in: grid)
        let differing = (match?.differences ?? []).prefix(6)
            .map { "\($0.cell) 应为“\($0.expected)”，实为“\($0.actual)”" }.joined(separator: "；")
        return AnnexError(file: file, location: "工作表“\(sheet.name)”",
                          reason: "表头与模板 \(template.id)（\(template.name)）不符：\(differing)")
    }

    static func read(_ grid: GridIndex, file: String, template: Template, match: HeaderMatch,
                     library: TemplateLibrary, options: Options) throws -> TableReading {
        let sheetName = grid.sheet.name
        let period = try findPeriod(grid, template: template, match: match, options: options, file: file)
        let columns = template.valueColumns
        let indicators = columns.map { fill($0.indicator, period: period) }
        let registry = library.registry(for: template)
        let origin = match.origin
        let keyRoles = template.keyColumns.compactMap { key -> (Int, Template.KeyColumn.Role)? in
            guard let reference = CellReference(key.column + "1") else { return nil }
            return (origin.column + reference.column, key.role)
        }
        var row = origin.row + (template.header?.rows ?? 0)
        if isNumberRow(grid, row: row, template: template, origin: origin) { row += 1 }

        // The department a budget table belongs to (`[601]南昌市人力资源和社会保障局`), on every row.
        let lines = LineMatch(template: template, grid: grid, above: origin.row)
        var department: [String: String] = [:]
        if let code = lines.values["deptCode"] { department["department"] = code }
        if let name = lines.values["deptName"] { department["department_name"] = name }
        var observations: [Observation] = []
        var rowKeys: [TableReading.RowKey] = []
        var codes = CodeResolver(scheme: template.codes)
        while row <= grid.lastRow {
            defer { row += 1 }
            let keyTexts = keyRoles.map { (column, role) in (column, role, grid.text(row, column)) }
            let values = columns.map { grid[row, origin.column + $0.column] }
            if isFootnote(keyTexts.first?.2 ?? "", template: template) { break }
            if keyTexts.allSatisfy({ $0.2.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty })
                && values.allSatisfy({ $0 == nil || $0!.value.text.trimmingCharacters(in: .whitespaces).isEmpty }) {
                continue
            }
            // The row's key: a unit name, or a budget code with its subject name.
            var unit = ""
            var written = ""
            var resolution: UnitRegistry.Resolution?
            var extra = department
            let keyCell = CellReference(row: row, column: keyRoles.first?.0 ?? origin.column)
            let codeTexts = keyTexts.filter { $0.1 == .code }.map { TextFolding.removingWhitespace($0.2) }
            let name = keyTexts.first { $0.1 == .name }?.2.trimmingCharacters(in: .whitespacesAndNewlines)
            if let unitText = keyTexts.first(where: { $0.1 == .unit })?.2 {
                written = unitText
                let resolved = registry?.resolve(unitText) ?? .unknown(TextFolding.removingWhitespace(unitText))
                resolution = resolved
                unit = resolved.name
            } else if !codeTexts.isEmpty {
                written = codeTexts.joined(separator: " ")
                if codeTexts.allSatisfy(\.isEmpty) {
                    // A row without a code is keyed by its name: the total row (合计).
                    unit = TextFolding.removingWhitespace(name ?? "")
                    written = unit
                } else {
                    unit = try codes.resolve(codeTexts, file: file, sheet: sheetName, cell: keyCell)
                }
                if let name, !name.isEmpty { extra["unit_name"] = name }
            }
            rowKeys.append(.init(written: written, unit: unit, cell: keyCell, resolution: resolution))
            // The row's provenance once, with room for each observation's cell.
            extra.reserveCapacity(extra.count + 3)
            extra["source"] = file
            extra["sheet"] = sheetName
            for (index, column) in columns.enumerated() {
                let (value, status) = CellInterpretation.interpret(values[index], column: column, markers: template.rules.markers)
                var fields = extra
                fields["cell"] = CellReference(row: row, column: origin.column + column.column).description
                observations.append(Observation(
                    template: template.id, period: period, unit: unit,
                    indicator: indicators[index], measure: column.measure,
                    value: value, status: status, extra: fields))
            }
        }
        return TableReading(template: template, file: file, sheet: sheetName, period: period, header: match,
                            rows: rowKeys, observations: observations)
    }

    /// `{year}` in a header path becomes the period's year, as the sheet prints it.
    static func fill(_ text: String, period: String) -> String {
        text.utf8.contains(UInt8(ascii: "{")) ? text.replacingOccurrences(of: "{year}", with: String(period.prefix(4))) : text
    }

    /// The column-number row under a budget table's header (`**`, `1`, `2`, …).
    static func isNumberRow(_ grid: GridIndex, row: Int, template: Template, origin: CellReference) -> Bool {
        guard let numbers = template.header?.numberRow else { return false }
        let texts = numbers.indices.map { TextFolding.removingWhitespace(grid.text(row, origin.column + $0)) }
        let matches = zip(texts, numbers).filter { $0 == $1 }.count
        return matches * 2 > numbers.count
    }

    /// Lines under a table that end it: 说明/注 footnotes and the signature line of a return
    /// (填表人：…  审核人：…  联系电话：…).
    static let closingWords = ["说明", "注:", "备注", "填表人", "制表人", "填报人", "审核人", "负责人", "单位负责人", "联系电话", "填报日期", "报送日期"]

    static func isFootnote(_ text: String, template: Template) -> Bool {
        let folded = TextFolding.removingWhitespace(TextFolding.foldingWidth(text))
        return closingWords.contains { folded.hasPrefix($0) }
            || (!template.footnotes.isEmpty && template.prepared.footnoteKeys.contains(TextFolding.matchKey(text)))
    }

    /// The period from the lines above the header (`2023年7月`, `2023年1-7月`, `2024年`) or the header
    /// itself (`2024年预算数`); the option only when the sheet says nothing (部门支出总表 prints no year).
    static func findPeriod(_ grid: GridIndex, template: Template, match: HeaderMatch, options: Options,
                           file: String) throws -> String {
        var above: [String] = []
        for row in 0..<match.origin.row { above += grid.rowTexts(row) }
        let text = TextFolding.foldingWidth(above.joined(separator: " "))
        switch template.period {
        case .month:
            if let found = firstMatch(#"(\d{4})\s*年\s*(?:\d{1,2}\s*[-~～至—]\s*)?(\d{1,2})\s*月"#, in: text),
               let month = Int(found[1]), (1...12).contains(month) {
                return found[0] + "-" + (month < 10 ? "0" : "") + String(month)
            }
        case .year:
            if let year = match.headerYear { return year }
            if let found = firstMatch(#"(\d{4})\s*年"#, in: text) { return found[0] }
        }
        if let period = try options.hints.period(for: template, sheetName: grid.sheet.name, option: options.period) { return period }
        throw AnnexError(file: file, location: "工作表“\(grid.sheet.name)”",
                         reason: "标题、工作表名、同一工作簿的其他表和文件名中都找不到统计期（如“2023年7月”），请用 --period 指定（\(template.period == .month ? "YYYY-MM" : "YYYY")）")
    }

    static func firstMatch(_ pattern: String, in text: String) -> [String]? {
        guard let regex = compiled.regex(pattern),
              let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (1..<found.numberOfRanges).compactMap { Range(found.range(at: $0), in: text).map { String(text[$0]) } }
    }

    /// The patterns `firstMatch` has compiled: a few constants and the templates' `unitFrom`, each
    /// used for every sheet read; compiling one costs more than matching it.
    private static let compiled = CompiledPatterns()

    private final class CompiledPatterns: @unchecked Sendable {
        private let lock = NSLock()
        private var regexes: [String: NSRegularExpression?] = [:]

        func regex(_ pattern: String) -> NSRegularExpression? {
            lock.lock()
            defer { lock.unlock() }
            if let known = regexes[pattern] { return known }
            let regex = try? NSRegularExpression(pattern: pattern)
            regexes[pattern] = regex
            return regex
        }
    }
}

/// Full classification codes from the hierarchy as printed: `205` / `03` / `2050302` in one
/// column resolve to `205`, `20503`, `2050302` (templates/README.md, `codes`).
struct CodeResolver {
    let scheme: Template.CodeScheme?
    /// The last full code seen at each level.
    private var current: [String]

    init(scheme: Template.CodeScheme?) {
        self.scheme = scheme
        current = Array(repeating: "", count: scheme?.segments.count ?? 0)
    }

    mutating func resolve(_ texts: [String], file: String, sheet: String, cell: CellReference) throws -> String {
        let written = texts.filter { !$0.isEmpty }
        guard let scheme else { return written.joined() }
        // Separate 类/款/项 columns: the deepest non-empty column gives the level.
        let text = texts.count > 1 ? (written.last ?? "") : written.joined()
        let fail = { (why: String) in
            AnnexError(file: file, location: "工作表“\(sheet)”", cell: "单元格 \(cell)", reason: "科目编码“\(text)”\(why)")
        }
        guard text.allSatisfy(\.isNumber) else { throw fail("不是数字编码") }
        for level in scheme.segments.indices {
            let full = scheme.segments[...level].reduce(0, +)
            let isFull = level == 0 || (level < scheme.printed.count && scheme.printed[level] == "full")
            let expected = isFull ? full : scheme.segments[level]
            guard text.count == expected else { continue }
            let parent = level > 0 ? current[level - 1] : ""
            let code: String
            if isFull {
                if level > 0 && !text.hasPrefix(parent) && !parent.isEmpty {
                    throw fail("不属于上一级编码 \(parent)")
                }
                code = text
            } else {
                guard !parent.isEmpty else { throw fail("前面没有上一级编码") }
                code = parent + text
            }
            current[level] = code
            for deeper in (level + 1)..<current.count { current[deeper] = "" }
            return code
        }
        throw fail("位数不符合编码规则（各级位数 \(scheme.segments.map(String.init).joined(separator: "/"))）")
    }
}
