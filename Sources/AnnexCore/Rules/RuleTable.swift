/// A `TableReading` seen the way the rules need it: rows of cells addressed by (indicator, measure)
/// or by full column path, each row knowing whether it is a totals row and, in code tables, its level.
struct RuleTable {
    struct Column {
        /// Index into a row's cells.
        var index: Int
        /// The header path with `{year}` filled, as observations carry it.
        var indicator: String
        var measure: String
        /// Decimal places the column's number format prints (0 for General).
        var formatPlaces: Int
        var isPercent: Bool

        /// `indicator / measure`, or the indicator alone for a single-level column.
        var path: String { measure.isEmpty ? indicator : indicator + " / " + measure }
    }

    struct Row {
        var key: TableReading.RowKey
        var cells: [Observation?]
        var isTotal: Bool
        /// Code tables: 0 for a first-level code (类), 1 for 款, …; nil for units and 合计.
        var level: Int?
    }

    let reading: TableReading
    let template: Template
    let columns: [Column]
    let rows: [Row]
    private let byKey: [String: Int]

    init(_ reading: TableReading) {
        self.reading = reading
        template = reading.template
        let year = String(reading.period.prefix(4))
        columns = template.valueColumns.enumerated().map { index, column in
            Column(index: index, indicator: column.indicator.replacingOccurrences(of: "{year}", with: year),
                   measure: column.measure, formatPlaces: column.formatPlaces ?? 0, isPercent: column.isPercent)
        }
        var byKey: [String: Int] = [:]
        for column in columns { byKey[Self.key(column.indicator, column.measure)] = column.index }
        self.byKey = byKey

        // Observations come row by row, one per value column; place each by its cell's row.
        var cellsByRow: [Int: [Observation?]] = [:]
        for observation in reading.observations {
            guard let reference = observation.extra["cell"].flatMap({ CellReference($0) }),
                  let column = byKey[Self.key(observation.indicator, observation.measure)] else { continue }
            var cells = cellsByRow[reference.row] ?? Array(repeating: nil, count: columns.count)
            cells[column] = observation
            cellsByRow[reference.row] = cells
        }
        let totals = Set(template.rows?.totals ?? [])
        let isCodes = template.rows?.kind == "codes"
        let levels = Self.codeLengths(template)
        let columnCount = columns.count
        rows = reading.rows.map { key in
            let level = isCodes && key.unit.allSatisfy(\.isNumber) ? levels.firstIndex(of: key.unit.count) : nil
            return Row(key: key, cells: cellsByRow[key.cell.row] ?? Array(repeating: nil, count: columnCount),
                       isTotal: totals.contains(key.unit), level: level)
        }
    }

    var isCodeTable: Bool { template.rows?.kind == "codes" }
    var file: String { reading.file }
    var sheet: String { reading.sheet }

    /// Indicators compare without white space, so `A / B` and `A/B` name the same path.
    static func key(_ indicator: String, _ measure: String) -> String {
        TextFolding.removingWhitespace(indicator) + "\u{1}" + TextFolding.removingWhitespace(measure)
    }

    /// Lengths of a full code at each level (function scheme 3/2/2 → 3, 5, 7).
    static func codeLengths(_ template: Template) -> [Int] {
        var lengths: [Int] = []
        var total = 0
        for segment in template.codes?.segments ?? [] {
            total += segment
            lengths.append(total)
        }
        return lengths
    }

    /// A column by indicator (as a template rule names it: `{year}` allowed) and measure.
    func column(indicator: String, measure: String) -> Column? {
        let filled = indicator.replacingOccurrences(of: "{year}", with: String(reading.period.prefix(4)))
        return byKey[Self.key(filled, measure)].map { columns[$0] }
    }

    /// A column named by its full path (`2024年基本支出 / 合计`, or `合计` for a single-level column);
    /// `{year}` filled from the period, white space ignored.
    func column(path: String) -> Column? {
        let wanted = Self.normalizedPath(path.replacingOccurrences(of: "{year}", with: String(reading.period.prefix(4))))
        return columns.first { Self.normalizedPath($0.path) == wanted }
    }

    static func normalizedPath(_ path: String) -> String {
        TextFolding.removingWhitespace(path)
    }

    /// The distinct indicators, in column order.
    var indicators: [String] {
        var seen: Set<String> = []
        return columns.compactMap { seen.insert($0.indicator).inserted ? $0.indicator : nil }
    }

    /// A finding about one cell of a row.
    func finding(_ rule: Finding.Rule, _ severity: Finding.Severity, row: Row, column: Column,
                 expected: String = "", actual: String = "", message: String) -> Finding {
        let cell = row.cells[column.index]?.extra["cell"]
            ?? CellReference(row: row.key.cell.row, column: reading.header.origin.column + (template.valueColumns[column.index].column)).description
        return Finding(rule: rule, severity: severity, file: file, sheet: sheet, cell: cell, unit: row.key.unit,
                       indicator: column.indicator, measure: column.measure, expected: expected, actual: actual,
                       message: message)
    }

    /// A finding about a row's key cell (the unit or code).
    func finding(_ rule: Finding.Rule, _ severity: Finding.Severity, row: Row, expected: String = "",
                 actual: String = "", message: String) -> Finding {
        Finding(rule: rule, severity: severity, file: file, sheet: sheet, cell: row.key.cell.description,
                unit: row.key.unit, expected: expected, actual: actual, message: message)
    }

    /// The row as messages name it: the unit, or `合计行` / `科目 2050302` in code tables.
    func rowName(_ row: Row) -> String {
        guard isCodeTable else { return row.key.unit }
        return row.level == nil ? "\(row.key.unit)行" : "科目 \(row.key.unit)"
    }

    /// The name people use for a column in messages: `城镇职工基本养老保险 / 在职参保人数 累计完成`.
    static func label(_ column: Column) -> String {
        column.measure.isEmpty ? column.indicator : "\(column.indicator) \(column.measure)"
    }

    /// A value as the column prints it, for messages: the format's decimals (1046.50), `%` for
    /// percent columns. A figure with more decimals than the format shows them all.
    static func show(_ value: ExactDecimal, _ column: Column) -> String {
        show(value, places: column.formatPlaces) + (column.isPercent ? "%" : "")
    }

    static func show(_ value: ExactDecimal, places: Int) -> String {
        places > 0 && value.decimalPlaces <= places ? value.formatted(places: places) : value.normalized.description
    }
}

extension Observation {
    /// A figure for summing: markers and blanks count as zero, invalid text makes the sum unknowable.
    var addend: ExactDecimal? {
        switch status {
        case .value: ExactDecimal(value)
        case .notAssigned, .notCarriedOut, .empty: .zero
        case .invalid: nil
        }
    }
}
