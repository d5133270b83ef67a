/// A value column of a table template, derived from its header (templates/README.md, "How columns
/// become observations").
public struct ValueColumn: Sendable, Hashable {
    /// Zero-based column in the sheet (key columns come first).
    public var column: Int
    /// The header path above the leaf, white space removed, joined by ` / `; `{year}` unfilled.
    public var indicator: String
    /// The leaf header; empty for a single-level column.
    public var measure: String
    public var format: String

    /// True when the column is printed as a percentage: canonical values are in percent units.
    public var isPercent: Bool { format.unicodeScalars.contains("%") }

    /// Decimal places the format prints, nil for General.
    public var formatPlaces: Int? {
        guard format != "General" else { return nil }
        guard let point = format.firstIndex(of: ".") else { return 0 }
        return format[format.index(after: point)...].prefix { $0 == "0" }.count
    }
}

extension Template {
    /// The header block's width: key columns plus value columns.
    public var headerWidth: Int { prepared.headerWidth }

    /// The value columns in sheet order. Each column's path is the header cells covering it, top
    /// to bottom; a cell spanning every header row is a single-level column (measure empty).
    public var valueColumns: [ValueColumn] { prepared.valueColumns }

    /// byIndicator, then byMeasure, then default.
    func format(indicator: String, measure: String) -> String {
        formats.byIndicator?[indicator] ?? formats.byMeasure?[measure] ?? formats.default
    }
}
