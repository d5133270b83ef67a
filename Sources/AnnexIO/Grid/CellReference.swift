/// A cell position, zero-based internally, printed in A1 notation (`B7`).
public struct CellReference: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Zero-based row index (row 1 in A1 notation is 0).
    public var row: Int
    /// Zero-based column index (column A is 0).
    public var column: Int

    /// Excel's limits (ECMA-376 Part 1, 18.3.1.73 and 18.3.1.13): 1,048,576 rows, 16,384 columns (XFD).
    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses `B7`, `$B$7` or `b7`; nil for anything else or a position outside the sheet.
    public init?(_ text: some StringProtocol) {
        self.init(utf8: text.utf8)
    }

    /// Parses an A1 reference from UTF-8 bytes (as they come from a parser, without a String): letters,
    /// then digits; `$` marks are skipped wherever they stand.
    public init?<Bytes: Collection>(utf8 bytes: Bytes) where Bytes.Element == UInt8 {
        guard let parsed = bytes.withContiguousStorageIfAvailable({ Self.parse($0) }) else {
            self.init(utf8: Array(bytes))
            return
        }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Every cell of a sheet passes here once (the `r` attribute), so it is two tight loops.
    @inline(__always)
    private static func parse(_ p: UnsafeBufferPointer<UInt8>) -> CellReference? {
        let n = p.count
        var i = 0
        var column = 0
        var letters = 0
        while i < n {
            let byte = p[i]
            let letter = (byte | 0x20) &- UInt8(ascii: "a")   // A-Z and a-z only
            if letter < 26 {
                column = column &* 26 &+ Int(letter) &+ 1
                guard column <= maxColumns else { return nil }
                letters += 1
            } else if byte != UInt8(ascii: "$") {
                break
            }
            i += 1
        }
        guard letters > 0 else { return nil }
        var row = 0
        var digits = 0
        while i < n {
            let byte = p[i]
            let digit = byte &- UInt8(ascii: "0")
            if digit < 10 {
                row = row &* 10 &+ Int(digit)
                guard row <= maxRows else { return nil }
                digits += 1
            } else if byte != UInt8(ascii: "$") {
                return nil
            }
            i += 1
        }
        guard digits > 0, row >= 1 else { return nil }
        return CellReference(row: row - 1, column: column - 1)
    }

    /// Column letters for a zero-based column index: 0 → `A`, 26 → `AA`.
    public static func columnName(_ column: Int) -> String {
        var n = column + 1
        var letters: [UInt8] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(remainder))
            n = (n - 1) / 26
        }
        letters.reverse()
        return String(decoding: letters, as: UTF8.self)
    }

    public var description: String { Self.columnName(column) + String(row + 1) }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.row != rhs.row ? lhs.row < rhs.row : lhs.column < rhs.column
    }
}

/// A rectangular range such as a merged region `A4:A6`.
public struct CellRange: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var first: CellReference
    public var last: CellReference

    public init(first: CellReference, last: CellReference) {
        self.first = CellReference(row: min(first.row, last.row), column: min(first.column, last.column))
        self.last = CellReference(row: max(first.row, last.row), column: max(first.column, last.column))
    }

    /// Parses `A4:A6` (a single `A4` is a one-cell range).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              let first = CellReference(parts[0]),
              let last = CellReference(parts[parts.count - 1]) else { return nil }
        self.init(first: first, last: last)
    }

    public var rowCount: Int { last.row - first.row + 1 }
    public var columnCount: Int { last.column - first.column + 1 }

    public func contains(_ reference: CellReference) -> Bool {
        (first.row...last.row).contains(reference.row) && (first.column...last.column).contains(reference.column)
    }

    public func overlaps(_ other: CellRange) -> Bool {
        first.row <= other.last.row && other.first.row <= last.row
            && first.column <= other.last.column && other.first.column <= last.column
    }

    public var description: String {
        first == last ? first.description : "\(first):\(last)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.first != rhs.first ? lhs.first < rhs.first : lhs.last < rhs.last
    }
}
