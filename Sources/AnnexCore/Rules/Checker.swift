/// `annex check`: applies every rule a template declares to the tables read from one or more files,
/// and the cross-table rules between them (SPEC.md, "Findings"; templates/README.md, "Rules block").
///
/// Rule families, one file each: `CellRules` (header-mismatch, not-a-number, marker-conflict,
/// decimals), `UnitRules` (unknown-, duplicate-, missing-unit), `RatioRules` (ratio-mismatch; with annual targets `TargetRatioRules`),
/// `SumRules` (row-sum-, total-, hierarchy-mismatch, with rounding tails as info), `ScheduleRules`
/// (behind-schedule), `CrossTableRules` (cross-table-mismatch), `FormRules` (绩效目标表: fieldSums), and
/// with last month's figures from the archive `MonthOnMonthRules` (month-on-month-mismatch,
/// target-changed). All arithmetic is exact decimal.
public struct Checker: Sendable {
    public init() {}

    /// Findings for the tables, ordered by file and sheet as given, then by cell (row-major; findings
    /// about a whole table after its cells). `priorMonths`: last month's figures (`--archive`); without
    /// them, month on month is not checked. `targets` (`--targets`): 占全年任务 where the layout prints
    /// no 目标任务 is checked against them.
    public func check(_ readings: [TableReading], priorMonths: PriorMonths? = nil, targets: AnnualTargets? = nil) -> [Finding] {
        let tables = readings.filter { $0.template.kind == .table }.map(RuleTable.init)
        var findings: [Finding] = []
        for reading in readings where reading.template.kind == .form {
            findings += CellRules.header(RuleTable(reading))
            findings += FormRules.check(reading)
        }
        for table in tables {
            findings += CellRules.check(table)
            findings += UnitRules.check(table)
            findings += RatioRules.check(table)
            if let targets { findings += TargetRatioRules.check(table, targets: targets) }
            findings += SumRules.check(table)
            findings += ScheduleRules.check(table)
            if let priorMonths { findings += MonthOnMonthRules.check(table, prior: priorMonths) }
        }
        findings += CrossTableRules.check(tables)
        return Self.sorted(findings, readings: readings)
    }

    /// The time schedule (时序进度) of a monthly period in percent: month/12 × 100 rounded half up to
    /// two places (58.33 for July); nil for an annual period.
    public static func schedule(period: String) -> ExactDecimal? {
        ScheduleRules.schedule(period: period)
    }

    static func sorted(_ findings: [Finding], readings: [TableReading]) -> [Finding] {
        var places: [String: Int] = [:]
        for reading in readings {
            let key = reading.file + "\u{1}" + reading.sheet
            if places[key] == nil { places[key] = places.count }
        }
        let rules = Finding.Rule.allCases
        return findings.enumerated().sorted { a, b in
            func key(_ item: (offset: Int, element: Finding)) -> (Int, Int, Int, Int, Int) {
                let finding = item.element
                let table = places[finding.file + "\u{1}" + finding.sheet] ?? Int.max
                let reference = finding.reference
                return (table, reference?.row ?? Int.max, reference?.column ?? Int.max,
                        rules.firstIndex(of: finding.rule) ?? 0, item.offset)
            }
            return key(a) < key(b)
        }.map(\.element)
    }
}
