#if canImport(Glibc)
import Glibc
#endif

/// A growable byte buffer for generating XML fast: raw-pointer appends (no `[UInt8]` bounds checks),
/// integers and A1 references formatted in place without building Strings, and the escaping that
/// SpreadsheetML needs.
///
/// Escaping (`appendEscapedText`), so that what a reader decodes is exactly the original text:
/// - `&` `<` `>` `"` become entity references;
/// - a carriage return becomes `&#13;` (a literal CR would be normalised to LF by every XML parser);
/// - characters XML 1.0 forbids (controls other than tab, LF, CR; U+FFFE, U+FFFF) become OOXML's
///   `_xHHHH_` escape, and a literal `_xHHHH_` in the text gets its underscore escaped as `_x005F_`,
///   as Excel does, so that decoding the escapes gives the text back.
///
/// The owner flushes (`bytes`, then `removeAll()`) whenever `count` passes its threshold.
final class XMLBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count: Int = 0

    /// Bytes that need a look in text content: `& < > "`, controls, `_` (the `_xHHHH_` escape) and
    /// 0xEF (the lead byte of U+FFFE / U+FFFF).
    private let textSpecial: UnsafeMutablePointer<Bool>

    init(capacity: Int = 128 * 1024) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        textSpecial = .allocate(capacity: 256)
        textSpecial.initialize(repeating: false, count: 256)
        for byte in 0..<0x20 { textSpecial[byte] = true }
        textSpecial[9] = false
        textSpecial[10] = false
        for byte in [UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""),
                     UInt8(ascii: "_"), 0xEF] {
            textSpecial[Int(byte)] = true
        }
    }

    deinit {
        base.deallocate()
        textSpecial.deallocate()
    }

    /// The bytes written so far; valid until the next append.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    func removeAll() { count = 0 }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    func reserve(_ extra: Int) {
        if capacity - count < extra { grow(extra) }
    }

    @inline(never)
    private func grow(_ extra: Int) {
        var newCapacity = capacity * 2
        while newCapacity - count < extra { newCapacity *= 2 }
        base = base.reallocated(capacity: newCapacity, keeping: count)
        capacity = newCapacity
    }

    // MARK: - Plain appends

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// Appends markup written in the source (never escaped).
    @inline(__always)
    func append(_ literal: StaticString) {
        let length = literal.utf8CodeUnitCount
        reserve(length)
        (base + count).update(from: literal.utf8Start, count: length)
        count += length
    }

    @inline(__always)
    func append(_ raw: UnsafeRawBufferPointer) {
        guard let source = raw.baseAddress, raw.count > 0 else { return }
        reserve(raw.count)
        (base + count).update(from: source.assumingMemoryBound(to: UInt8.self), count: raw.count)
        count += raw.count
    }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Appends a string's UTF-8 as it is (the caller knows it needs no escaping).
    func appendUnescaped(_ string: String) {
        XMLBuffer.withUTF8(string) { append($0) }
    }

    /// An integer in decimal.
    @inline(__always)
    func appendInt(_ value: Int) {
        reserve(20)
        var magnitude = value.magnitude
        if value < 0 {
            base[count] = UInt8(ascii: "-")
            count += 1
        }
        var length = 1
        var probe = magnitude
        while probe >= 10 { probe /= 10; length += 1 }
        var p = base + count + length
        repeat {
            p -= 1
            p.pointee = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
            magnitude /= 10
        } while magnitude > 0
        count += length
    }

    /// Column letters for a zero-based column (0 → `A`, 16383 → `XFD`).
    @inline(__always)
    func appendColumnName(_ column: Int) {
        reserve(3)
        if column < 26 {
            base[count] = UInt8(truncatingIfNeeded: column) &+ 65
            count += 1
        } else if column < 702 {
            let n = column - 26
            base[count] = UInt8(truncatingIfNeeded: n / 26) &+ 65
            base[count + 1] = UInt8(truncatingIfNeeded: n % 26) &+ 65
            count += 2
        } else {
            let n = column - 702
            base[count] = UInt8(truncatingIfNeeded: n / 676) &+ 65
            base[count + 1] = UInt8(truncatingIfNeeded: (n / 26) % 26) &+ 65
            base[count + 2] = UInt8(truncatingIfNeeded: n % 26) &+ 65
            count += 3
        }
    }

    /// `B7` for zero-based (row 6, column 1).
    func appendCellReference(row: Int, column: Int) {
        appendColumnName(column)
        appendInt(row + 1)
    }

    /// A double in its shortest round-trip form, without a trailing `.0` (`11`, `10.5`, `0.75`).
    func appendDouble(_ value: Double) {
        appendUnescaped(XMLBuffer.format(value))
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    // MARK: - Escaping

    /// Element text, escaped as described on the type.
    func appendEscapedText(_ string: String) {
        XMLBuffer.withUTF8(string) { appendEscapedText($0) }
    }

    /// Element text of parts that do not know OOXML's `_xHHHH_` convention (document properties):
    /// entities and `&#13;` only. Callers remove forbidden characters beforehand.
    func appendEscapedPlainText(_ string: String) {
        XMLBuffer.withUTF8(string) { appendEscapedText($0, ooxmlEscapes: false) }
    }

    func appendEscapedText(_ text: UnsafeRawBufferPointer, ooxmlEscapes: Bool = true) {
        guard let start = text.baseAddress?.assumingMemoryBound(to: UInt8.self), text.count > 0 else { return }
        let n = text.count
        let special = textSpecial
        var i = 0
        while i < n && !special[Int(start[i])] { i += 1 }
        if i == n {   // the common case: nothing to escape
            reserve(n)
            (base + count).update(from: start, count: n)
            count += n
            return
        }
        reserve(n)
        (base + count).update(from: start, count: i)
        count += i
        var runStart = i
        while i < n {
            let byte = start[i]
            if !special[Int(byte)] { i += 1; continue }
            var replacement: StaticString? = nil
            var hexEscape: UInt32? = nil
            var consumed = 1
            switch byte {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case 13: replacement = "&#13;"
            case UInt8(ascii: "_"):
                if ooxmlEscapes && XMLBuffer.isHexEscape(start + i, n - i) { replacement = "_x005F_" }
            case 0xEF:
                if ooxmlEscapes, i + 2 < n, start[i + 1] == 0xBF, start[i + 2] == 0xBE || start[i + 2] == 0xBF {
                    hexEscape = start[i + 2] == 0xBE ? 0xFFFE : 0xFFFF
                    consumed = 3
                }
            default:   // a control character XML 1.0 cannot carry
                if ooxmlEscapes { hexEscape = UInt32(byte) }
            }
            if replacement == nil && hexEscape == nil { i += 1; continue }
            appendRaw(start + runStart, i - runStart)
            if let replacement { append(replacement) }
            if let hexEscape { appendHexEscape(hexEscape) }
            i += consumed
            runStart = i
        }
        appendRaw(start + runStart, n - runStart)
    }

    /// Attribute value: `& < > "` as entities, tab, LF and CR as character references (attribute
    /// value normalisation would turn them into spaces). Callers reject other controls beforehand.
    func appendEscapedAttribute(_ string: String) {
        XMLBuffer.withUTF8(string) { raw in
            guard let start = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            var runStart = 0
            for i in 0..<raw.count {
                let replacement: StaticString
                switch start[i] {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case 9: replacement = "&#9;"
                case 10: replacement = "&#10;"
                case 13: replacement = "&#13;"
                default: continue
                }
                appendRaw(start + runStart, i - runStart)
                append(replacement)
                runStart = i + 1
            }
            appendRaw(start + runStart, raw.count - runStart)
        }
    }

    /// True when the text needs `xml:space="preserve"`: it starts or ends with white space, or holds a
    /// line break or tab (which some consumers would otherwise collapse).
    static func needsPreserve(_ string: String) -> Bool {
        XMLBuffer.withUTF8(string) { needsPreserve($0) }
    }

    static func needsPreserve(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard let first = raw.first, let last = raw.last else { return false }
        if isSpace(first) || isSpace(last) { return true }
        for byte in raw where byte == 10 || byte == 13 || byte == 9 { return true }
        return false
    }

    /// True when a string contains characters that no XML 1.0 document can carry even escaped
    /// (controls other than tab/LF/CR, U+FFFE, U+FFFF); such text can only go where `_xHHHH_` applies.
    static func hasForbiddenCharacters(_ string: String) -> Bool {
        for scalar in string.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 9 && v != 10 && v != 13) || v == 0xFFFE || v == 0xFFFF { return true }
        }
        return false
    }

    /// The string without the characters `hasForbiddenCharacters` looks for.
    static func removingForbiddenCharacters(_ string: String) -> String {
        guard hasForbiddenCharacters(string) else { return string }
        var scalars = String.UnicodeScalarView()
        for scalar in string.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 9 && v != 10 && v != 13) || v == 0xFFFE || v == 0xFFFF { continue }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    // MARK: - Internals

    @inline(__always)
    private func appendRaw(_ start: UnsafePointer<UInt8>, _ length: Int) {
        guard length > 0 else { return }
        reserve(length)
        (base + count).update(from: start, count: length)
        count += length
    }

    private func appendHexEscape(_ value: UInt32) {
        reserve(7)
        let hex: StaticString = "0123456789ABCDEF"
        let digits = hex.utf8Start
        base[count] = UInt8(ascii: "_")
        base[count + 1] = UInt8(ascii: "x")
        base[count + 2] = digits[Int((value >> 12) & 0xF)]
        base[count + 3] = digits[Int((value >> 8) & 0xF)]
        base[count + 4] = digits[Int((value >> 4) & 0xF)]
        base[count + 5] = digits[Int(value & 0xF)]
        base[count + 6] = UInt8(ascii: "_")
        count += 7
    }

    /// `_xHHHH_` at `p` (4 hex digits, either case).
    private static func isHexEscape(_ p: UnsafePointer<UInt8>, _ available: Int) -> Bool {
        guard available >= 7, p[1] == UInt8(ascii: "x"), p[6] == UInt8(ascii: "_") else { return false }
        for k in 2...5 {
            switch p[k] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                 UInt8(ascii: "A")...UInt8(ascii: "F"):
                continue
            default:
                return false
            }
        }
        return true
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 32 || byte == 9 || byte == 10 || byte == 13
    }
}

extension XMLBuffer {
/// Runs `body` over a string's UTF-8 without copying when the string is native and contiguous.
@inline(__always)
static func withUTF8<R>(_ string: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    if let result = try string.utf8.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
        return result
    }
    var copy = string
    return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
}
}
