import Foundation

/// Last month's observations, as the archive's query gives them (provenance `source`, `sheet`, `cell`
/// in `extra`), for the rules that compare months. Loaded before checking, so the rules stay pure.
public struct PriorMonths: Sendable {
    private var byPeriod: [String: [Observation]] = [:]

    public init() {}

    /// The template and period whose figures the month-on-month rules of `readings` compare with.
    public static func needed(for readings: [TableReading]) -> [(template: String, period: String)] {
        var seen: Set<String> = []
        return readings.compactMap { reading in
            guard let rule = reading.template.rules.monthOnMonth,
                  let previous = MonthOnMonthRules.previousPeriod(reading.period, yearStart: rule.yearStart),
                  seen.insert(reading.template.id + "\u{1}" + previous).inserted else { return nil }
            return (reading.template.id, previous)
        }
    }

    /// Fetches every needed template and period with `query` (the archive's).
    public static func load(for readings: [TableReading],
                            query: (_ template: String, _ period: String) throws -> [Observation]) rethrows -> PriorMonths {
        var prior = PriorMonths()
        for (template, period) in needed(for: readings) {
            prior.byPeriod[template + "\u{1}" + period] = try query(template, period)
        }
        return prior
    }

    public mutating func set(_ observations: [Observation], template: String, period: String) {
        byPeriod[template + "\u{1}" + period] = observations
    }

    func observations(template: String, period: String) -> [Observation] {
        byPeriod[template + "\u{1}" + period] ?? []
    }
}

/// With an archive (SPEC.md, "Month on month"), for layouts whose template has `monthOnMonth`:
/// - `month-on-month-mismatch` (error): 本月完成 ≠ this month's 累计完成 − last month's 累计完成 of the
///   same unit and indicator (January with `yearStart: zero`: 本月完成 = 累计完成), on the 本月完成 cell,
///   naming both figures and where last month's came from;
/// - `target-changed` (warning): a 目标任务 that differs from last month's within the same year;
/// - info, once per table: last month not archived at all, or not for some units.
/// Cells holding “-”, “无” or no number on either side are not compared. Exact decimals throughout.
enum MonthOnMonthRules {
    /// The period compared with: the month before, or nil for January when running totals start at zero.
    static func previousPeriod(_ period: String, yearStart: Template.Rules.MonthOnMonth.YearStart) -> String? {
        guard let (year, month) = yearMonth(period) else { return nil }
        if month > 1 { return String(format: "%04d-%02d", year, month - 1) }
        return yearStart == .carried ? String(format: "%04d-12", year - 1) : nil
    }

    static func yearMonth(_ period: String) -> (Int, Int)? {
        let parts = period.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        return (year, month)
    }

    static func check(_ table: RuleTable, prior: PriorMonths) -> [Finding] {
        guard let rule = table.template.rules.monthOnMonth, let (_, month) = yearMonth(table.reading.period) else { return [] }
        let name = "\(table.template.name)（\(table.template.id)）"
        guard let previous = previousPeriod(table.reading.period, yearStart: rule.yearStart) else {
            return january(table, rule: rule)
        }
        let last = prior.observations(template: table.template.id, period: previous)
        if last.isEmpty {
            return [Finding(rule: .monthOnMonthMismatch, severity: .info, file: table.file, sheet: table.sheet,
                            message: "档案库中没有 \(previous) 的\(name)数据，\(rule.flow)未做环比核对；请先用 annex archive add 存入上月的报表。")]
        }
        var lastByCell: [String: Observation] = [:]
        for observation in last {
            lastByCell[key(observation.unit, observation.indicator, observation.measure)] = observation
        }
        let unitsLastMonth = Set(last.map(\.unit))
        var findings: [Finding] = []
        var unitsMissing: [String] = []
        for row in table.rows {
            guard unitsLastMonth.contains(row.key.unit) else {
                // A totals row is archived only when the city's annex was; its absence says nothing.
                if !row.isTotal && row.cells.contains(where: { $0?.decimal != nil }) { unitsMissing.append(row.key.unit) }
                continue
            }
            for indicator in table.indicators {
                if let flow = table.column(indicator: indicator, measure: rule.flow),
                   let total = table.column(indicator: indicator, measure: rule.runningTotal),
                   let finding = flowMismatch(table, row: row, flow: flow, total: total, previous: previous,
                                              last: lastByCell[key(row.key.unit, total.indicator, total.measure)]) {
                    findings.append(finding)
                }
                // 目标任务 is set for a year: compare within the year only (not January with December).
                guard month > 1 else { continue }
                for measure in rule.targets ?? [] {
                    guard let target = table.column(indicator: indicator, measure: measure),
                          let finding = targetChange(table, row: row, target: target, previous: previous,
                                                     last: lastByCell[key(row.key.unit, target.indicator, target.measure)]) else { continue }
                    findings.append(finding)
                }
            }
        }
        if !unitsMissing.isEmpty {
            findings.append(Finding(rule: .monthOnMonthMismatch, severity: .info, file: table.file, sheet: table.sheet,
                                    message: "档案库中没有 \(unitsMissing.joined(separator: "、")) \(previous) 的\(name)数据，这些单位的\(rule.flow)未做环比核对。"))
        }
        return findings
    }

