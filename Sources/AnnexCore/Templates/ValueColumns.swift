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
    public var isPercent: Bool { format.contains("%") }

    /// Decimal places the format prints, nil for General.
    public var formatPlaces: Int? {
        guard format != "General" else { return nil }
        guard let point = format.firstIndex(of: ".") else { return 0 }
        return format[format.index(after: point)...].prefix { $0 == "0" }.count
    }
}

extension Template {
    /// The header block's width: key columns plus value columns.
    public var headerWidth: Int {
        guard let header else { return width ?? 0 }
        return header.cells.compactMap { CellRange($0.range)?.last.column }.max().map { $0 + 1 } ?? 0
    }

    /// The value columns in sheet order. Each column's path is the header cells covering it, top
    /// to bottom; a cell spanning every header row is a single-level column (measure empty).
    public var valueColumns: [ValueColumn] {
        guard let header else { return [] }
        let keyCount = keyColumns.count
        var columns: [ValueColumn] = []
        for column in keyCount..<headerWidth {
            let covering = header.cells
                .compactMap { cell -> (CellRange, String)? in
                    guard let range = CellRange(cell.range), (range.first.column...range.last.column).contains(column) else { return nil }
                    return (range, cell.text)
                }
                .sorted { $0.0.first.row < $1.0.first.row }
            let texts = covering.map { TextFolding.removingWhitespace($0.1) }
            guard let leaf = texts.last else { continue }
            let single = covering.count == 1
            let indicator = single ? leaf : texts.dropLast().joined(separator: " / ")
            let measure = single ? "" : leaf
            columns.append(ValueColumn(column: column, indicator: indicator, measure: measure,
                                       format: format(indicator: indicator, measure: measure)))
        }
        return columns
    }

    /// byIndicator, then byMeasure, then default.
    func format(indicator: String, measure: String) -> String {
        formats.byIndicator?[indicator] ?? formats.byMeasure?[measure] ?? formats.default
    }
}
