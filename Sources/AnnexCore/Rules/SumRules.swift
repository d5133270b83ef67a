/// Totals against their parts, evaluated with exact decimals and the footnote's rounding tails
/// (由于四舍五入原因，部分汇总数据与分项加总之和可能存在尾差):
/// - `row-sum-mismatch`: a total column against its parts in the same row (template `rowSums`);
/// - `total-mismatch`: a totals row (全市, 全省, 合计) against the sum of the other rows, or of the
///   first-level codes in a code table (`columnTotals`), additive columns only (`nonAdditive`);
/// - `hierarchy-mismatch`: a budget code against the sum of its direct child codes (`hierarchy`).
///
/// Tolerance: a figure printed with p decimals may be off by half a unit of its last place, so a
/// total of n rounded items may differ from their sum by up to about 10^-p × n. A difference within
/// that is a tail and reported as `info`; more is an `error`. Integer figures (head counts, p = 0)
/// are counted, not rounded: nothing can leave a tail, so their tolerance is 0 and a difference of 1
/// is an error. p is the most decimals among the column's number format and the figures involved.
enum SumRules {
    struct Comparison {
        var sum: ExactDecimal
        var difference: ExactDecimal
        var tolerance: ExactDecimal

        var isExact: Bool { difference == .zero }
        var isTail: Bool { !isExact && difference.magnitude <= tolerance }
        var severity: Finding.Severity { isTail ? .info : .error }
    }

    /// nil when a part or the total is not a figure that can be added.
    static func compare(total: ExactDecimal, parts: [ExactDecimal], formatPlaces: Int) -> Comparison {
        let sum = parts.reduce(ExactDecimal.zero, +)
        let places = ([formatPlaces, total.decimalPlaces] + parts.map(\.decimalPlaces)).max() ?? 0
        let tolerance = places == 0 ? ExactDecimal.zero
            : ExactDecimal(significand: Int128(max(1, parts.count)), scale: places)
        return Comparison(sum: sum.normalized, difference: (total - sum).normalized, tolerance: tolerance)
    }

    static func check(_ table: RuleTable) -> [Finding] {
        rowSums(table) + columnTotals(table) + hierarchy(table)
    }

    // MARK: - rowSums

    static func rowSums(_ table: RuleTable) -> [Finding] {
        var findings: [Finding] = []
        for rule in table.template.rules.rowSums ?? [] {
            // (total column, part columns) pairs: per measure, or named by full path.
            var groups: [(RuleTable.Column, [RuleTable.Column])] = []
            if let measures = rule.measures {
                for measure in measures {
                    guard let total = table.column(indicator: rule.total, measure: measure) else { continue }
                    let parts = rule.parts.compactMap { table.column(indicator: $0, measure: measure) }
                    if parts.count == rule.parts.count { groups.append((total, parts)) }
                }
            } else if let total = table.column(path: rule.total) {
                let parts = rule.parts.compactMap { table.column(path: $0) }
                if parts.count == rule.parts.count { groups.append((total, parts)) }
            }
            for (totalColumn, partColumns) in groups {
                for row in table.rows {
                    guard let totalCell = row.cells[totalColumn.index], let total = totalCell.decimal else { continue }
                    let values = partColumns.map { row.cells[$0.index]?.addend ?? .zero }
                    guard partColumns.allSatisfy({ row.cells[$0.index]?.status != .invalid }) else { continue }
                    let comparison = compare(total: total, parts: values,
                                             formatPlaces: ([totalColumn] + partColumns).map(\.formatPlaces).max() ?? 0)
                    if comparison.isExact { continue }
                    let terms = zip(partColumns, values)
                        .map { "\(partName($0.0, total: totalColumn)) \(RuleTable.show($0.1, $0.0))" }
                        .joined(separator: " + ")
                    findings.append(table.finding(
                        .rowSumMismatch, comparison.severity, row: row, column: totalColumn,
                        expected: comparison.sum.description, actual: total.description,
                        message: message(what: "\(table.rowName(row)) \(RuleTable.label(totalColumn))",
                                         total: RuleTable.show(total, totalColumn),
                                         sumText: "\(terms) = \(RuleTable.show(comparison.sum, totalColumn))",
                                         comparison: comparison, fix: "请核对该行的合计数与各分项")))
                }
            }
        }
        return findings
    }

