/// One problem `annex check` reports (SPEC.md, "Findings"): which rule, how serious, where, and
/// what was expected against what the file says, with one Chinese sentence a person can act on.
public struct Finding: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable, CaseIterable, Comparable {
        case error, warning, info

        /// The word used in text output.
        public var label: String {
            switch self {
            case .error: "错误"
            case .warning: "警告"
            case .info: "提示"
            }
        }

        public static func < (a: Severity, b: Severity) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// The rule ids of SPEC.md; the raw value is what JSON output carries.
    public enum Rule: String, Hashable, Sendable, CaseIterable {
        case headerMismatch = "header-mismatch"
        case unknownUnit = "unknown-unit"
        case duplicateUnit = "duplicate-unit"
        case missingUnit = "missing-unit"
        case notANumber = "not-a-number"
        case markerConflict = "marker-conflict"
        case decimals
        case ratioMismatch = "ratio-mismatch"
        case rowSumMismatch = "row-sum-mismatch"
        case totalMismatch = "total-mismatch"
        case hierarchyMismatch = "hierarchy-mismatch"
        case crossTableMismatch = "cross-table-mismatch"
        case behindSchedule = "behind-schedule"
        case monthOnMonthMismatch = "month-on-month-mismatch"
        case targetChanged = "target-changed"
        case noticeMismatch = "notice-mismatch"
        case noticeRounding = "notice-rounding"
    }

    public var rule: Rule
    public var severity: Severity
    public var file: String
    public var sheet: String
    /// A1 reference; empty when the finding is about the whole table (a missing unit).
    public var cell: String
    public var unit: String
    public var indicator: String
    public var measure: String
    public var expected: String
    public var actual: String
    public var message: String

    public init(rule: Rule, severity: Severity, file: String, sheet: String, cell: String = "", unit: String = "",
                indicator: String = "", measure: String = "", expected: String = "", actual: String = "",
                message: String) {
        self.rule = rule
        self.severity = severity
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.unit = unit
        self.indicator = indicator
        self.measure = measure
        self.expected = expected
        self.actual = actual
        self.message = message
    }

    /// The SPEC.md field names in output order.
    public static let fields = ["rule", "severity", "file", "sheet", "cell", "unit", "indicator", "measure",
                                "expected", "actual", "message"]

    public func field(_ name: String) -> String {
        switch name {
        case "rule": rule.rawValue
        case "severity": severity.rawValue
        case "file": file
        case "sheet": sheet
        case "cell": cell
        case "unit": unit
        case "indicator": indicator
        case "measure": measure
        case "expected": expected
        case "actual": actual
        default: message
        }
    }

    /// `工作表!单元格` (社会保险一!E9), or the sheet alone for a finding about the whole table.
    public var location: String {
        cell.isEmpty ? sheet : "\(sheet)!\(cell)"
    }

    /// The cell as a reference, for sorting and annotating.
    public var reference: CellReference? { cell.isEmpty ? nil : CellReference(cell) }
}

extension Array where Element == Finding {
    public func count(of severity: Finding.Severity) -> Int { lazy.filter { $0.severity == severity }.count }
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
