/// SpreadsheetML writes characters that XML 1.0 cannot carry (control characters) as `_xHHHH_`
/// (ECMA-376 Part 1, 22.9.2.19 ST_Xstring); a literal `_x` sequence is itself escaped as `_x005F_`.
enum TextEscapes {
    /// Decodes `_xHHHH_` escapes in UTF-8 bytes; returns the text unchanged when there are none.
    static func decode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { input in
            guard mayHaveEscapes(input) else { return String(decoding: input, as: UTF8.self) }
            var out = ByteScratch(capacity: input.count)
            defer { out.deallocate() }
            append(decoding: input, to: &out)
            return String(decoding: out.bytes, as: UTF8.self)
        }
    }

    /// Appends the bytes with their escapes decoded.
    static func append(decoding input: UnsafeBufferPointer<UInt8>, to out: inout ByteScratch) {
        guard mayHaveEscapes(input) else { return out.append(input) }
        var i = 0
        let n = input.count
        while i < n {
            if input[i] == UInt8(ascii: "_"), i + 6 < n, input[i + 1] == UInt8(ascii: "x"),
               input[i + 6] == UInt8(ascii: "_"), let scalar = hexScalar(UnsafeBufferPointer(rebasing: input[(i + 2)..<(i + 6)])) {
                for byte in UTF8.encode(scalar)! { out.append(byte) }
                i += 7
            } else {
                out.append(input[i])
                i += 1
            }
        }
    }

    @inline(__always)
    private static func mayHaveEscapes(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        input.count >= 7 && input.contains(UInt8(ascii: "_"))
    }

    private static func hexScalar(_ digits: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
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
