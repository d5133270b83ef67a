/// SpreadsheetML writes characters that XML 1.0 cannot carry (control characters) as `_xHHHH_`
/// (ECMA-376 Part 1, 22.9.2.19 ST_Xstring); a literal `_x` sequence is itself escaped as `_x005F_`.
enum TextEscapes {
    /// Decodes `_xHHHH_` escapes in UTF-8 bytes; returns the text unchanged when there are none.
    static func decode(_ bytes: [UInt8]) -> String {
        guard bytes.count >= 7, bytes.contains(UInt8(ascii: "_")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "_"), i + 6 < bytes.count, bytes[i + 1] == UInt8(ascii: "x"),
               bytes[i + 6] == UInt8(ascii: "_"), let scalar = hexScalar(bytes[(i + 2)..<(i + 6)]) {
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                i += 7
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexScalar(_ digits: ArraySlice<UInt8>) -> Unicode.Scalar? {
        var value: UInt32 = 0
        for d in digits {
            switch d {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(d - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt32(d - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value << 4 | UInt32(d - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
        return Unicode.Scalar(value)
    }
}
