/// The kind of value a cell holds: the cases of `CellValue`.
public enum CellKind: UInt8, Sendable, CaseIterable {
    case string, number, bool, date, error, duration

    /// The type name used by `annex dump` (SPEC.md, "dump JSON").
    public var typeName: String {
        switch self {
        case .string: "string"
        case .number: "number"
        case .bool: "bool"
        case .date: "date"
        case .error: "error"
        case .duration: "duration"
        }
    }
}

/// One non-empty cell of a `RowView`, borrowed: its text points into the reader's buffers and is
/// valid only inside the row callback.
public struct CellView {
    public let reference: CellReference
    /// What the cell holds. For a CSV field it follows from the text (`CSVGrid.isPlainDecimal`: a
    /// number, else text) and is decided only when asked (`kindFollowsText`): a CSV → CSV conversion
    /// never needs it.
    public var kind: CellKind {
        kindFollowsText ? (CSVGrid.isPlainDecimal(text) ? .number : .string) : storedKind
    }
    @usableFromInline let storedKind: CellKind
    /// Whether `kind` is decided from `text`, as for a CSV field.
    @usableFromInline let kindFollowsText: Bool
    /// The value as UTF-8, exactly `CellValue.text` of the materialized cell (`810.06`, `true`, the
    /// shared string, the ISO date).
    public let text: UnsafeBufferPointer<UInt8>
    /// The formula without its leading `=`; empty when the cell has none.
    public let formula: UnsafeBufferPointer<UInt8>
    /// The workbook style index (`s`), 0 for CSV; `RowView.numberFormat(of:)` turns it into a code.
    @usableFromInline let style: Int32
    /// The shared-string index when the text is one (else -1), so that materializing shares its String.
    @usableFromInline let sharedString: Int32

    @inlinable
    init(reference: CellReference, kind: CellKind, kindFollowsText: Bool, text: UnsafeBufferPointer<UInt8>,
         formula: UnsafeBufferPointer<UInt8>, style: Int32, sharedString: Int32) {
        self.reference = reference
        storedKind = kind
        self.kindFollowsText = kindFollowsText
        self.text = text
        self.formula = formula
        self.style = style
        self.sharedString = sharedString
    }
}

/// One row of a sheet as the reader holds it, for the duration of the `SheetSource.readRows` callback.
///
/// Why: a sheet of person-level records has millions of cells, and building a `Cell` (a String per
/// value, a copy per row) cost more than finding the values in the file. Code that visits every cell
/// (dump, convert, counting) reads views; `cell(at:)` and `SheetSource.readSheet` materialize `Cell`s
/// for code that keeps them. The two give the same values (tests compare them).
public struct RowView {
    // Raw pointers taken once per row, so that reading a cell retains nothing; inlinable, so that a
    // caller that reads only `text` builds nothing else.
    @usableFromInline let slots: UnsafePointer<RowBuffer.Slot>
    /// Non-empty cells in the row, in column order.
    public let count: Int
    @usableFromInline let textBase: UnsafePointer<UInt8>
    @usableFromInline let sharedStrings: SharedStringTable.Bytes?
    /// At least the bytes of all cell texts, plus five per cell (`TRUE`/`FALSE` in place of a
    /// boolean's text): room for the row's output reserved at once, without a pass over its cells.
    let textBound: Int
    /// When set, no cell text of the row holds this delimiter, a quote, CR or LF (a CSV record read
    /// without a single `"`), so a CSV writer with this delimiter need not look for bytes to quote.
    let quoteFreeDelimiter: UInt8?
    /// For number formats and materialized shared strings.
    private unowned(unsafe) let buffer: RowBuffer

    init(_ buffer: RowBuffer) {
        self.buffer = buffer
        slots = UnsafePointer(buffer.slots)
        count = buffer.count
        textBound = buffer.textBound
        quoteFreeDelimiter = buffer.quoteFreeDelimiter
        textBase = buffer.textBase
        sharedStrings = buffer.sharedStrings?.rawBytes
    }

    @inlinable
    public subscript(position: Int) -> CellView {
        precondition(position >= 0 && position < count, "RowView: position out of range")
        let slot = slots[position]
        let value = textBase + Int(slot.valueOffset)
        let text: UnsafeBufferPointer<UInt8>
        if slot.sharedString >= 0, let sharedStrings {
            text = sharedStrings[Int(slot.sharedString)]
        } else {
            text = UnsafeBufferPointer(start: value, count: Int(slot.valueCount))
        }
        return CellView(reference: CellReference(row: Int(slot.row), column: Int(slot.column)),
                        kind: slot.kind, kindFollowsText: slot.kindFollowsText,
                        text: text,
                        formula: UnsafeBufferPointer(start: value + Int(slot.valueCount), count: Int(slot.formulaCount)),
                        style: slot.style,
                        sharedString: slot.sharedString)
    }

    /// The number format code that applies to a cell of this row (nil for General).
    public func numberFormat(of cell: CellView) -> String? {
        buffer.formats.code(Int(cell.style))
    }

    /// The cell as an owned `Cell`.
    public func cell(at position: Int) -> Cell {
        let view = self[position]
        let text: String
        if view.sharedString >= 0, let table = buffer.sharedStrings {
            text = table.strings[Int(view.sharedString)]
        } else {
            text = String(decoding: view.text, as: UTF8.self)
        }
        let value: CellValue
        switch view.kind {
        case .string: value = .string(text)
        case .number: value = .number(text)
        case .bool: value = .bool(view.text.first == UInt8(ascii: "t"))
        case .date: value = .date(text)
        case .error: value = .error(text)
        case .duration: value = .duration(text)
        }
        return Cell(reference: view.reference, value: value, numberFormat: numberFormat(of: view),
                    formula: view.formula.isEmpty ? nil : String(decoding: view.formula, as: UTF8.self))
    }
}

