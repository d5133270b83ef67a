import Foundation

/// Annual targets (目标任务) by unit and indicator, taken from `--targets` files: any annex or table
/// that prints a 目标任务 column (社会保险一 states the targets of 社会保险二's 机关事业单位 columns), a
/// table whose template declares what its figures are the targets of (年度全省就业工作目标任务分解表),
/// or a canonical file whose measure is 目标任务. With them, 占全年任务 = 累计完成 ÷ 目标任务 × 100 can be
/// computed and checked in layouts that print no 目标任务 column (SPEC.md, "The monthly cycle").
public struct AnnualTargets: Sendable {
    public struct Target: Sendable, Equatable {
        public var value: ExactDecimal
        /// Where it was read: the file, and the cell when the file is a spreadsheet.
        public var source: String
        public var cell: String

        /// The file, and the cell when there is one.
        public var location: String { cell.isEmpty ? source : "\(source) \(cell)" }
    }

    /// Two `--targets` (files or cells) stating different targets for one unit and indicator: the
    /// first one given is used, the other ignored.
    public struct Disagreement: Sendable {
        public var unit: String
        public var indicator: String
        public var used: Target
        public var ignored: Target

        public var message: String {
            "\(unit) \(indicator) 的目标任务在 --targets 中不一致：\(used.location) 为 \(used.value.normalized)，"
                + "\(ignored.location) 为 \(ignored.value.normalized)；采用先给出的 \(used.location)（\(used.value.normalized)）。"
        }
    }

    /// The ratio a target makes: the measures as the layouts print them.
    public static let resultMeasure = "占全年任务"
    public static let numeratorMeasure = "累计完成"
    public static let targetMeasure = "目标任务"
    static let scale = ExactDecimal(100)

    /// unit → indicator match key → target.
    private var byUnit: [String: [String: Target]] = [:]
    /// In the order found.
    public private(set) var disagreements: [Disagreement] = []
    /// The years each targets file states (its title, sheet or file name, as for any annex).
    private var yearsBySource: [String: Set<String>] = [:]

    public init() {}

    public var isEmpty: Bool { byUnit.isEmpty }
    public var units: [String] { byUnit.keys.sorted() }

    /// A measure that states a target: 目标任务, also 目标任务(参考) and header wording variants.
    public static func isTargetMeasure(_ measure: String) -> Bool {
        TextFolding.matchKey(measure).hasPrefix(targetMeasure)
    }

    /// The target of `unit` for `indicator` (a header path; white space, width and brackets folded
    /// as in recognition).
    public func target(unit: String, indicator: String) -> Target? {
        byUnit[unit]?[TextFolding.matchKey(indicator)]
    }

    /// Adds every target the observations state (figures only: a “-” target is no target). The first
    /// file given wins where two state the same unit and indicator; a different figure is kept as a
    /// disagreement, the same figure is nothing to say.
    public mutating func add(_ observations: [Observation], source: String) {
        for observation in observations where observation.status == .value && Self.isTargetMeasure(observation.measure) {
            guard let value = ExactDecimal(observation.value) else { continue }
            let key = TextFolding.matchKey(observation.indicator)
            let target = Target(value: value, source: source, cell: observation.extra["cell"] ?? "")
            if let year = Self.year(of: observation.period) { yearsBySource[source, default: []].insert(year) }
            guard let first = byUnit[observation.unit]?[key] else {
                byUnit[observation.unit, default: [:]][key] = target
                continue
            }
            if first.value != value {
                disagreements.append(Disagreement(unit: observation.unit, indicator: observation.indicator, used: first, ignored: target))
            }
        }
    }

    /// The targets files that state targets of another year than `period`'s, with that year: last
    /// year's targets make this year's 占全年任务 wrong, so the commands warn (they still use them).
    public func otherYears(than period: String) -> [(source: String, years: [String])] {
        guard let year = Self.year(of: period) else { return [] }
        return yearsBySource.keys.sorted().compactMap { source in
            let years = yearsBySource[source]!.subtracting([year]).sorted()
            return years.isEmpty ? nil : (source, years)
        }
    }

    /// The message for `otherYears`: the same words in merge's report and check's output.
    public static func otherYearMessage(source: String, years: [String], period: String) -> String {
        "--targets \(source) 是 \(years.joined(separator: "、")) 年的目标任务，而本表是 \(period.prefix(4)) 年的：占全年任务按它计算、核对，请确认没有用错年份。"
    }

    private static func year(of period: String) -> String? {
        let year = period.prefix(4)
        return year.count == 4 && year.allSatisfy(\.isASCII) && year.allSatisfy(\.isNumber) ? String(year) : nil
    }

    /// 占全年任务 in percent, rounded half up to `places`; nil without a target or with a zero one.
    public func ratio(unit: String, indicator: String, cumulative: ExactDecimal, places: Int = 2) -> (ExactDecimal, Target)? {
        guard let target = target(unit: unit, indicator: indicator),
              let ratio = (cumulative * Self.scale).divided(by: target.value, places: places) else { return nil }
        return (ratio, target)
    }

    /// Whether `template` needs targets for `indicator`'s 占全年任务: the layout prints no target column
    /// beside it.
    public static func needed(for template: Template, indicator: String) -> Bool {
        !template.valueColumns.contains { $0.indicator == indicator && isTargetMeasure($0.measure) }
    }

    /// The disagreements that matter to `template`: a unit of its rows, an indicator whose 占全年任务
    /// it computes or checks from targets.
    public func disagreements(for template: Template) -> [Disagreement] {
        let order = template.rows?.order ?? []
        return disagreements.filter { disagreement in
            let key = TextFolding.matchKey(disagreement.indicator)
            guard order.contains(disagreement.unit), let column = template.valueColumns.first(where: {
                $0.measure == Self.resultMeasure && TextFolding.matchKey($0.indicator) == key
            }) else { return false }
            return Self.needed(for: template, indicator: column.indicator)
        }
    }

    /// Units the targets name that `template`'s rows do not (a misprint such as 南昌市 for 南昌县,
    /// or the other cities of a province's table): they are ignored, and said as info by the commands.
    public func unknownUnits(for template: Template) -> [String] {
        guard let order = template.rows?.order else { return [] }
        return units.filter { !order.contains($0) }
    }

    /// What the commands say of an unknown unit: ignored, and, when a row differs from it by one
    /// character (南昌市 and 南昌县), that it may be a misprint of that row. The cities of a province's
    /// table are no misprints and get no such hint.
    public static func unknownUnitMessage(_ unit: String, rowsName: String, rows: [String]) -> String {
        let said = "目标任务中的单位“\(unit)”不在\(rowsName)中，其目标任务未使用"
        guard let near = rows.first(where: { differByOneCharacter($0, unit) }) else { return said + "。" }
        return said + "（是否为“\(near)”的误写？）。"
    }

    /// Whether one character replaced, added or removed turns `a` into `b`.
    static func differByOneCharacter(_ a: String, _ b: String) -> Bool {
        let (short, long) = a.count <= b.count ? (Array(a), Array(b)) : (Array(b), Array(a))
        guard long.count - short.count <= 1, short != long else { return false }
        var i = 0
        while i < short.count, short[i] == long[i] { i += 1 }
        // Past the first difference the rest agrees: shifted by one when a character was added.
        return short.count == long.count ? short[(i + 1)...] == long[(i + 1)...] : short[i...] == long[(i + 1)...]
    }
}
