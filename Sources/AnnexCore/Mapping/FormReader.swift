import Foundation

/// Where one instance of a form template sits in a sheet, and how well its fixed texts match.
struct FormMatch {
    /// The sheet cell under the form block's top-left cell (`A1` of the field ranges).
    var origin: CellReference
    var matched: Int
    var total: Int
    var differences: [(cell: CellReference, expected: String, actual: String)]

    var score: Double { total == 0 ? 0 : Double(matched) / Double(total) }
}

/// The fixed texts of a form template at their positions relative to the form block's top-left
/// cell: field labels, `cells` (group labels such as 项目资金 (万元)) and the indicator-table header.
struct FormLayout {
    struct Item {
        var position: CellReference
        var text: String
        var key: String
    }

    struct Field {
        var field: Template.FormField
        var label: CellRange
        var value: CellRange
        var isNumber: Bool
        var below: Bool
    }

    let fields: [Field]
    let fixed: [(range: CellRange, text: String)]
    /// The indicator table's header cells, left to right.
    let header: [(range: CellRange, text: String)]
    /// Every fixed text, for matching.
    let items: [Item]
    /// The positions of the fixed texts by match key: where a cell with that key puts the form's origin.
    let positions: [String: [CellReference]]
    /// The relative row of the indicator-table header; indicator rows follow it.
    let headerRow: Int
    let headerColumn: Int
    let levels: Int
    /// Columns of the form: `width`, or as far as any range reaches.
    let width: Int
    /// The measure of indicator observations: the value column's header (指标值, 目标值).
    let measure: String

    init?(_ template: Template) {
        guard template.kind == .form, let formFields = template.fields, let table = template.indicatorTable,
              let tableRange = CellRange(table.range), table.header.count == table.levels + 1 else { return nil }
        fields = formFields.compactMap { field in
            guard let label = CellRange(field.range), let value = CellRange(field.valueRange) else { return nil }
            return Field(field: field, label: label, value: value, isNumber: field.type == "number",
                         below: field.direction == "below")
        }
        fixed = (template.cells ?? []).compactMap { cell in CellRange(cell.range).map { ($0, cell.text) } }
        header = table.header.enumerated().map { index, text in
            let at = CellReference(row: tableRange.first.row, column: tableRange.first.column + index)
            return (CellRange(first: at, last: at), text)
        }
        headerRow = tableRange.first.row
        headerColumn = tableRange.first.column
        levels = table.levels
        measure = TextFolding.removingWhitespace(table.header[table.levels])
        var items: [Item] = fields.map { Item(position: $0.label.first, text: $0.field.label, key: TextFolding.matchKey($0.field.label)) }
        items += fixed.map { Item(position: $0.range.first, text: $0.text, key: TextFolding.matchKey($0.text)) }
        items += header.map { Item(position: $0.range.first, text: $0.text, key: TextFolding.matchKey($0.text)) }
        self.items = items
        positions = Dictionary(grouping: items, by: \.key).mapValues { $0.map(\.position) }
        let reach = (fields.flatMap { [$0.label.last.column, $0.value.last.column] } + fixed.map(\.range.last.column)
                     + header.map(\.range.last.column)).max() ?? 0
        width = max(template.width ?? 0, reach + 1)
    }

    /// How well the fixed texts read at `origin`.
    func match(at origin: CellReference, in grid: GridIndex) -> FormMatch {
        var matched = 0
        var differences: [(cell: CellReference, expected: String, actual: String)] = []
        for item in items {
            let cell = CellReference(row: origin.row + item.position.row, column: origin.column + item.position.column)
            let actual = grid.text(cell.row, cell.column)
            if TextFolding.matchKey(actual) == item.key {
                matched += 1
            } else {
                differences.append((cell, item.text, actual))
            }
        }
        return FormMatch(origin: origin, matched: matched, total: items.count, differences: differences)
    }

