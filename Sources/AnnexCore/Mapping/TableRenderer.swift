import Foundation

/// Renders canonical observations as the official annex: title lines, the merged multi-level
/// header with its diagonal corner cell, rows in template order, footnotes, fonts, borders,
/// number formats, column widths and an A4 landscape page one page wide.
public enum TableRenderer {
    public struct Options: Sendable {
        /// Fill missing totals and ratios from the parts (`--compute`), exactly, rounded half up.
        public var compute: Bool
        /// The period of the title lines when no observation gives one (a blank layout).
        public var period: String?
        /// With `compute`: annual targets for 占全年任务 where the layout has no 目标任务 column.
        public var targets: AnnualTargets?
        /// Only these rows of a layout with fixed unit rows, in the layout's order (a blank return
        /// for some units); nil for all.
        public var units: Set<String>?
        public init(compute: Bool = false, period: String? = nil, targets: AnnualTargets? = nil, units: Set<String>? = nil) {
            self.compute = compute
            self.period = period
            self.targets = targets
            self.units = units
        }
    }

    /// One sheet in the template's layout. Throws when an observation has no place in the layout.
    public static func render(_ observations: [Observation], template: Template, options: Options = Options()) throws -> Sheet {
        guard template.kind == .table, let header = template.header else {
            throw AnnexError(file: template.id, reason: "模板 \(template.id) 不是表格格式，不能按表格输出")
        }
        let periods = Set(observations.map(\.period))
        guard periods.count <= 1 else {
            throw AnnexError(file: template.id, reason: "数据含多个统计期（\(periods.sorted().joined(separator: "、"))），一张附件只能有一个统计期")
        }
        let period = periods.first ?? options.period ?? ""
        let columns = template.valueColumns
        let width = template.headerWidth
        let keyCount = template.keyColumns.count
        var values = Dictionary(observations.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let units = try unitOrder(observations, template: template).filter { options.units?.contains($0.unit) ?? true }
        try checkFit(observations, template: template, columns: columns, period: period, units: units)
        if options.compute {
            compute(&values, template: template, columns: columns, period: period, units: units.map(\.unit))
            if let targets = options.targets {
                computeFromTargets(&values, targets: targets, template: template, columns: columns, period: period,
                                   units: units.map(\.unit))
            }
        }

        var cells: [Cell] = []
        var merged: [CellRange] = []
        var layout = SheetLayout()
        var row = 0
        let lastColumn = width - 1
        // Title, period, units and department lines, each across the table.
        for line in template.lines {
            let text = fillLine(line.text, period: period, observations: observations)
            let style: CellStyle
            switch line.role {
            case "title":
                style = CellStyle(font: .init(name: "黑体", size: 16, bold: true), alignment: .init(horizontal: .center, vertical: .center, wrapText: true))
                layout.rowHeights[row] = 36
            case "units", "department":
                style = CellStyle(font: .init(name: "宋体", size: 10), alignment: .init(horizontal: .left, vertical: .center))
            default:
                style = CellStyle(font: .init(name: "宋体", size: 11), alignment: .init(horizontal: .center, vertical: .center))
            }
            cells.append(Cell(reference: .init(row: row, column: 0), value: .string(text), style: style))
            if lastColumn > 0 { merged.append(CellRange(first: .init(row: row, column: 0), last: .init(row: row, column: lastColumn))) }
            row += 1
        }
        // The header block: every cell bordered, merged over its span; the corner cell's diagonal.
        let headerTop = row
        let headerStyle = CellStyle(font: .init(name: "宋体", size: 10, bold: true), border: .all(.thin),
                                    alignment: .init(horizontal: .center, vertical: .center, wrapText: true))
        var headerCells: [CellReference: Cell] = [:]
        for cell in header.cells {
            guard let range = CellRange(cell.range) else { continue }
            var style = headerStyle
            if cell.corner == true {
                style.border.diagonalDown = .thin
                style.alignment.horizontal = .general
            }
            let first = CellReference(row: headerTop + range.first.row, column: range.first.column)
            let last = CellReference(row: headerTop + range.last.row, column: range.last.column)
            for r in first.row...last.row {
                for c in first.column...last.column {
                    let reference = CellReference(row: r, column: c)
                    // Covered cells carry the border so the printed grid is closed, but no text.
                    headerCells[reference] = Cell(reference: reference, value: .string(reference == first ? fill(cell.text, period: period) : ""), style: style)
                }
            }
            if first != last { merged.append(CellRange(first: first, last: last)) }
        }
        cells += headerCells.values.sorted { $0.reference < $1.reference }
        row += header.rows
        for r in headerTop..<row { layout.rowHeights[r] = 30 }
        if let numbers = header.numberRow {
            for (column, text) in numbers.enumerated() {
                cells.append(Cell(reference: .init(row: row, column: column), value: .string(text), style: headerStyle))
            }
            row += 1
        }
        let firstDataRow = row
        // Data rows.
        let keyStyle = CellStyle(font: .init(name: "宋体", size: 10), border: .all(.thin),
                                 alignment: .init(horizontal: .center, vertical: .center, wrapText: true))
        let valueStyle = CellStyle(font: .init(name: "宋体", size: 10), border: .all(.thin),
                                   alignment: .init(horizontal: .right, vertical: .center))
        let markerStyle = CellStyle(font: .init(name: "宋体", size: 10), border: .all(.thin),
                                    alignment: .init(horizontal: .center, vertical: .center))
        for unit in units {
            for (index, key) in template.keyColumns.enumerated() {
                let text: String
                switch key.role {
                case .unit: text = unit.unit
                case .code: text = unit.isCode ? printedCode(unit.unit, scheme: template.codes) : ""
                case .name: text = unit.name
                }
                cells.append(Cell(reference: .init(row: row, column: index), value: .string(text), style: keyStyle))
            }
            for column in columns {
                let key = Observation.Key(unit: unit.unit, indicator: fill(column.indicator, period: period), measure: column.measure)
                let reference = CellReference(row: row, column: column.column)
                cells.append(cell(for: values[key], column: column, at: reference, valueStyle: valueStyle, markerStyle: markerStyle))
            }
            row += 1
        }
        // Footnotes under the table.
        for footnote in template.footnotes {
            cells.append(Cell(reference: .init(row: row, column: 0), value: .string(footnote),
                              style: CellStyle(font: .init(name: "宋体", size: 10), alignment: .init(horizontal: .left, vertical: .top, wrapText: true))))
            if lastColumn > 0 { merged.append(CellRange(first: .init(row: row, column: 0), last: .init(row: row, column: lastColumn))) }
            layout.rowHeights[row] = 28
            row += 1
        }
        for column in 0..<width {
            if column < keyCount {
                layout.columnWidths[column] = template.keyColumns[column].role == .name ? 30 : (keyCount > 1 ? 12 : 13)
            } else {
                layout.columnWidths[column] = 10
            }
        }
        layout.freezeAt = CellReference(row: firstDataRow, column: keyCount)
        layout.page = PageSetup(orientation: .landscape, paperSize: 9, fitToWidth: 1, repeatRows: headerTop...(firstDataRow - 1))
        return Sheet(name: template.name, cells: cells, merged: merged, layout: layout)
    }

    struct RowUnit {
        var unit: String
        var name: String
        var isCode: Bool
    }

    /// Units in the template's printed order; budget codes in hierarchy order (合计 first, then
    /// codes sorted as text, which puts 205 before 20501 before 2050101 before 20502).
    static func unitOrder(_ observations: [Observation], template: Template) throws -> [RowUnit] {
        if let order = template.rows?.order {
            return order.map { RowUnit(unit: $0, name: $0, isCode: false) }
        }
        var names: [String: String] = [:]
        for observation in observations where names[observation.unit] == nil {
            names[observation.unit] = observation.extra["unit_name"] ?? observation.unit
        }
        let totals = template.rows?.totals ?? []
        let sorted = names.keys.sorted { a, b in
            let ta = totals.firstIndex(of: a), tb = totals.firstIndex(of: b)
            if ta != nil || tb != nil { return (ta ?? Int.max) < (tb ?? Int.max) }
            return a < b
        }
        return sorted.map { RowUnit(unit: $0, name: names[$0] ?? $0, isCode: $0.allSatisfy(\.isNumber)) }
    }

    /// Every observation must have a place: its unit a row, its indicator and measure a column.
    static func checkFit(_ observations: [Observation], template: Template, columns: [ValueColumn], period: String, units: [RowUnit]) throws {
        let places = Set(columns.map { "\(fill($0.indicator, period: period))\u{1}\($0.measure)" })
        let rows = Set(units.map(\.unit))
        var misfits: [String] = []
        for observation in observations {
            if observation.template != template.id {
                misfits.append("模板“\(observation.template)”的观测（\(observation.unit) \(observation.indicator)）")
            } else if !rows.contains(observation.unit) {
                misfits.append("单位“\(observation.unit)”不在模板的行中")
            } else if !places.contains("\(observation.indicator)\u{1}\(observation.measure)") {
                misfits.append("指标“\(observation.indicator)”/“\(observation.measure)”不在模板的列中")
            }
        }
        if !misfits.isEmpty {
            var seen = Set<String>()
            let unique = misfits.filter { seen.insert($0).inserted }
            throw AnnexError(file: template.id, reason: "\(unique.count) 类观测无法放入模板 \(template.id)：" + unique.prefix(8).joined(separator: "；"))
        }
    }

    /// A full code as the layout prints it: 20503 as `03` where the 款 level shows only its segment.
    static func printedCode(_ code: String, scheme: Template.CodeScheme?) -> String {
        guard let scheme else { return code }
        var length = 0
        for (level, segment) in scheme.segments.enumerated() {
            length += segment
            if length == code.count {
                let printedFull = level == 0 || (level < scheme.printed.count && scheme.printed[level] == "full")
                return printedFull ? code : String(code.suffix(segment))
            }
        }
        return code
    }

    static func cell(for observation: Observation?, column: ValueColumn, at reference: CellReference,
                     valueStyle: CellStyle, markerStyle: CellStyle) -> Cell {
        guard let observation else { return Cell(reference: reference, value: .string(""), style: valueStyle) }
        switch observation.status {
        case .value:
            guard let number = ExactDecimal(observation.value) else {
                return Cell(reference: reference, value: .string(observation.value), style: markerStyle)
            }
            // Percent columns print 100.92 as 100.92% from a stored 1.0092.
            let stored = column.isPercent ? number.shifted(by: -2) : number
            let format = column.format == "General" ? nil : column.format
            return Cell(reference: reference, value: .number(stored.normalized.description), numberFormat: format, style: valueStyle)
        case .notAssigned:
            return Cell(reference: reference, value: .string("-"), style: markerStyle)
        case .notCarriedOut:
            return Cell(reference: reference, value: .string("无"), style: markerStyle)
        case .empty:
            return Cell(reference: reference, value: .string(""), style: valueStyle)
        case .invalid:
            return Cell(reference: reference, value: .string(observation.value), style: markerStyle)
        }
    }

    static func fill(_ text: String, period: String) -> String {
        TableReader.fill(text, period: period)
    }

    static func fillLine(_ text: String, period: String, observations: [Observation]) -> String {
        let parts = period.split(separator: "-")
        var result = text.replacingOccurrences(of: "{year}", with: parts.first.map(String.init) ?? "")
        result = result.replacingOccurrences(of: "{month}", with: parts.count > 1 ? String(Int(parts[1]) ?? 0) : "")
        let department = observations.first { $0.extra["department"] != nil }
        result = result.replacingOccurrences(of: "{deptCode}", with: department?.extra["department"] ?? "")
        result = result.replacingOccurrences(of: "{deptName}", with: department?.extra["department_name"] ?? "")
        return result.replacingOccurrences(of: "[]", with: "")
    }

    /// `--compute`: a missing total is the sum of the other rows (additive columns only); a missing
    /// ratio is numerator / denominator × scale, rounded half up to two places.
    static func compute(_ values: inout [Observation.Key: Observation], template: Template, columns: [ValueColumn],
                        period: String, units: [String]) {
        let rules = template.rules
        let totals = Set(template.rows?.totals ?? [])
        let nonAdditiveMeasures = Set(rules.nonAdditive?.measures ?? [])
        let nonAdditiveIndicators = Set(rules.nonAdditive?.indicators ?? [])
        let sample = values.values.first
        func make(_ unit: String, _ column: ValueColumn, _ value: ExactDecimal) -> Observation {
            computed(unit, column, value, template: template, period: period, like: sample)
        }
        if rules.columnTotals == true {
            for column in columns where !nonAdditiveMeasures.contains(column.measure) && !nonAdditiveIndicators.contains(column.indicator) {
                for total in totals {
                    let key = Observation.Key(unit: total, indicator: fill(column.indicator, period: period), measure: column.measure)
                    guard values[key] == nil || values[key]!.status == .empty else { continue }
                    let parts = units.filter { !totals.contains($0) }.compactMap {
                        values[Observation.Key(unit: $0, indicator: key.indicator, measure: column.measure)]?.decimal
                    }
                    guard !parts.isEmpty else { continue }
                    values[key] = make(total, column, parts.reduce(.zero, +))
                }
            }
        }
        for ratio in rules.ratios ?? [] {
            for column in columns where column.measure == ratio.result {
                let indicator = fill(column.indicator, period: period)
                for unit in units {
                    let key = Observation.Key(unit: unit, indicator: indicator, measure: ratio.result)
                    guard values[key] == nil || values[key]!.status == .empty,
                          let numerator = values[.init(unit: unit, indicator: indicator, measure: ratio.numerator)]?.decimal,
                          let denominator = values[.init(unit: unit, indicator: indicator, measure: ratio.denominator)]?.decimal,
                          let result = (numerator * ExactDecimal(ratio.scale ?? 100)).divided(by: denominator, places: 2)
                    else { continue }
                    values[key] = make(unit, column, result)
                }
            }
        }
    }

    /// With `--targets`: a missing 占全年任务 of a column whose layout prints no 目标任务 beside it is
    /// 累计完成 ÷ the unit's annual target × 100, rounded half up to two places (全市 after its
    /// 累计完成 total is computed). Columns without a target stay empty.
    static func computeFromTargets(_ values: inout [Observation.Key: Observation], targets: AnnualTargets, template: Template,
                                   columns: [ValueColumn], period: String, units: [String]) {
        let sample = values.values.first
        for column in columns where column.measure == AnnualTargets.resultMeasure
            && AnnualTargets.needed(for: template, indicator: column.indicator) {
            let indicator = fill(column.indicator, period: period)
            for unit in units {
                let key = Observation.Key(unit: unit, indicator: indicator, measure: column.measure)
                guard values[key] == nil || values[key]!.status == .empty,
                      let cumulative = values[.init(unit: unit, indicator: indicator, measure: AnnualTargets.numeratorMeasure)]?.decimal,
                      let (ratio, _) = targets.ratio(unit: unit, indicator: indicator, cumulative: cumulative) else { continue }
                values[key] = computed(unit, column, ratio, template: template, period: period, like: sample)
            }
        }
    }

    /// A computed figure, carrying the department of the table's other observations.
    private static func computed(_ unit: String, _ column: ValueColumn, _ value: ExactDecimal, template: Template,
                                 period: String, like sample: Observation?) -> Observation {
        Observation(template: template.id, period: period, unit: unit, indicator: fill(column.indicator, period: period),
                    measure: column.measure, value: value.normalized.description, status: .value,
                    extra: sample?.extra.filter { ["department", "department_name"].contains($0.key) } ?? [:])
    }
}