/// The row being built by a reader and lent out as a `RowView`: fixed-size slots plus one byte arena
/// for the values that are not shared strings. Reused from row to row, so reading allocates nothing
/// per cell.
@usableFromInline
final class RowBuffer {
    /// One cell: 32 bytes. Its text is `valueCount` bytes at `valueOffset` from `textBase` (or shared
    /// string `sharedString`), its formula the `formulaCount` bytes right after the value.
    @usableFromInline
    struct Slot {
        @usableFromInline var row: Int32
        @usableFromInline var column: Int32
        @usableFromInline var style: Int32
        @usableFromInline var sharedString: Int32
        @usableFromInline var valueOffset: UInt32
        @usableFromInline var valueCount: UInt32
        @usableFromInline var formulaCount: UInt32
        @usableFromInline var kind: CellKind
        /// `CellView.kindFollowsText`: `kind` is then unused.
        @usableFromInline var kindFollowsText: Bool
    }

    /// The most bytes one row may hold (offsets are 32-bit); a reader refuses a row beyond it.
    static let maximumBytes = Int(UInt32.max)

    let sharedStrings: SharedStringTable?
    let formats: CellFormats
    @exclusivity(unchecked) private(set) var slots: UnsafeMutablePointer<Slot>
    @exclusivity(unchecked) private var capacity = 64
    @exclusivity(unchecked) private(set) var count = 0
    /// `RowView.textBound`, summed as cells are added.
    @exclusivity(unchecked) private(set) var textBound = 0
    /// `RowView.quoteFreeDelimiter`: set by the CSV reader per row.
    @exclusivity(unchecked) var quoteFreeDelimiter: UInt8?
    /// Value and formula bytes of the row. `@exclusivity(unchecked)`: written by one reader on one
    /// thread, several times per cell; the dynamic checks would cost more than the copies.
    @exclusivity(unchecked) var bytes = ByteScratch(capacity: 4096)

    init(sharedStrings: SharedStringTable? = nil, formats: CellFormats = CellFormats()) {
        self.sharedStrings = sharedStrings
        self.formats = formats
        slots = .allocate(capacity: capacity)
    }

    deinit {
        slots.deallocate()
        bytes.deallocate()
    }

    /// Where slot offsets point: `bytes`, unless a reader lends its own bytes for the row (CSV lends
    /// the record's bytes, which live as long as the callback, and so copies nothing).
    @exclusivity(unchecked) var lentBytes: UnsafePointer<UInt8>?

    var textBase: UnsafePointer<UInt8> { lentBytes ?? UnsafePointer(bytes.base) }

    var view: RowView { RowView(self) }

    func removeAll() {
        count = 0
        textBound = 0
        quoteFreeDelimiter = nil
        bytes.count = 0
    }

    /// Adds a cell whose value, then formula, bytes were appended to `bytes` from `valueOffset` on.
    @inline(__always)
    func append(row: Int, column: Int, kind: CellKind, style: Int, sharedString: Int = -1,
                valueOffset: Int, formulaOffset: Int) {
        append(row: row, column: column, kind: kind, style: style, sharedString: sharedString,
               valueOffset: valueOffset, valueCount: formulaOffset - valueOffset, formulaCount: bytes.count - formulaOffset)
    }

    /// Adds a cell whose text is `valueCount` bytes at `valueOffset` from `textBase`, followed by its
    /// formula. Offsets and counts are below `maximumBytes`.
    @inline(__always)
    func append(row: Int, column: Int, kind: CellKind, style: Int, sharedString: Int = -1,
                valueOffset: Int, valueCount: Int, formulaCount: Int = 0) {
        if count == capacity { grow() }
        slots[count] = Slot(row: Int32(truncatingIfNeeded: row), column: Int32(truncatingIfNeeded: column),
                            style: Int32(truncatingIfNeeded: style), sharedString: Int32(truncatingIfNeeded: sharedString),
                            valueOffset: UInt32(truncatingIfNeeded: valueOffset), valueCount: UInt32(truncatingIfNeeded: valueCount),
                            formulaCount: UInt32(truncatingIfNeeded: formulaCount), kind: kind,
                            kindFollowsText: false)
        count += 1
        // The text `RowView` will lend for this cell: the shared string when there is a table, else the bytes.
        if sharedString >= 0, let sharedStrings {
            textBound &+= sharedStrings.rawBytes[sharedString].count &+ 5
        } else {
            textBound &+= valueCount &+ 5
        }
    }

    /// Adds up to `maximum` cells at once, for a reader that has a row's cells at hand (CSV): `fill`
    /// writes their slots from the first free one on and returns how many it wrote; `textBound` is
    /// their part of `RowView.textBound`. One capacity check and one count update for the row.
    @inline(__always)
    func appendSlots(upTo maximum: Int, textBound bound: Int, _ fill: (UnsafeMutablePointer<Slot>) throws -> Int) rethrows {
        while count + maximum > capacity { grow() }
        count += try fill(slots + count)
        textBound &+= bound
    }

    /// Puts the slots in reading order when a writer did not emit the cells in column order.
    func sortIfNeeded() {
        guard count > 1 else { return }
        var sorted = true
        for k in 1..<count where Self.precedes(slots[k], slots[k - 1]) {
            sorted = false
            break
        }
        if sorted { return }
        var all = UnsafeMutableBufferPointer(start: slots, count: count)
        all.sort(by: Self.precedes)
    }

    private static func precedes(_ a: Slot, _ b: Slot) -> Bool {
        a.row != b.row ? a.row < b.row : a.column < b.column
    }

    private func grow() {
        slots = slots.reallocated(capacity: capacity * 2, keeping: count)
        capacity *= 2
    }
}