    /// Every placement of the form in the sheet that reaches the acceptance score, top to bottom,
    /// not overlapping; and the best placement found (accepted or not), for messages.
    func find(in grid: GridIndex) -> (accepted: [FormMatch], best: FormMatch?) {
        // Candidate origins: any cell reading as one of the fixed texts, placed where that text belongs.
        var candidates = Set<CellReference>()
        for cell in grid.sheet.cells {
            guard case .string(let text) = cell.value, let relative = positions[TextFolding.matchKey(text)] else { continue }
            for position in relative {
                let row = cell.reference.row - position.row, column = cell.reference.column - position.column
                if row >= 0 && column >= 0 { candidates.insert(CellReference(row: row, column: column)) }
            }
        }
        let matches = candidates.map { match(at: $0, in: grid) }
            .sorted { ($0.matched, -$0.origin.row, -$0.origin.column) > ($1.matched, -$1.origin.row, -$1.origin.column) }
        var accepted: [FormMatch] = []
        let height = headerRow + 1
        for candidate in matches where candidate.score >= HeaderMatch.acceptance {
            if accepted.contains(where: { abs($0.origin.row - candidate.origin.row) < height }) { continue }
            accepted.append(candidate)
        }
        return (accepted.sorted { $0.origin < $1.origin }, matches.first)
    }
}

/// Reads a sheet laid out as a form template (templates/README.md, "Forms") into canonical
/// observations: one per field (indicator = the field's name, measure empty; a number for
/// `type: number`, the text as printed for `type: text`) and one per indicator row (indicator =
/// 一级 / 二级 / 三级, measure = the value column's header, the text as printed: `≥95%` stays).
/// A form printed once per project (`repeat`) is read instance by instance; each observation
/// carries the instance's `instanceKey` field (项目名称) in the extra column `instance`.
///
/// `unit` is group 1 of `unitFrom.pattern` on the `unitFrom` field (`601-南昌市…` → `601`); when the
/// form prints no code (部门整体支出绩效目标表: 部门名称 南昌市人力资源和社会保障局(部门)), the
/// field's text as printed, trimmed. The period is the year of each instance's `({year}年度)` line,
/// else `Options.period`.
public enum FormReader {
    public static func read(_ sheet: Sheet, file: String, template: Template,
                            options: TableReader.Options = .init()) throws -> TableReading {
        let grid = GridIndex(sheet)
        guard let layout = template.prepared.formLayout else {
            throw AnnexError(file: file, reason: "模板 \(template.id) 不是完整的表单模板（缺少 fields 或 indicatorTable）")
        }
        let (accepted, best) = layout.find(in: grid)
        guard !accepted.isEmpty else { throw mismatchError(sheet: sheet, file: file, template: template, best: best) }
        return try read(grid, file: file, template: template, layout: layout, instances: accepted, options: options)
    }

    /// The share of the form's fixed texts found at the best placement (0 when none is found).
    static func recognize(_ template: Template, in grid: GridIndex) -> (accepted: [FormMatch], best: FormMatch?, title: Bool)? {
        guard let layout = template.prepared.formLayout else { return nil }
        let (accepted, best) = layout.find(in: grid)
        let title = accepted.first.map { titleFound(grid, template: template, above: $0.origin.row) } ?? false
        return (accepted, best, title)
    }

    static func mismatchError(sheet: Sheet, file: String, template: Template, best: FormMatch?) -> AnnexError {
        let differing = (best?.differences ?? []).prefix(6)
            .map { "\($0.cell) 应为“\($0.expected)”，实为“\($0.actual)”" }.joined(separator: "；")
        return AnnexError(file: file, location: "工作表“\(sheet.name)”",
                          reason: "表头与模板 \(template.id)（\(template.name)）不符：" + (differing.isEmpty ? "找不到表单的栏目名称" : differing))
    }

    static func read(_ grid: GridIndex, file: String, template: Template, instances: [FormMatch],
                     options: TableReader.Options) throws -> TableReading {
        guard let layout = template.prepared.formLayout else {
            throw AnnexError(file: file, reason: "模板 \(template.id) 不是完整的表单模板（缺少 fields 或 indicatorTable）")
        }
        return try read(grid, file: file, template: template, layout: layout, instances: instances, options: options)
    }

