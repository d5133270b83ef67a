/// One CSV field's bytes as RFC 4180 wants them: quoted, with quotes doubled, when the field holds the
/// delimiter, a quote, CR or LF; with formula-injection protection (`FormulaProtection`) where asked.
/// Shared by `CSVWriter` and `CSVRowSpool`, so a field is escaped the same way whether it goes out at
/// once or waits for its sheet's merged ranges.
struct CSVFieldEscaper {
    let delimiter: UInt8
    /// Whether text cells get formula protection (numbers and booleans never do).
    let protectFormulas: Bool
    private let delimiters: UInt64
    /// First bytes of text that `FormulaProtection` may prefix: `=`, `+`, `@`, tab, CR, `-`, `'`
    /// (all ASCII: one bit per byte value below 128).
    private let mayNeedProtection: (UInt64, UInt64)
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let quotes = UInt64(Byte.quote) &* ones
    private static let crs = UInt64(Byte.cr) &* ones
    private static let lfs = UInt64(Byte.lf) &* ones
    static let trueText: StaticString = "TRUE"
    static let falseText: StaticString = "FALSE"

    init(delimiter: UInt8, protectFormulas: Bool) {
        self.delimiter = delimiter
        self.protectFormulas = protectFormulas
        delimiters = UInt64(delimiter) &* CSVFieldEscaper.ones
        var bits: (UInt64, UInt64) = (0, 0)
        for byte in "=+@\t\r-'".utf8 {
            if byte < 64 { bits.0 |= 1 << UInt64(byte) } else { bits.1 |= 1 << UInt64(byte - 64) }
        }
        mayNeedProtection = bits
    }

