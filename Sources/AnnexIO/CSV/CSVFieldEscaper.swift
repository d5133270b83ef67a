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

    /// A row view's cell: `.number` text as it is, `.bool` as `TRUE`/`FALSE`, the rest as text.
    @inline(__always)
    func append(_ cell: CellView, to out: inout ByteScratch) {
        switch cell.kind {
        case .number: append(cell.text, protect: false, to: &out)
        case .bool: append(cell.text.first == UInt8(ascii: "t") ? CSVFieldEscaper.trueText : CSVFieldEscaper.falseText, to: &out)
        case .string, .date, .error, .duration: append(cell.text, protect: protectFormulas, to: &out)
        }
    }

    /// A cell value, written as `append(_ cell:)` writes the same cell.
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
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        let n = bytes.count
        let prefix = protect && mayNeedProtection(source[0]) && FormulaProtection.needsProtection(bytes)
        // Room for the worst case (every byte a quote) plus eight bytes of slack for the word reads below.
        let fieldStart = output.reserve(2 &* n &+ 3 &+ 8)
        var out = fieldStart
        if prefix {
            out.pointee = FormulaProtection.quote
            out += 1
        }
        // Copy first, then look for bytes that need quoting in our own buffer, eight at a time
        // (reading past the field is safe there; those bytes are masked off).
        copyBytes(from: source, to: out, n)
        let raw = UnsafeRawPointer(out)
        let ones = CSVFieldEscaper.ones
        var quote = false
        var i = 0
        while i < n {
            var word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let remaining = n &- i
            var valid: UInt64 = 0x8080_8080_8080_8080
            if remaining < 8 {
                valid &= (1 &<< UInt64(remaining &* 8)) &- 1
                word |= ~((1 &<< UInt64(remaining &* 8)) &- 1)  // 0xFF never matches
            }
            let a = word ^ delimiters, b = word ^ CSVFieldEscaper.quotes
            let c = word ^ CSVFieldEscaper.crs, d = word ^ CSVFieldEscaper.lfs
            if (((a &- ones) & ~a) | ((b &- ones) & ~b) | ((c &- ones) & ~c) | ((d &- ones) & ~d)) & valid != 0 {
                quote = true
                break
            }
            i &+= 8
        }
        if !quote {
            output.count += (out + n) - fieldStart
            return
        }
        // Rare: write it again, quoted, with quotes doubled.
        out = fieldStart
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
            if byte == Byte.quote {
                out.pointee = Byte.quote
                out += 1
            }
        }
        out.pointee = Byte.quote
        out += 1
        output.count += out - fieldStart
    }
}
