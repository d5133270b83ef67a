/// A text encoding of a CSV file.
///
/// The raw values are the spellings of the `--encoding` option. Readers detect UTF-8, GB18030 and
/// (by their byte-order mark only) UTF-16; writers produce UTF-8 or GB18030.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case gb18030
    /// UTF-16 little-endian; recognised by its byte-order mark (`FF FE`) when reading, never written.
    case utf16LE = "utf-16le"
    /// UTF-16 big-endian; recognised by its byte-order mark (`FE FF`) when reading, never written.
    case utf16BE = "utf-16be"

    /// Accepts the raw values and the usual aliases (`utf8`, `UTF-8`, `gbk`, `gb2312`, `cp936`):
    /// GBK and GB2312 are subsets of GB18030, so their files read correctly as GB18030.
    public init?(name: String) {
        let folded = String(name.lowercased().filter { $0 != "-" && $0 != "_" })
        switch folded {
        case "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936", "936": self = .gb18030
        case "utf16le": self = .utf16LE
        case "utf16be": self = .utf16BE
        default: return nil
        }
    }

    /// The name glibc's iconv knows the encoding by.
    var iconvName: String {
        switch self {
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        case .utf16LE: "UTF-16LE"
        case .utf16BE: "UTF-16BE"
        }
    }

    /// The byte-order mark of this encoding, as it appears at the start of a file.
    var byteOrderMark: [UInt8] {
        switch self {
        case .utf8: [0xEF, 0xBB, 0xBF]
        case .gb18030: [0x84, 0x31, 0x95, 0x33]  // U+FEFF in GB18030
        case .utf16LE: [0xFF, 0xFE]
        case .utf16BE: [0xFE, 0xFF]
        }
    }

    /// The encoding announced by a byte-order mark at the start of `bytes`, and the mark's length.
    static func detectByteOrderMark(_ bytes: UnsafeRawBufferPointer) -> (TextEncoding, Int)? {
        for encoding in [TextEncoding.utf8, .gb18030, .utf16LE, .utf16BE] {
            let mark = encoding.byteOrderMark
            if bytes.count >= mark.count, zip(bytes.prefix(mark.count), mark).allSatisfy({ $0 == $1 }) {
                return (encoding, mark.count)
            }
        }
        return nil
    }
}

/// Byte-level scans used by the CSV reader and writer. All work on raw pointers, 8 bytes at a time
/// where they can.
enum ByteScan {
    /// The offset of the first byte ≥ 0x80 in `p[0..<count]`, or `count`.
    @inline(__always)
    static func firstNonASCII(_ p: UnsafePointer<UInt8>, _ count: Int, from start: Int = 0) -> Int {
        var i = start
        let raw = UnsafeRawPointer(p)
        while i &+ 32 <= count {
            let any = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: i &+ 16, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: i &+ 24, as: UInt64.self)
            if any & 0x8080_8080_8080_8080 != 0 { break }
            i &+= 32
        }
        while i + 8 <= count {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < count, p[i] < 0x80 { i += 1 }
        return i
    }

    /// The offset of the first byte < 0x80 in `p[start..<count]`, or `count`.
    @inline(__always)
    static func firstASCII(_ p: UnsafePointer<UInt8>, _ count: Int, from start: Int) -> Int {
        var i = start
        while i < count, p[i] >= 0x80 { i += 1 }
        return i
    }

    enum UTF8Status: Equatable {
        /// Every byte belongs to a complete, valid sequence.
        case complete
        /// The bytes from `valid` on start a valid sequence that the buffer cuts short.
        case incomplete
        /// The byte at `valid` starts (or continues) an invalid sequence.
        case invalid
    }

    /// Strict UTF-8 validation (no overlong forms, no surrogates, nothing above U+10FFFF).
    /// Returns how many leading bytes form complete valid sequences and why it stopped there.
    static func validateUTF8(_ p: UnsafePointer<UInt8>, _ count: Int) -> (valid: Int, status: UTF8Status) {
        var i = 0
        while i < count {
            if p[i] < 0x80 {
                i = firstNonASCII(p, count, from: i)
                continue
            }
            // A run of multibyte characters (Chinese text): stay in this loop until the next ASCII byte.
            repeat {
                let lead = p[i]
                if lead < 0x80 { break }
                // The common case first: a complete three-byte sequence with lead E1...EC or EE...EF.
                if lead &- 0xE1 < 0x0F, lead != 0xED, i &+ 3 <= count {
                    if (p[i &+ 1] & 0xC0) != 0x80 || (p[i &+ 2] & 0xC0) != 0x80 { return (i, .invalid) }
                    i &+= 3
                    continue
                }
                let length: Int
                var low: UInt8 = 0x80
                var high: UInt8 = 0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; low = 0xA0
                case 0xE1...0xEC, 0xEE, 0xEF: length = 3
                case 0xED: length = 3; high = 0x9F
                case 0xF0: length = 4; low = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; high = 0x8F
                default: return (i, .invalid)
                }
                let available = min(length, count &- i)
                if available >= 2 {
                    let second = p[i &+ 1]
                    if second < low || second > high { return (i, .invalid) }
                    var k = 2
                    while k < available {
                        if p[i &+ k] & 0xC0 != 0x80 { return (i, .invalid) }
                        k &+= 1
                    }
                }
                if available < length { return (i, .incomplete) }
                i &+= length
            } while i < count
        }
        return (count, .complete)
    }
}