    /// The bytes a row view's cell is written as (`.number` text as it is, `.bool` as `TRUE`/`FALSE`,
    /// the rest as text), and whether they get formula protection.
    @inline(__always)
    func output(of cell: CellView) -> (text: UnsafeBufferPointer<UInt8>, protect: Bool) {
        // A CSV field is a number or text as its text is (`CellView.kindFollowsText`). Either way its
        // bytes go out as they are, and protecting it as text is right for both: a plain decimal is never
        // a formula trigger (`FormulaProtection`: `-` then a number). So its kind is never decided here.
        if cell.kindFollowsText { return (cell.text, protectFormulas) }
        switch cell.storedKind {
        case .number: return (cell.text, false)
        case .bool:
            let text = cell.text.first == UInt8(ascii: "t") ? CSVFieldEscaper.trueText : CSVFieldEscaper.falseText
            return (UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), false)
        case .string, .date, .error, .duration: return (cell.text, protectFormulas)
        }
    }

    /// A row's cells as one record's fields, without the line end: an empty field for each column
    /// without a cell, the first of two cells at one column. Returns the number of fields (the last
    /// cell's column + 1). Used for every CSV record made from a row view, whether it goes straight out
    /// (`CSVWriter`) or waits for its sheet's merged ranges (`CSVRowSpool`).
    @inline(__always)
    func appendFields(of row: RowView, to out: inout ByteScratch) -> Int {
        // Room for the whole record at once: a delimiter per column up to the last cell's (cells are
        // in column order), and each cell at its worst (`room(forFieldOf:after:)`; `textBound` counts a
        // boolean's `TRUE`/`FALSE`).
        let start = out.reserve(row[row.count &- 1].reference.column &+ 1
                                &+ CSVFieldEscaper.room(forFieldOf: row.textBound, after: 0) &+ 3 &* row.count)
        let mayNeedQuotes = row.quoteFreeDelimiter != delimiter
        var end = start
        var column = 0   // the next field
        for position in 0..<row.count {
            let cell = row[position]
            let target = cell.reference.column
            if target < column { continue }
            let (text, protect) = output(of: cell)
            // The delimiters before the cell: one per empty field up to it, and one after the last field.
            end = write(text, protect: protect, mayNeedQuotes: mayNeedQuotes,
                        after: column == 0 ? target : target &- column &+ 1, at: end)
            column = target &+ 1
        }
        out.count += end - start
        return column
    }

    /// A cell value, written as a row view's cell with that value is (`output(of:)`).
    func append(_ value: CellValue, to out: inout ByteScratch) {
        switch value {
        case .number(let text): append(text, protect: false, to: &out)
        case .string(let text), .date(let text), .error(let text), .duration(let text):
            append(text, protect: protectFormulas, to: &out)
        case .bool(let flag): append(flag ? CSVFieldEscaper.trueText : CSVFieldEscaper.falseText, to: &out)
        }
    }

    func append(_ text: String, protect: Bool, to out: inout ByteScratch) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { append($0, protect: protect, to: &out) }
        if done == nil {
            var copy = text
            copy.withUTF8 { append($0, protect: protect, to: &out) }
        }
    }

    private func append(_ text: StaticString, to out: inout ByteScratch) {
        out.append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    private func mayNeedProtection(_ byte: UInt8) -> Bool {
        byte < 64 ? (mayNeedProtection.0 >> UInt64(byte)) & 1 == 1
            : byte < 128 && (mayNeedProtection.1 >> UInt64(byte - 64)) & 1 == 1
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>, protect: Bool, to output: inout ByteScratch) {
        append(bytes, protect: protect, after: 0, to: &output)
    }

    /// `delimiters` delimiters, then the field: one reservation for both (a row's fields follow one
    /// another with one delimiter between them, or more where columns are empty).
    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>, protect: Bool, after delimiters: Int, to output: inout ByteScratch) {
        let room = output.reserve(CSVFieldEscaper.room(forFieldOf: bytes.count, after: delimiters))
        output.count += write(bytes, protect: protect, after: delimiters, at: room) - room
    }

    /// The most bytes `write` puts out for a field of `n` bytes: the delimiters, the field with every
    /// byte a doubled quote, the two quotes around it and the protecting `'`.
    @inline(__always)
    static func room(forFieldOf n: Int, after delimiters: Int) -> Int {
        delimiters &+ 2 &* n &+ 3
    }

    /// Writes `delimiters` delimiters and the escaped field at `out`, which has `room(forFieldOf:after:)`
    /// bytes; returns the end of what it wrote. The common field (no special byte, no formula to
    /// protect) is copied here, inline; the others go to `writeQuotedOrProtected`. `mayNeedQuotes`
    /// false: the field is known to hold no byte to quote (`RowView.quoteFreeDelimiter`).
    @inline(__always)
    func write(_ bytes: UnsafeBufferPointer<UInt8>, protect: Bool, mayNeedQuotes: Bool = true, after delimiters: Int,
               at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var out = start
        if delimiters > 0 {   // mostly one: a loop here would become a call to memset
            out.pointee = delimiter
            if delimiters > 1 { (out + 1).update(repeating: delimiter, count: delimiters &- 1) }
            out += delimiters
        }
        let n = bytes.count
        guard let source = bytes.baseAddress, n > 0 else { return out }
        if (protect && mayNeedProtection(source[0])) || (mayNeedQuotes && needsQuotes(UnsafeRawPointer(source), n)) {
            return writeQuotedOrProtected(bytes, protect: protect, at: out)
        }
        copyBytes(from: source, to: out, n)
        return out + n
    }

    /// A field that needs quotes, or may need formula protection.
    @inline(never)
    private func writeQuotedOrProtected(_ bytes: UnsafeBufferPointer<UInt8>, protect: Bool,
                                        at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let source = bytes.baseAddress!, n = bytes.count
        let prefix = protect && FormulaProtection.needsProtection(bytes)
        var out = start
        guard needsQuotes(UnsafeRawPointer(source), n) else {
            if prefix {
                out.pointee = FormulaProtection.quote
                out += 1
            }
            copyBytes(from: source, to: out, n)
            return out + n
        }
        out.pointee = Byte.quote
        out += 1
        if prefix {
            out.pointee = FormulaProtection.quote
            out += 1
        }
        for k in 0..<n {
            let byte = source[k]
            out.pointee = byte
            out += 1
            if byte == Byte.quote {   // doubled
                out.pointee = Byte.quote
                out += 1
            }
        }
        out.pointee = Byte.quote
        return out + 1
    }

    /// Whether the `n` (> 0) bytes at `p` hold the delimiter, a quote, CR or LF: eight bytes at a
    /// time, read from the field itself (a short field or the tail with two overlapping loads), never
    /// past its end. Not from the copy in the output: reading a word just written in pieces stalls
    /// the load until the stores retire (store-to-load forwarding fails), which cost a third of the time.
    @inline(__always)
    private func needsQuotes(_ p: UnsafeRawPointer, _ n: Int) -> Bool {
        if n < 8 { return hasSpecialByte(CSVFieldEscaper.shortWord(p, n)) }
        var i = 0
        while i &+ 8 <= n {
            if hasSpecialByte(p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i &+= 8
        }
        return i < n && hasSpecialByte(p.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self))
    }

    /// Whether a byte of `word` is the delimiter, a quote, CR or LF (a zero byte of `word ^ pattern`).
    @inline(__always)
    private func hasSpecialByte(_ word: UInt64) -> Bool {
        // Quick answer first: with a comma or tab delimiter every special byte is below `-` (0x2D),
        // and numbers (`-`, `.`, digits), letters and Chinese text have none. Per byte, with the high
        // bit forced on (so no borrow crosses bytes), `b | 0x80 - 0x2D` keeps it on exactly when the
        // low seven bits are ≥ 0x2D.
        let highs: UInt64 = 0x8080_8080_8080_8080
        if delimiter < 0x2D, ~((word | highs) &- 0x2D2D_2D2D_2D2D_2D2D) & ~word & highs == 0 { return false }
        let ones = CSVFieldEscaper.ones
        let a = word ^ delimiters, b = word ^ CSVFieldEscaper.quotes
        let c = word ^ CSVFieldEscaper.crs, d = word ^ CSVFieldEscaper.lfs
        return (((a &- ones) & ~a) | ((b &- ones) & ~b) | ((c &- ones) & ~c) | ((d &- ones) & ~d)) & 0x8080_8080_8080_8080 != 0
    }

    /// Bytes `0..<n` (1...7) at `p` in the low bytes of a word, the rest 0xFF (which is none of the
    /// special bytes); read with two overlapping loads inside the field.
    @inline(__always)
    private static func shortWord(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        let word: UInt64
        switch n {
        case 4...:
            word = UInt64(p.loadUnaligned(as: UInt32.self))
                | UInt64(p.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)) &<< UInt64((n &- 4) &* 8)
        case 2...:
            word = UInt64(p.loadUnaligned(as: UInt16.self))
                | UInt64(p.loadUnaligned(fromByteOffset: n &- 2, as: UInt16.self)) &<< UInt64((n &- 2) &* 8)
        default:
            word = UInt64(p.load(as: UInt8.self))
        }
        return word | (~0 &<< UInt64(n &* 8))
    }
}