    static func read(_ grid: GridIndex, file: String, template: Template, layout: FormLayout, instances: [FormMatch],
                     options: TableReader.Options) throws -> TableReading {
        let sheetName = grid.sheet.name
        let lines = template.prepared.linePatterns
        var observations: [Observation] = []
        var keys: [TableReading.RowKey] = []
        var firstPeriod: String?
        for (index, instance) in instances.enumerated() {
            let origin = instance.origin
            let previousEnd = index > 0 ? instances[index - 1].origin.row + layout.headerRow : -1
            let top = lines.top(grid, above: origin.row, after: previousEnd)
            let nextTop = index + 1 < instances.count
                ? lines.top(grid, above: instances[index + 1].origin.row, after: origin.row + layout.headerRow)
                : grid.lastRow + 1
            let period = try findPeriod(grid, lines: lines, rows: top..<origin.row, template: template,
                                        options: options, file: file, origin: origin)
            if firstPeriod == nil { firstPeriod = period }

            // Fields.
            var fieldObservations: [(name: String, observation: Observation)] = []
            for field in layout.fields {
                let at = fieldCell(grid, field: field, origin: origin, rows: origin.row..<(origin.row + layout.headerRow))
                let (value, status): (String, Observation.Status)
                if let at {
                    let cell = grid[at.row, at.column]
                    if field.isNumber {
                        let column = ValueColumn(column: 0, indicator: field.field.name, measure: "",
                                                 format: field.field.format ?? template.formats.default)
                        (value, status) = CellInterpretation.interpret(cell, column: column, markers: template.rules.markers)
                    } else {
                        (value, status) = textValue(cell, markers: template.rules.markers)
                    }
                } else {
                    (value, status) = ("", .empty)
                }
                var extra: [String: String] = [:]
                extra["source"] = file
                extra["sheet"] = sheetName
                extra["cell"] = (at ?? CellReference(row: origin.row + field.value.first.row,
                                                     column: origin.column + field.value.first.column)).description
                fieldObservations.append((field.field.name, Observation(
                    template: template.id, period: period, unit: "", indicator: field.field.name, measure: "",
                    value: value, status: status, extra: extra)))
            }
            let byName = Dictionary(fieldObservations.map { ($0.name, $0.observation) }, uniquingKeysWith: { a, _ in a })
            let unit = unitOf(template, fields: byName)
            let instanceName = template.instanceKey.flatMap { byName[$0]?.value }

            // Indicator rows, up to the next instance, a footnote or the end of the sheet.
            var rows: [(parts: [String], cell: CellReference)] = []
            var current = Array(repeating: "", count: layout.levels)
            var row = origin.row + layout.headerRow + 1
            while row < nextTop {
                defer { row += 1 }
                let column0 = origin.column + layout.headerColumn
                let texts = (0...layout.levels).map { grid.text(row, column0 + $0) }
                let blank = texts.allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
                if blank { continue }
                let joined = texts.joined(separator: " ")
                if TableReader.isFootnote(texts[0], template: template) || lines.matches(joined) { break }
                // A level left blank is merged from the row above (一级 over its 二级 rows, 二级 over
                // its 三级 rows), as long as the levels before it are; the last level never is.
                var carried = true
                for level in 0..<layout.levels {
                    let text = TextFolding.removingWhitespace(texts[level])
                    if text.isEmpty && carried && level < layout.levels - 1 { continue }
                    carried = false
                    current[level] = text
                }
                rows.append((current, CellReference(row: row, column: column0 + layout.levels)))
            }

            var extraBase: [String: String] = [:]
            if template.instanceKey != nil { extraBase["instance"] = instanceName ?? "" }
            for (_, var observation) in fieldObservations {
                observation.unit = unit
                observation.extra.merge(extraBase) { a, _ in a }
                observations.append(observation)
            }
            for (parts, cell) in rows {
                let (value, status) = textValue(grid[cell.row, cell.column], markers: template.rules.markers)
                var extra = extraBase
                extra["source"] = file
                extra["sheet"] = sheetName
                extra["cell"] = cell.description
                observations.append(Observation(
                    template: template.id, period: period, unit: unit, indicator: parts.joined(separator: " / "),
                    measure: layout.measure, value: value, status: status, extra: extra))
            }
            keys.append(.init(written: instanceName ?? byName[template.unitFrom?.field ?? ""]?.value ?? unit,
                              unit: unit, cell: origin, resolution: nil))
        }
        let first = instances[0]
        let header = HeaderMatch(templateID: template.id, origin: first.origin, matched: first.matched,
                                 total: first.total, differences: first.differences, headerYear: nil)
        return TableReading(template: template, file: file, sheet: sheetName, period: firstPeriod ?? "",
                            header: header, rows: keys, observations: observations)
    }

