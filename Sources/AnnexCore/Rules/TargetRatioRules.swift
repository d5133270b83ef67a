/// `ratio-mismatch` (error) with `--targets`: a printed 占全年任务 in a column whose layout has no
/// 目标任务 beside it must be 累计完成 ÷ the unit's annual target × 100, rounded half up to the
/// places the footnote allows. Rows without a target (or without a figure) are not checked.
enum TargetRatioRules {
    static func check(_ table: RuleTable, targets: AnnualTargets) -> [Finding] {
        var findings: [Finding] = []
        for column in table.columns where column.measure == AnnualTargets.resultMeasure {
            let templateColumn = table.template.valueColumns[column.index]
            guard AnnualTargets.needed(for: table.template, indicator: templateColumn.indicator),
                  let numerator = table.column(indicator: column.indicator, measure: AnnualTargets.numeratorMeasure) else { continue }
            let places = RatioRules.places(for: column, rules: table.template.rules)
            for row in table.rows {
                guard let printed = row.cells[column.index]?.decimal,
                      let cumulative = row.cells[numerator.index]?.decimal,
                      let (expected, target) = targets.ratio(unit: row.key.unit, indicator: column.indicator,
                                                             cumulative: cumulative, places: places),
                      printed.rounded(places: places) != expected else { continue }
                findings.append(table.finding(
                    .ratioMismatch, .error, row: row, column: column, expected: expected.normalized.description,
                    actual: printed.description,
                    message: "\(row.key.unit) \(column.indicator) 的占全年任务应为 累计完成 \(RuleTable.show(cumulative, numerator)) ÷ 目标任务 \(target.value.normalized)（\(target.location)）× 100 = \(RuleTable.show(expected, column))（四舍五入保留 \(places) 位小数），表中为 \(RuleTable.show(printed, column))，请核对累计完成或目标任务。"))
            }
        }
        return findings
    }
}
