import Foundation

/// Where a template's header block sits in a sheet, and how well it matches.
public struct HeaderMatch: Sendable {
    public var templateID: String
    /// The sheet cell under the header block's top-left cell.
    public var origin: CellReference
    /// Header cells that read as the template prints them.
    public var matched: Int
    public var total: Int
    /// Header cells that differ: (sheet cell, template text, sheet text).
    public var differences: [(cell: CellReference, expected: String, actual: String)]
    /// The year read from a `{year}` placeholder in the header (budget tables print 2024年预算数).
    public var headerYear: String?

    public var score: Double { total == 0 ? 0 : Double(matched) / Double(total) }

    /// Two thirds of the header cells must read as printed for a sheet to be in the layout:
    /// returns retitle a column or two, they do not invent a different table.
    public static let acceptance = 0.66

    /// Finds the best placement of the template's header within the first rows and columns.
    static func find(_ template: Template, in grid: GridIndex) -> HeaderMatch? {
        guard let header = template.header, !header.cells.isEmpty else { return nil }
        let cells = header.cells.compactMap { cell in CellRange(cell.range).map { ($0.first, cell.text) } }
        let patterns = cells.map { HeaderText(template: $0.1) }
        var best: HeaderMatch?
        for row in 0...max(0, min(grid.lastRow, 60)) {
            for column in 0...3 {
                var matched = 0
                var year: String?
                for (index, (position, _)) in cells.enumerated() {
                    if let match = patterns[index].match(key: grid.matchKey(row + position.row, column + position.column)) {
                        matched += 1
                        if let found = match { year = found }
                    }
                }
                if matched > (best?.matched ?? 0) {
                    best = HeaderMatch(templateID: template.id, origin: CellReference(row: row, column: column),
                                       matched: matched, total: cells.count, differences: [], headerYear: year)
                }
            }
        }
        guard var result = best else { return nil }
        for (index, (position, text)) in cells.enumerated() {
            let reference = CellReference(row: result.origin.row + position.row, column: result.origin.column + position.column)
            let actual = grid.text(reference.row, reference.column)
            if patterns[index].match(key: grid.matchKey(reference.row, reference.column)) == nil {
                result.differences.append((reference, text, actual))
            }
        }
        return result
    }
}

/// A header text as a template prints it, compared by `TextFolding.matchKey`; `{year}` stands for
/// four digits.
struct HeaderText {
    let key: String
    let regex: NSRegularExpression?

    init(template text: String) {
        key = TextFolding.matchKey(text)
        if key.contains("{year}") {
            let escaped = NSRegularExpression.escapedPattern(for: key).replacingOccurrences(of: "\\{year\\}", with: "([0-9]{4})")
            regex = try? NSRegularExpression(pattern: "^" + escaped + "$")
        } else {
            regex = nil
        }
    }

    /// For text folded with `TextFolding.matchKey`: nil: no match; .some(nil): a match;
    /// .some(year): a match that read a year.
    func match(key actualKey: String) -> String?? {
        guard let regex else { return actualKey == key ? .some(nil) : nil }
        let range = NSRange(actualKey.startIndex..., in: actualKey)
        guard let found = regex.firstMatch(in: actualKey, range: range),
              let yearRange = Range(found.range(at: 1), in: actualKey) else { return nil }
        return .some(String(actualKey[yearRange]))
    }
}