    /// The value cell of a field: where the template puts it when the label is in its place; else the
    /// label is looked for in the instance's rows and the value is the next non-empty cell to its
    /// right (or, for `direction: below`, the first non-empty cell of the rows below it).
    static func fieldCell(_ grid: GridIndex, field: FormLayout.Field, origin: CellReference, rows: Range<Int>) -> CellReference? {
        let key = TextFolding.matchKey(field.field.label)
        let labelAt = CellReference(row: origin.row + field.label.first.row, column: origin.column + field.label.first.column)
        if TextFolding.matchKey(grid.text(labelAt.row, labelAt.column)) == key {
            return CellReference(row: origin.row + field.value.first.row, column: origin.column + field.value.first.column)
        }
        for cell in grid.sheet.cells where rows.contains(cell.reference.row) {
            guard TextFolding.matchKey(cell.value.text) == key else { continue }
            let row = cell.reference.row
            if field.below {
                for next in (row + 1)..<max(row + 1, rows.upperBound) {
                    if let found = grid.sheet.cells.first(where: { $0.reference.row == next && !$0.value.text.trimmingCharacters(in: .whitespaces).isEmpty }) {
                        return found.reference
                    }
                }
            } else if let found = grid.sheet.cells.first(where: {
                $0.reference.row == row && $0.reference.column > cell.reference.column
                    && !$0.value.text.trimmingCharacters(in: .whitespaces).isEmpty
            }) {
                return found.reference
            }
            return nil
        }
        return nil
    }

    /// A text cell of a form: kept exactly as printed (`≥95%`, `-12次`, `= 100%`). Only a cell that is
    /// nothing but a dash is the “-” marker (未安排任务), and only “无” alone is 未开展相关业务.
    static func textValue(_ cell: Cell?, markers: Template.Rules.Markers?) -> (value: String, status: Observation.Status) {
        guard let cell else { return ("", .empty) }
        let raw = cell.value.text
        let folded = TextFolding.removingWhitespace(TextFolding.foldingWidth(raw))
        if folded.isEmpty { return ("", .empty) }
        if CellInterpretation.dashes.contains(folded) || markers?.notAssigned.contains(folded) == true { return ("-", .notAssigned) }
        if folded == "无" || markers?.notCarriedOut.contains(folded) == true { return ("无", .notCarriedOut) }
        return (raw, .value)
    }

    /// The department code from the `unitFrom` field (group 1 of its pattern); the field's text,
    /// trimmed, when the pattern does not match (a form that prints the name only).
    static func unitOf(_ template: Template, fields: [String: Observation]) -> String {
        guard let from = template.unitFrom, let observation = fields[from.field], observation.status == .value else { return "" }
        let text = observation.value.trimmingCharacters(in: .whitespacesAndNewlines)
        if let found = TableReader.firstMatch(from.pattern, in: TextFolding.foldingWidth(text)), let code = found.first, !code.isEmpty {
            return code
        }
        return text
    }

    static func titleFound(_ grid: GridIndex, template: Template, above row: Int) -> Bool {
        let lines = template.prepared.linePatterns
        let top = lines.top(grid, above: row, after: -1)
        return (top..<row).contains { lines.isTitle(grid.rowTexts($0).joined(separator: " ")) }
    }

