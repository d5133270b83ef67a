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

    /// Finds the best placement of the template's header within the first rows and columns: the
    /// first origin (row by row) where the most header cells read as printed.
    static func find(_ template: Template, in grid: GridIndex) -> HeaderMatch? {
        let cells = template.prepared.headerCells
        guard !cells.isEmpty else { return nil }
        // The loop below runs for every template at every origin: it compares the numbers the grid
        // gives its keys, and turns to text only for a placeholder or a cell the grid does not number.
        enum Wanted { case number(Int32), absent, placeholder }
        let wanted: [Wanted] = cells.map { cell in
            guard cell.pattern.isPlain else { return .placeholder }
            return grid.keyNumber(of: cell.pattern.key).map(Wanted.number) ?? .absent
        }
        let offsets = cells.map { ($0.range.first.row, $0.range.first.column) }
        var best: (origin: CellReference, matched: Int)?
        for row in 0...max(0, min(grid.lastRow, 60)) {
            for column in 0...3 {
                var matched = 0
                for index in cells.indices {
                    let (r, c) = (row + offsets[index].0, column + offsets[index].1)
                    let isMatch: Bool
                    switch (wanted[index], grid.keyNumber(r, c)) {
                    case (.number(let expected), let number?): isMatch = number == expected
                    case (.absent, _?): isMatch = false
                    case (.placeholder, let number?): isMatch = cells[index].pattern.match(key: grid.key(number: number)) != nil
                    case (_, nil): isMatch = cells[index].pattern.match(key: grid.matchKey(r, c)) != nil
                    }
                    if isMatch { matched += 1 }
                }
                if matched > (best?.matched ?? 0) { best = (CellReference(row: row, column: column), matched) }
            }
        }
        guard let best else { return nil }
        var result = HeaderMatch(templateID: template.id, origin: best.origin, matched: best.matched, total: cells.count,
                                 differences: [], headerYear: nil)
        for cell in cells {
            let reference = CellReference(row: best.origin.row + cell.range.first.row, column: best.origin.column + cell.range.first.column)
            if let match = cell.pattern.match(key: grid.matchKey(reference.row, reference.column)) {
                if let year = match { result.headerYear = year }
            } else {
                result.differences.append((reference, cell.text, grid.text(reference.row, reference.column)))
            }
        }
        return result
    }
}

/// A header text as a template prints it, compared by `TextFolding.matchKey`; `{year}` stands for
/// four ASCII digits.
struct HeaderText {
    let key: String
    /// The key cut at its `{year}` placeholders; one part when it has none.
    private let parts: [[UInt8]]

    init(template text: String) {
        key = TextFolding.matchKey(text)
        parts = key.split(separator: "{year}", omittingEmptySubsequences: false).map { Array($0.utf8) }
    }

    /// Without a placeholder: matched by key equality.
    var isPlain: Bool { parts.count == 1 }

    /// For text folded with `TextFolding.matchKey`: nil: no match; .some(nil): a match;
    /// .some(year): a match that read a year (the first placeholder's).
    func match(key actualKey: String) -> String?? {
        if isPlain { return actualKey == key ? .some(nil) : nil }
        // The literal parts byte for byte, with exactly four ASCII digits between them.
        let bytes = Array(actualKey.utf8)
        guard bytes.count == parts.reduce(0, { $0 + $1.count }) + 4 * (parts.count - 1) else { return nil }
        var at = 0
        var year: String?
        for (index, part) in parts.enumerated() {
            if index > 0 {
                let digits = bytes[at..<(at + 4)]
                guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
                if year == nil { year = String(decoding: digits, as: UTF8.self) }
                at += 4
            }
            guard bytes[at..<(at + part.count)].elementsEqual(part) else { return nil }
            at += part.count
        }
        return .some(year)
    }
}
