/// What a single cell or the header says, before any arithmetic:
/// - `header-mismatch` (warning): a header cell that differs from the template's text;
/// - `not-a-number` (error): a value cell that is neither a number nor a marker;
/// - `marker-conflict`: a marker (“-” 未安排任务, “无” 未开展) in 累计完成 or in a ratio's numerator or
///   denominator while the progress column (占全年任务) holds a figure (error); and every “无” (info),
///   since the footnote asks for the reason to be sent with the table;
/// - `decimals` (warning): more decimals than the footnote allows (占全年任务数最多保留小数点后两位).
///   Canonical values drop trailing zeros, so only figures typed with more places show (56.245).
enum CellRules {
    /// The measure the issue names for a unit's progress so far; a marker there leaves nothing to
    /// express as a share of the year's task.
    static let cumulativeMeasure = "累计完成"

    static func check(_ table: RuleTable) -> [Finding] {
        header(table) + notANumber(table) + markers(table) + decimals(table)
    }

    static func header(_ table: RuleTable) -> [Finding] {
        table.reading.header.differences.map { difference in
            let expected = difference.expected.replacingOccurrences(of: "\n", with: "")
            let actual = difference.actual.replacingOccurrences(of: "\n", with: "")
            return Finding(rule: .headerMismatch, severity: .warning, file: table.file, sheet: table.sheet,
                           cell: difference.cell.description, expected: expected, actual: actual,
                           message: actual.isEmpty
                               ? "表头单元格应为“\(expected)”，实为空白，请按模板 \(table.template.id)（\(table.template.name)）填写表头。"
                               : "表头单元格应为“\(expected)”，实为“\(actual)”，请按模板 \(table.template.id)（\(table.template.name)）的表头填写。")
        }
    }

    static func notANumber(_ table: RuleTable) -> [Finding] {
        var findings: [Finding] = []
        for row in table.rows {
            for column in table.columns {
                guard let cell = row.cells[column.index], cell.status == .invalid else { continue }
                findings.append(table.finding(
                    .notANumber, .error, row: row, column: column, expected: "", actual: cell.value,
                    message: "“\(cell.value)”不是数字，请填写数字，或“-”（未安排任务）、“无”（未开展相关业务）。"))
            }
        }
        return findings
    }

    static func markers(_ table: RuleTable) -> [Finding] {
        let rules = table.template.rules
        var progress = Set((rules.ratios ?? []).map(\.result))
        if let measure = rules.behindSchedule?.measure { progress.insert(measure) }
        var sources = Set((rules.ratios ?? []).flatMap { [$0.numerator, $0.denominator] })
        sources.insert(cumulativeMeasure)
        var findings: [Finding] = []
        for row in table.rows {
            for column in table.columns {
                guard let cell = row.cells[column.index] else { continue }
                if cell.status == .notCarriedOut {
                    findings.append(table.finding(
                        .markerConflict, .info, row: row, column: column, expected: "", actual: cell.value,
                        message: "\(row.key.unit) \(RuleTable.label(column)) 填“无”（未开展相关业务），请将未开展原因随表一并报送。"))
                }
                guard progress.contains(column.measure), let figure = cell.decimal else { continue }
                let markers = table.columns.filter { $0.indicator == column.indicator && sources.contains($0.measure) }
                    .compactMap { source -> (RuleTable.Column, Observation)? in
                        guard let other = row.cells[source.index],
                              other.status == .notAssigned || other.status == .notCarriedOut else { return nil }
                        return (source, other)
                    }
                guard let (source, marker) = markers.first else { continue }
                let meaning = marker.status == .notAssigned ? "未安排任务" : "未开展相关业务"
                findings.append(table.finding(
                    .markerConflict, .error, row: row, column: column, expected: marker.value,
                    actual: figure.description,
                    message: "\(row.key.unit) \(column.indicator) 的\(source.measure)填“\(marker.value)”（\(meaning)），\(column.measure)却为 \(RuleTable.show(figure, column))，请统一：要么填实际数，要么\(column.measure)也填“\(marker.value)”。"))
            }
        }
        return findings
    }

    static func decimals(_ table: RuleTable) -> [Finding] {
        guard let rule = table.template.rules.decimals else { return [] }
        let measures = rule.measures
        let indicators = rule.indicators.map { Set($0.map(RuleTable.normalizedPath)) }
        var findings: [Finding] = []
        for column in table.columns {
            let selected = (measures == nil && indicators == nil)
                || measures?.contains(column.measure) == true
                || indicators?.contains(RuleTable.normalizedPath(column.indicator)) == true
            guard selected else { continue }
            for row in table.rows {
                guard let figure = row.cells[column.index]?.decimal, figure.decimalPlaces > rule.places else { continue }
                let rounded = figure.rounded(places: rule.places).normalized
                findings.append(table.finding(
                    .decimals, .warning, row: row, column: column, expected: rounded.description,
                    actual: figure.description,
                    message: "\(row.key.unit) \(RuleTable.label(column)) 为 \(RuleTable.show(figure, column))，有 \(figure.decimalPlaces) 位小数，表注要求最多保留 \(rule.places) 位，请四舍五入为 \(RuleTable.show(rounded, column))。"))
            }
        }
        return findings
    }
}
