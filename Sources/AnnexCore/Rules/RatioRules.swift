/// `ratio-mismatch` (error): 占全年任务 = 累计完成 / 目标任务 × 100, rounded half up to the places the
/// footnote allows (two), wherever the table prints the denominator (template `ratios`). A printed
/// value with more decimals is compared after rounding: its extra places are a `decimals` finding.
enum RatioRules {
    static func check(_ table: RuleTable) -> [Finding] {
        let rules = table.template.rules
        var findings: [Finding] = []
        for ratio in rules.ratios ?? [] {
            let scale = ExactDecimal(ratio.scale ?? 1)
            for indicator in table.indicators {
                guard let result = table.column(indicator: indicator, measure: ratio.result),
                      let numerator = table.column(indicator: indicator, measure: ratio.numerator),
                      let denominator = table.column(indicator: indicator, measure: ratio.denominator) else { continue }
                let places = Self.places(for: result, rules: rules)
                for row in table.rows {
                    guard let printed = row.cells[result.index]?.decimal,
                          let n = row.cells[numerator.index]?.decimal,
                          let d = row.cells[denominator.index]?.decimal,
                          let expected = (n * scale).divided(by: d, places: places) else { continue }
                    let shown = printed.rounded(places: places)
                    if shown == expected { continue }
                    let expectedText = expected.normalized.description
                    let times = ratio.scale.map { $0 == 1 ? "" : " × \($0)" } ?? ""
                    findings.append(table.finding(
                        .ratioMismatch, .error, row: row, column: result, expected: expectedText,
                        actual: printed.description,
                        message: "\(row.key.unit) \(indicator) 的\(ratio.result)应为 \(ratio.numerator) \(RuleTable.show(n, numerator)) ÷ \(ratio.denominator) \(RuleTable.show(d, denominator))\(times) = \(RuleTable.show(expected, result))（四舍五入保留 \(places) 位小数），表中为 \(RuleTable.show(printed, result))，请核对。"))
                }
            }
        }
        return findings
    }

    /// The footnote's places when the `decimals` rule covers the column, else the format's, else two.
    static func places(for column: RuleTable.Column, rules: Template.Rules) -> Int {
        if let decimals = rules.decimals {
            let covered = (decimals.measures == nil && decimals.indicators == nil)
                || decimals.measures?.contains(column.measure) == true
                || decimals.indicators?.contains(where: { RuleTable.normalizedPath($0) == RuleTable.normalizedPath(column.indicator) }) == true
            if covered { return decimals.places }
        }
        return column.formatPlaces > 0 ? column.formatPlaces : 2
    }
}

/// `behind-schedule` (info): a unit whose 占全年任务 is strictly below the time schedule — month/12 of
/// the year, in percent rounded half up to two places (58.33 in July) — per indicator, totals rows
/// excluded: the lists the monthly 通报 prints under 存在的问题.
enum ScheduleRules {
    /// The schedule for a `YYYY-MM` period, in percent; nil for annual tables.
    public static func schedule(period: String) -> ExactDecimal? {
        let parts = period.split(separator: "-")
        guard parts.count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        return ExactDecimal(month * 100).divided(by: ExactDecimal(12), places: 2)
    }

    /// A unit below the schedule: its row, the 占全年任务 column and the printed value.
    struct BehindUnit {
        var row: RuleTable.Row
        var column: RuleTable.Column
        var value: ExactDecimal
    }

    /// The schedule and, in column then row order, every unit whose printed value of the template's
    /// `behindSchedule` measure is below it. `behind-schedule` and the 通报's 存在的问题 lists both
    /// come from here; nil when the template has no such rule or the period is annual.
    static func behindUnits(_ table: RuleTable) -> (schedule: ExactDecimal, units: [BehindUnit])? {
        guard let measure = table.template.rules.behindSchedule?.measure,
              let schedule = schedule(period: table.reading.period) else { return nil }
        var units: [BehindUnit] = []
        for column in table.columns where column.measure == measure {
            for row in table.rows where !row.isTotal {
                guard let value = row.cells[column.index]?.decimal, value < schedule else { continue }
                units.append(BehindUnit(row: row, column: column, value: value))
            }
        }
        return (schedule, units)
    }

    static func check(_ table: RuleTable) -> [Finding] {
        guard let (schedule, units) = behindUnits(table) else { return [] }
        let month = Int(table.reading.period.split(separator: "-").last ?? "") ?? 0
        return units.map { unit in
            table.finding(
                .behindSchedule, .info, row: unit.row, column: unit.column, expected: schedule.description,
                actual: unit.value.description,
                message: "\(unit.row.key.unit) \(unit.column.indicator) \(unit.column.measure) \(unit.value.formatted(places: 2))% 低于时序进度 \(schedule)%（\(month) 月），未能按照进度完成目标任务。")
        }
    }
}