    /// The year of the instance's period line, else any `2024年` above it, else the option.
    static func findPeriod(_ grid: GridIndex, lines: LinePatterns, rows: Range<Int>, template: Template,
                           options: TableReader.Options, file: String, origin: CellReference) throws -> String {
        let texts = rows.map { grid.rowTexts($0).joined(separator: " ") }
        for text in texts {
            if let year = lines.year(in: text) { return period(year: year, template: template, options: options) }
        }
        let folded = TextFolding.foldingWidth(texts.joined(separator: " "))
        if let found = TableReader.firstMatch(#"(\d{4})\s*年"#, in: folded), let year = found.first {
            return period(year: year, template: template, options: options)
        }
        if let period = try options.hints.period(for: template, sheetName: grid.sheet.name, option: options.period) { return period }
        throw AnnexError(file: file, location: "工作表“\(grid.sheet.name)”", cell: "单元格 \(origin)",
                         reason: "表单上方、工作表名、同一工作簿的其他表和文件名中都找不到年度（如“(2024年度)”），请用 --period 指定（YYYY）")
    }

    static func period(year: String, template: Template, options: TableReader.Options) -> String {
        // A monthly form takes the month from the option when its line gives only the year.
        if template.period == .month, let option = options.period, option.hasPrefix(year + "-") { return option }
        return year
    }
}

/// The template's lines (title, period) as patterns over a row's text (`TextFolding.matchKey`);
/// `{year}` reads four digits.
struct LinePatterns {
    private var patterns: [(role: String, regex: NSRegularExpression, yearGroup: Int?)] = []

    init(_ template: Template) {
        for line in template.lines {
            let key = TextFolding.matchKey(line.text)
            var pattern = NSRegularExpression.escapedPattern(for: key)
            var yearGroup: Int?
            var group = 0
            // Placeholders in their order in the line, each one capture group.
            let names = ["year", "month", "deptcode", "deptname"]
                .compactMap { name in key.range(of: "{\(name)}").map { (name, $0.lowerBound) } }
                .sorted { $0.1 < $1.1 }
            for (name, _) in names {
                group += 1
                if name == "year" { yearGroup = group }
                let replacement = switch name {
                case "year": "([0-9]{4})"
                case "month": "([0-9]{1,2})"
                case "deptcode": "([0-9]+)"
                default: "(.+)"
                }
                pattern = pattern.replacingOccurrences(of: "\\{\(name)\\}", with: replacement)
            }
            guard let regex = try? NSRegularExpression(pattern: "^" + pattern + "$") else { continue }
            patterns.append((line.role, regex, yearGroup))
        }
    }

    private func firstMatch(_ text: String) -> (role: String, match: NSTextCheckingResult, key: String, yearGroup: Int?)? {
        let key = TextFolding.matchKey(text)
        guard !key.isEmpty else { return nil }
        for pattern in patterns {
            if let found = pattern.regex.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) {
                return (pattern.role, found, key, pattern.yearGroup)
            }
        }
        return nil
    }

    func matches(_ text: String) -> Bool { firstMatch(text) != nil }

    func isTitle(_ text: String) -> Bool { firstMatch(text)?.role == "title" }

    /// The year a line such as `(2024年度)` gives.
    func year(in text: String) -> String? {
        guard let (_, found, key, group) = firstMatch(text), let group,
              let range = Range(found.range(at: group), in: key) else { return nil }
        return String(key[range])
    }

    /// The first row of the lines printed above a form block at `row`: rows above it that read as
    /// one of the template's lines, or are blank, up to (not including) `after`.
    func top(_ grid: GridIndex, above row: Int, after: Int) -> Int {
        var top = row
        var candidate = row - 1
        while candidate > after && candidate >= 0 && row - candidate <= patterns.count + 3 {
            let text = grid.rowTexts(candidate).joined(separator: " ")
            if TextFolding.removingWhitespace(text).isEmpty {
                candidate -= 1
                continue
            }
            guard matches(text) else { break }
            top = candidate
            candidate -= 1
        }
        return top
    }
}