    /// January, running totals starting at zero: 本月完成 = 累计完成.
    static func january(_ table: RuleTable, rule: Template.Rules.MonthOnMonth) -> [Finding] {
        var findings: [Finding] = []
        for indicator in table.indicators {
            guard let flow = table.column(indicator: indicator, measure: rule.flow),
                  let total = table.column(indicator: indicator, measure: rule.runningTotal) else { continue }
            for row in table.rows {
                guard let printed = row.cells[flow.index]?.decimal, let running = row.cells[total.index]?.decimal,
                      printed != running else { continue }
                findings.append(table.finding(
                    .monthOnMonthMismatch, .error, row: row, column: flow, expected: running.normalized.description,
                    actual: printed.normalized.description,
                    message: "\(row.key.unit) \(indicator) 的\(rule.flow)应等于\(rule.runningTotal) \(RuleTable.show(running, total))（1 月从零累计），表中为 \(RuleTable.show(printed, flow))，请核对。"))
            }
        }
        return findings
    }

    static func flowMismatch(_ table: RuleTable, row: RuleTable.Row, flow: RuleTable.Column, total: RuleTable.Column,
                             previous: String, last: Observation?) -> Finding? {
        guard let printed = row.cells[flow.index]?.decimal, let running = row.cells[total.index]?.decimal,
              let last, let lastRunning = last.decimal else { return nil }
        let expected = running - lastRunning
        if printed == expected { return nil }
        return table.finding(
            .monthOnMonthMismatch, .error, row: row, column: flow, expected: expected.normalized.description,
            actual: printed.normalized.description,
            message: "\(row.key.unit) \(flow.indicator) 的\(flow.measure)应为本月\(total.measure) \(RuleTable.show(running, total)) − 上月（\(previous)）\(total.measure) \(RuleTable.show(lastRunning, total)) = \(RuleTable.show(expected, flow))，表中为 \(RuleTable.show(printed, flow))；上月数字来自 \(source(last))。请核对本月的\(flow.measure)和\(total.measure)。")
    }

    static func targetChange(_ table: RuleTable, row: RuleTable.Row, target: RuleTable.Column, previous: String,
                             last: Observation?) -> Finding? {
        guard let now = row.cells[target.index]?.decimal, let last, let before = last.decimal, now != before else { return nil }
        return table.finding(
            .targetChanged, .warning, row: row, column: target, expected: before.normalized.description,
            actual: now.normalized.description,
            message: "\(row.key.unit) \(target.indicator) 的\(target.measure)为 \(RuleTable.show(now, target))，上月（\(previous)）为 \(RuleTable.show(before, target))（来自 \(source(last))）；目标任务在一年之内应当不变，请确认是否调整了任务。")
    }

    /// `f.xlsx 就业培训一!C6`: where an archived figure was read.
    static func source(_ observation: Observation) -> String {
        let place = [observation.extra["sheet"], observation.extra["cell"]].compactMap { $0 }.filter { !$0.isEmpty }
        return ([observation.extra["source"] ?? "档案库"] + [place.joined(separator: "!")]).filter { !$0.isEmpty }.joined(separator: " ")
    }

    static func key(_ unit: String, _ indicator: String, _ measure: String) -> String {
        unit + "\u{1}" + RuleTable.key(indicator, measure)
    }
}
