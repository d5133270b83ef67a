#if canImport(Glibc)
import Glibc
#endif

/// Decimal text for numbers stored as binary doubles (xlsx `<v>` elements).
public enum NumberText {
    /// The shortest plain decimal that reads back as the same double as `text`, or nil when `text`
    /// is not a finite number. `0.1` stays `0.1`; `79.73999999999999` (as XlsxWriter stores 79.74)
    /// stays as it is, because that is a different double; `1E-5` becomes `0.00001`; `3584.0` becomes `3584`.
    public static func canonical<S: StringProtocol>(_ text: S) -> String? {
        if let fast = canonicalShortDecimal(text) { return fast }
        guard let value = parse(text) else { return nil }
        return shortest(value)
    }

    /// Parses a decimal or scientific number with the C library (the process never calls
    /// `setlocale`, so the decimal point is always `.`). Nil for text that is not entirely a finite number.
    public static func parse<S: StringProtocol>(_ text: S) -> Double? {
        let trimmed = text.utf8.count
        guard trimmed > 0, trimmed < 400 else { return nil }
        return String(text).withCString { start -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(start, &end)
            guard let end, end != UnsafeMutablePointer(mutating: start), end.pointee == 0, value.isFinite else { return nil }
            // strtod also accepts hex floats, "inf" and leading spaces; a cell value is none of those.
            guard let first = start.pointee as CChar?, first != 0x20, first != 0x09 else { return nil }
            for i in 0..<trimmed {
                let c = UInt8(bitPattern: start[i])
                if c == UInt8(ascii: "x") || c == UInt8(ascii: "X") || c == UInt8(ascii: "n") || c == UInt8(ascii: "N") { return nil }
            }
            return value
        }
    }

    /// The shortest round-trip decimal of a finite double, in plain notation (no exponent).
    public static func shortest(_ value: Double) -> String {
        if value == 0 { return "0" }
        // Swift's description is the shortest round-trip digits, sometimes in exponent form.
        return plain(value.description)
    }

    /// Fast path: a plain decimal with at most 15 significant digits is already the shortest text of
    /// its double (15 digits always survive decimal → double → decimal), once its zeros are trimmed.
    static func canonicalShortDecimal<S: StringProtocol>(_ text: S) -> String? {
        var negative = false
        var integer: [UInt8] = []
        var fraction: [UInt8] = []
        var sawPoint = false
        var index = 0
        for byte in text.utf8 {
            defer { index += 1 }
            switch byte {
            case UInt8(ascii: "-") where index == 0: negative = true
            case UInt8(ascii: "."):
                if sawPoint { return nil }
                sawPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawPoint { fraction.append(byte) } else { integer.append(byte) }
            default: return nil
            }
        }
        guard !integer.isEmpty || !fraction.isEmpty else { return nil }
        while integer.first == UInt8(ascii: "0") { integer.removeFirst() }
        while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        var significant = integer.count + fraction.count
        if integer.isEmpty { significant = fraction.drop { $0 == UInt8(ascii: "0") }.count }
        guard significant <= 15 else { return nil }
        if integer.isEmpty && fraction.isEmpty { return "0" }
        var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        out += integer.isEmpty ? [UInt8(ascii: "0")] : integer
        if !fraction.isEmpty { out.append(UInt8(ascii: ".")); out += fraction }
        return String(decoding: out, as: UTF8.self)
    }

    /// Rewrites `1.5e-05`, `1e+16`, `3584.0` as plain decimals.
    static func plain(_ text: String) -> String {
        var negative = false
        var digits: [UInt8] = []
        var pointPosition: Int?
        var exponent = 0
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        var exponentPart: ArraySlice<UInt8> = []
        if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            exponentPart = bytes[(e + 1)...]
            bytes = bytes[..<e]
        }
        for byte in bytes {
            if byte == UInt8(ascii: ".") { pointPosition = digits.count } else { digits.append(byte) }
        }
        if !exponentPart.isEmpty { exponent = Int(String(decoding: exponentPart, as: UTF8.self)) ?? 0 }
        var point = (pointPosition ?? digits.count) + exponent
        // Trim leading zeros (moving the point) and trailing zeros after the point.
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits.removeFirst(); point -= 1 }
        while digits.count > max(point, 1), digits.last == UInt8(ascii: "0") { digits.removeLast() }
        var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        if point <= 0 {
            out += [UInt8(ascii: "0"), UInt8(ascii: ".")] + Array(repeating: UInt8(ascii: "0"), count: -point) + digits
        } else if point >= digits.count {
            out += digits + Array(repeating: UInt8(ascii: "0"), count: point - digits.count)
        } else {
            out += digits[..<point]
            out.append(UInt8(ascii: "."))
            out += digits[point...]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
