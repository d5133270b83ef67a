import Foundation

/// Turns one grid cell into a canonical value and status, tolerating what district returns contain:
/// numbers stored as text, thousands separators, percentages as 1.0092 with a `%` format or as the
/// text "100.92%" / "100.92" / "100.92％", full-width digits, dash variants for 未安排任务, “无”.
public enum CellInterpretation {
    /// Dash variants read as “-” (未安排任务) besides those a template lists.
    static let dashes: Set<String> = ["-", "－", "—", "–", "一", "--", "——"]

    public static func interpret(_ cell: Cell?, column: ValueColumn, markers: Template.Rules.Markers?) -> (value: String, status: Observation.Status) {
        guard let cell else { return ("", .empty) }
        switch cell.value {
        case .number(let text):
            guard let number = ExactDecimal(text) else { return (text, .invalid) }
            // A stored fraction shown with a % format (1.0092 as 100.92%) is converted to percent units.
            let inPercent = column.isPercent && (cell.numberFormat?.unicodeScalars.contains("%") ?? false) ? number.shifted(by: 2) : number
            return (inPercent.normalized.description, .value)
        case .string(let raw):
            return interpret(text: raw, markers: markers)
        case .bool, .date, .duration, .error:
            return (cell.value.text, .invalid)
        }
    }

    /// Interprets text typed into a value cell.
    public static func interpret(text raw: String, markers: Template.Rules.Markers?) -> (value: String, status: Observation.Status) {
        let text = TextFolding.removingWhitespace(TextFolding.foldingWidth(raw))
        if text.isEmpty { return ("", .empty) }
        if dashes.contains(text) || markers?.notAssigned.contains(text) == true { return ("-", .notAssigned) }
        if text == "无" || markers?.notCarriedOut.contains(text) == true { return ("无", .notCarriedOut) }
        if let number = number(in: text) { return (number.normalized.description, .value) }
        return (raw, .invalid)
    }

    /// A number written as text: `1,234.50`, `100.92%` (percent units kept), `+5`.
    static func number(in text: String) -> ExactDecimal? {
        var body = text
        if body.hasSuffix("%") { body.removeLast() }
        if body.contains(",") {
            // Thousands separators only in their places: 1,234,567.5.
            let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
            let first = groups[0].hasPrefix("-") ? groups[0].dropFirst() : groups[0]
            guard (1...3).contains(first.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            body = groups.joined() + (parts.count > 1 ? "." + parts[1] : "")
        }
        return ExactDecimal(body)
    }
}