    /// A part's name without what it shares with the total (same measure → the indicator alone).
    static func partName(_ part: RuleTable.Column, total: RuleTable.Column) -> String {
        part.measure == total.measure && !part.measure.isEmpty && part.indicator != total.indicator ? part.indicator : part.path
    }

    // MARK: - columnTotals

    static func columnTotals(_ table: RuleTable) -> [Finding] {
        guard table.template.rules.columnTotals == true else { return [] }
        let excluded = table.template.rules.nonAdditive
        let totals = table.rows.filter(\.isTotal)
        guard !totals.isEmpty else { return [] }
        let parts = table.isCodeTable ? table.rows.filter { $0.level == 0 } : table.rows.filter { !$0.isTotal }
        guard !parts.isEmpty else { return [] }
        var findings: [Finding] = []
        for column in table.columns {
            if excluded?.measures?.contains(column.measure) == true { continue }
            if excluded?.indicators?.contains(where: { RuleTable.normalizedPath($0) == RuleTable.normalizedPath(column.indicator) }) == true { continue }
            let cells = parts.map { $0.cells[column.index] }
            if cells.contains(where: { $0?.status == .invalid }) { continue }
            let values = cells.map { $0?.addend ?? .zero }
            for row in totals {
                guard let total = row.cells[column.index]?.decimal else { continue }
                let comparison = compare(total: total, parts: values, formatPlaces: column.formatPlaces)
                if comparison.isExact { continue }
                let what = "\(table.rowName(row)) \(RuleTable.label(column))"
                let sum = RuleTable.show(comparison.sum, column)
                let partsText = table.isCodeTable ? "全部 \(parts.count) 个类级科目之和 \(sum)"
                    : "其余 \(parts.count) 个单位之和 \(sum)"
                findings.append(table.finding(
                    .totalMismatch, comparison.severity, row: row, column: column,
                    expected: comparison.sum.description, actual: total.description,
                    message: message(what: what, total: RuleTable.show(total, column), sumText: partsText,
                                     comparison: comparison,
                                     fix: table.isCodeTable ? "请核对合计行与各类级科目" : "请核对\(row.key.unit)数或各单位的数")))
            }
        }
        return findings
    }

    // MARK: - hierarchy

    static func hierarchy(_ table: RuleTable) -> [Finding] {
        guard table.template.rules.hierarchy == true, table.isCodeTable else { return [] }
        let lengths = RuleTable.codeLengths(table.template)
        var findings: [Finding] = []
        for row in table.rows {
            guard let level = row.level, level + 1 < lengths.count else { continue }
            let code = row.key.unit
            let children = table.rows.filter { $0.level == level + 1 && $0.key.unit.hasPrefix(code) }
            guard !children.isEmpty else { continue }
            for column in table.columns {
                guard let total = row.cells[column.index]?.decimal else { continue }
                let cells = children.map { $0.cells[column.index] }
                if cells.contains(where: { $0?.status == .invalid }) { continue }
                let values = cells.map { $0?.addend ?? .zero }
                let comparison = compare(total: total, parts: values, formatPlaces: column.formatPlaces)
                if comparison.isExact { continue }
                let terms = zip(children, values).map { "\($0.0.key.unit) \(RuleTable.show($0.1, column))" }
                    .joined(separator: " + ")
                findings.append(table.finding(
                    .hierarchyMismatch, comparison.severity, row: row, column: column,
                    expected: comparison.sum.description, actual: total.description,
                    message: message(what: "科目 \(code) \(RuleTable.label(column))", total: RuleTable.show(total, column),
                                     sumText: "下级科目 \(terms) = \(RuleTable.show(comparison.sum, column))",
                                     comparison: comparison,
                                     fix: "请核对该科目与其下级科目")))
            }
        }
        return findings
    }

    // MARK: - messages

    static func message(what: String, total: String, sumText: String, comparison: Comparison, fix: String) -> String {
        let difference = (comparison.difference > .zero ? "+" : "") + comparison.difference.description
        if comparison.isTail {
            return "\(what) 为 \(total)，与 \(sumText) 相差 \(difference)，在四舍五入尾差范围内（±\(comparison.tolerance)），可不修改。"
        }
        let beyond = comparison.tolerance == .zero ? "" : "，超出四舍五入尾差（±\(comparison.tolerance)）"
        return "\(what) 为 \(total)，应等于 \(sumText)，相差 \(difference)\(beyond)，\(fix)。"
    }
}
