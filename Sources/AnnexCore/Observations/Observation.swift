/// One data cell of an annex in the canonical model (SPEC.md, "The canonical model").
public struct Observation: Hashable, Sendable {
    public enum Status: String, Sendable, CaseIterable {
        /// A figure or, in forms, a text field.
        case value
        /// “-” (also “－”, “—”): 未安排任务, no task was assigned. Not zero and not an error.
        case notAssigned = "not_assigned"
        /// “无”: 未开展相关业务, the unit does not carry out this work (the notice asks for a reason).
        case notCarriedOut = "not_carried_out"
        case empty
        /// The cell could not be read as the column expects; `value` keeps the raw text.
        case invalid
    }

    public var template: String
    public var period: String
    public var unit: String
    public var indicator: String
    public var measure: String
    public var value: String
    public var status: Status
    /// Columns after the seventh (`unit_name`, `instance`, provenance `source`/`sheet`/`cell` …).
    public var extra: [String: String]

    public init(template: String, period: String, unit: String, indicator: String, measure: String,
                value: String, status: Status, extra: [String: String] = [:]) {
        self.template = template
        self.period = period
        self.unit = unit
        self.indicator = indicator
        self.measure = measure
        self.value = value
        self.status = status
        self.extra = extra
    }

    /// The seven fixed fields, in order.
    public static let fixedFields = ["template", "period", "unit", "indicator", "measure", "value", "status"]
    /// Known extra fields in the order they are written; others follow alphabetically.
    public static let knownExtraFields = ["unit_name", "department", "department_name", "instance", "source", "sheet", "cell"]

    /// The number, for `status == .value` cells that hold one.
    public var decimal: ExactDecimal? { status == .value ? ExactDecimal(value) : nil }

    /// Identifies the cell this observation fills, whatever its value.
    public var key: Key { Key(unit: unit, indicator: indicator, measure: measure, instance: extra["instance"] ?? "") }

    public struct Key: Hashable, Sendable, Comparable {
        public var unit: String
        public var indicator: String
        public var measure: String
        public var instance: String

        public init(unit: String, indicator: String, measure: String, instance: String = "") {
            self.unit = unit
            self.indicator = indicator
            self.measure = measure
            self.instance = instance
        }

        public static func < (a: Key, b: Key) -> Bool {
            (a.unit, a.instance, a.indicator, a.measure) < (b.unit, b.instance, b.indicator, b.measure)
        }
    }

    func field(_ name: String) -> String {
        switch name {
        case "template": template
        case "period": period
        case "unit": unit
        case "indicator": indicator
        case "measure": measure
        case "value": value
        case "status": status.rawValue
        default: extra[name] ?? ""
        }
    }
}
