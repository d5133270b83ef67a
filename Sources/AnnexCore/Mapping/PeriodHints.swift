import Foundation

/// Where a table's period comes from when its title states none (SPEC.md, "The canonical model"), in
/// order: the sheet name, the periods the other sheets of the same workbook state (a budget
/// document's tables share one year), the file name (`2024年部门预算.xlsx`, `2023-07-社会保险二.xlsx`),
/// the custom document property `annex.period` that `annex write` records; then `--period`.
public struct PeriodHints: Sendable {
    /// Periods that the other sheets of the workbook state.
    public var workbook: [String] = []
    /// The file's name (without folders).
    public var fileName: String?
    /// The `annex.period` document property.
    public var document: String?
    /// Set while the first sheets of a workbook are read: a sheet that neither its title nor its name
    /// dates throws `PeriodDeferred`, to be read again once the other sheets' periods are known.
    var deferring = false

    public init(workbook: [String] = [], fileName: String? = nil, document: String? = nil) {
        self.workbook = workbook
        self.fileName = fileName
        self.document = document
    }

    /// The first source that gives `template`'s kind of period, after the title; `option` last.
    func period(for template: Template, sheetName: String, option: String?) throws -> String? {
        if let found = Self.stated(in: sheetName, kind: template.period) { return found }
        if let found = Self.common(workbook, kind: template.period) { return found }
        if deferring { throw PeriodDeferred() }
        if let fileName, let found = Self.stated(in: fileName, kind: template.period) { return found }
        if let document, let found = Self.common([document], kind: template.period) { return found }
        return option
    }

    /// A period written in a name: `2023年7月`, `2023-07`, `2023_7`, `202307` for a month; `2024年`
    /// or a year standing alone (`2024部门预算`) for a year.
    static func stated(in text: String, kind: Template.PeriodKind) -> String? {
        let folded = TextFolding.foldingWidth(text)
        switch kind {
        case .month:
            for pattern in [#"(\d{4})\s*年\s*(\d{1,2})\s*月"#, #"(?<!\d)((?:19|20)\d{2})[-_.](\d{1,2})(?!\d)"#,
                            #"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(?!\d)"#] {
                if let found = TableReader.firstMatch(pattern, in: folded), let month = Int(found[1]), (1...12).contains(month) {
                    return found[0] + "-" + (month < 10 ? "0" : "") + String(month)
                }
            }
            return nil
        case .year:
            return (TableReader.firstMatch(#"(\d{4})\s*年"#, in: folded)
                ?? TableReader.firstMatch(#"(?<!\d)((?:19|20)\d{2})(?!\d)"#, in: folded))?.first
        }
    }

    /// The period most of `periods` give for `kind` (a month's year for a yearly table), if any.
    static func common(_ periods: [String], kind: Template.PeriodKind) -> String? {
        var counts: [String: Int] = [:]
        for period in periods {
            switch kind {
            case .month where period.wholeMatch(of: /\d{4}-\d{2}/) != nil: counts[period, default: 0] += 1
            case .year where period.wholeMatch(of: /\d{4}(-\d{2})?/) != nil: counts[String(period.prefix(4)), default: 0] += 1
            default: break
            }
        }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }
}

/// A sheet whose own title and name state no period, while the workbook's other sheets are still
/// being read (`PeriodHints.deferring`).
struct PeriodDeferred: Error {}

extension DocumentProperties {
    /// The custom properties `annex write` and `annex merge` record in a workbook they write.
    public static func annex(template: String, period: String?) -> [Custom] {
        [Custom(name: "annex.template", value: template)] + (period.map { [Custom(name: "annex.period", value: $0)] } ?? [])
    }
}
