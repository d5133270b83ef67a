/// JSON string literals (RFC 8259): quotes, backslashes and control characters escaped, everything
/// else (CJK included) written as UTF-8 so the output stays readable.
public enum JSONString {
    public static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { append(utf8: $0, to: &out) }
    }

    /// The literal of UTF-8 text given as bytes (a row view's value).
    public static func append(utf8 text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        appendLiteral(text, to: &out)
    }

    /// The hot path of `annex dump`: the text is copied first and then checked eight bytes at a time
    /// in our own buffer (reading past the text is safe there); only text that needs an escape is
    /// written again byte by byte.
    static func append(utf8 text: UnsafeBufferPointer<UInt8>, to out: inout ByteScratch) {
        guard let source = text.baseAddress else {
            out.append(UnsafeRawBufferPointer(start: emptyLiteral.utf8Start, count: 2))
            return
        }
        let n = text.count
        let start = out.count
        let room = out.reserve(n + 2 + 8)
        room.pointee = UInt8(ascii: "\"")
        copyBytes(from: source, to: room + 1, n)
        let raw = UnsafeRawPointer(room + 1)
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i < n {
            var word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let remaining = n &- i
            if remaining < 8 { word |= ~((1 &<< UInt64(remaining &* 8)) &- 1) }   // 0xFF needs no escape
            // Exact "is any byte < 0x20, == 0x22 or == 0x5C" (the has-less / has-zero byte tricks).
            let quotes = word ^ (0x22 &* ones), backslashes = word ^ (0x5C &* ones)
            let found = ((word &- 0x20 &* ones) & ~word) | ((quotes &- ones) & ~quotes)
                | ((backslashes &- ones) & ~backslashes)
            if found & 0x8080_8080_8080_8080 != 0 {
                out.count = start
                appendLiteral(text, to: &out)
                return
            }
            i &+= 8
        }
        room[n + 1] = UInt8(ascii: "\"")
        out.count = start + n + 2
    }

    private static let emptyLiteral: StaticString = "\"\""

    static func append(_ text: String, to out: inout ByteScratch) {
        var text = text
        text.withUTF8 { appendLiteral($0, to: &out) }
    }

    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Runs that need no escape are copied whole.
    @inline(__always)
    private static func appendLiteral<Out: ByteAppending>(_ text: UnsafeBufferPointer<UInt8>, to out: inout Out) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<text.count {
            let byte = text[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if index > runStart { out.append(UnsafeBufferPointer(rebasing: text[runStart..<index])) }
            runStart = index + 1
            out.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            default:
                let hex: StaticString = "0123456789abcdef"
                for digit in [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                              hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xf)]] {
                    out.append(digit)
                }
            }
        }
        if text.count > runStart { out.append(UnsafeBufferPointer(rebasing: text[runStart...])) }
        out.append(UInt8(ascii: "\""))
    }
}

/// Where escaped bytes go: an array, or a `ByteScratch` in the hot writers.
protocol ByteAppending {
    mutating func append(_ byte: UInt8)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteAppending where Element == UInt8 {
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
}

extension ByteScratch: ByteAppending {}
