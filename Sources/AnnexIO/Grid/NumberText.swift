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

    /// `shortest(value)` appended as bytes, for readers of binary doubles (BIFF). Fast paths, exact:
    /// an integer below 2^53 is its digits; a value that is n / 10^k for an integer n below 2^51 and
    /// k ≤ 4 (`Double(n) / 10^k == value`, one correctly rounded division) is n written with k
    /// decimals, zeros trimmed — no other decimal of k or fewer places rounds to the same double,
    /// since those lie 10^-k apart and the double's spacing there is below 10^-k / 2. Anything
    /// else takes `shortest` (Swift's shortest round-trip digits).
    static func appendShortest(_ value: Double, to out: inout ByteScratch) {
        if value.rounded() == value, abs(value) < 9_007_199_254_740_992 {
            appendDigits(Int(value), decimals: 0, to: &out)   // -0 is Int 0: "0"
            return
        }
        var scale = 1.0
        for decimals in 1...4 {
            scale *= 10
            let scaled = (value * scale).rounded()
            if abs(scaled) < 2_251_799_813_685_248, scaled / scale == value {
                appendDigits(Int(scaled), decimals: decimals, to: &out)
                return
            }
        }
        out.append(shortest(value))
    }

    /// `n / 10^decimals` as plain decimal text, trailing fraction zeros trimmed, written in place.
    private static func appendDigits(_ n: Int, decimals: Int, to out: inout ByteScratch) {
        var magnitude = n.magnitude
        var decimals = decimals
        while decimals > 0, magnitude % 10 == 0 {
            magnitude /= 10
            decimals -= 1
        }
        // Constant divisors (a multiplication each), not a division by a variable power of ten.
        var (integer, fraction): (UInt, UInt) = switch decimals {
        case 0: (magnitude, 0)
        case 1: magnitude.quotientAndRemainder(dividingBy: 10)
        case 2: magnitude.quotientAndRemainder(dividingBy: 100)
        case 3: magnitude.quotientAndRemainder(dividingBy: 1000)
        default: magnitude.quotientAndRemainder(dividingBy: 10000)
        }
        var integerDigits = 1
        var probe = integer
        while probe >= 10 {
            probe /= 10
            integerDigits += 1
        }
        let total = (n < 0 ? 1 : 0) + integerDigits + (decimals > 0 ? decimals + 1 : 0)
        let p = out.reserve(total)
        var i = total
        for _ in 0..<decimals {
            i -= 1
            p[i] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
        }
        if decimals > 0 {
            i -= 1
            p[i] = UInt8(ascii: ".")
        }
        repeat {
            i -= 1
            p[i] = UInt8(ascii: "0") + UInt8(integer % 10)
            integer /= 10
        } while integer > 0
        if n < 0 { p[0] = UInt8(ascii: "-") }
        out.count += total
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

extension NumberText {
    /// `canonical` on the bytes of an xlsx `<v>`, appended to a byte buffer (the row views' arena)
    /// without building a String: the reader's hot path. False when `bytes` is not a finite number,
    /// with nothing appended.
    ///
    /// Most `<v>` texts are plain decimals with at most 15 significant digits, which are already
    /// canonical once their zeros are trimmed. Writers that print 16–17 significant digits
    /// (libxlsxwriter, XlsxWriter: `810.0599999999999` for 810.06) get a second fast path: the text
    /// rounded to 15 digits is the shortest round-trip decimal exactly when it reads back as the same
    /// double — a double's rounding interval (relative width below 2.3e-16) holds at most one point of
    /// the 15-digit grid (spacing above 1e-15), and the shortest decimal padded to 15 digits is such a
    /// point. Both reads are exact (Clinger's fast path: mantissa at most 2^53, power of ten at most 22).
    /// Anything else (exponents, more digits, spaces) goes to `canonical(_:)` (strtod + description,
    /// several times slower); SheetDataScannerTests checks the two against each other on random input.
    static func appendCanonical(bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteScratch) -> Bool {
        let n = bytes.count
        guard n > 0, n <= 40, let base = bytes.baseAddress else { return general(bytes, to: &out) }
        var i = 0
        let negative = base[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        // value = mantissa × 10^-scale, mantissa without leading zeros.
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var sawPoint = false
        var sawDigit = false
        while i < n {
            let b = base[i]
            if b == UInt8(ascii: ".") {
                if sawPoint { return false }
                sawPoint = true
            } else if b &- UInt8(ascii: "0") < 10 {
                sawDigit = true
                let d = UInt64(b &- UInt8(ascii: "0"))
                if sawPoint { scale += 1 }
                if digits > 0 || d != 0 {
                    if digits == 19 { return general(bytes, to: &out) }
                    mantissa = mantissa &* 10 &+ d
                    digits += 1
                }
            } else {
                return general(bytes, to: &out)
            }
            i += 1
        }
        guard sawDigit else { return false }
        if digits == 0 { out.append(UInt8(ascii: "0")); return true }
        let trailingZeros = scale > 0 && mantissa % 10 == 0
        while scale > 0 && mantissa % 10 == 0 { mantissa /= 10; scale -= 1; digits -= 1 }
        if digits <= 15 {
            // Already canonical (`40503`, `1620.12`, `0.5`): the input bytes are the answer.
            let first = base[negative ? 1 : 0]
            let leadingZero = first == UInt8(ascii: "0") && !(n > (negative ? 2 : 1) && base[negative ? 2 : 1] == UInt8(ascii: "."))
            if !trailingZeros, !leadingZero, first != UInt8(ascii: "."), base[n - 1] != UInt8(ascii: ".") {
                out.append(bytes)
                return true
            }
            render(negative: negative, mantissa: mantissa, scale: scale, to: &out)
            return true
        }
        // 16–19 digits: round to 15 (half up) and keep it only if it reads back as the same double.
        let drop = digits - 15
        guard scale >= drop, let exact = exactDouble(mantissa, scale: scale) else { return general(bytes, to: &out) }
        var divisor: UInt64 = 1
        for _ in 0..<drop { divisor *= 10 }
        var rounded = mantissa / divisor
        if mantissa % divisor >= divisor / 2 { rounded += 1 }
        var roundedScale = scale - drop
        guard let back = exactDouble(rounded, scale: roundedScale), back == exact else { return general(bytes, to: &out) }
        while roundedScale > 0 && rounded % 10 == 0 { rounded /= 10; roundedScale -= 1 }
        render(negative: negative, mantissa: rounded, scale: roundedScale, to: &out)
        return true
    }

    @inline(never)
    private static func general(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteScratch) -> Bool {
        guard let text = canonical(String(decoding: bytes, as: UTF8.self)) else { return false }
        out.append(text)
        return true
    }

    private static let powersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }   // exact: every power up to 10^22 is a double
        return p
    }

    /// mantissa × 10^-scale, correctly rounded (both operands exact, one IEEE division), or nil
    /// outside the range where that holds.
    @inline(__always)
    private static func exactDouble(_ mantissa: UInt64, scale: Int) -> Double? {
        guard mantissa <= 1 << 53, scale >= 0, scale <= 22 else { return nil }
        return Double(mantissa) / powersOfTen[scale]
    }

    /// mantissa × 10^-scale as a plain decimal; scale ≤ 40 (the input length bounds it).
    private static func render(negative: Bool, mantissa: UInt64, scale: Int, to buffer: inout ByteScratch) {
        // At most: sign, "0.", 40 zeros, 20 digits.
        let out = buffer.reserve(64)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes of room for the mantissa's digits
        let count = withUnsafeMutableBytes(of: &digits) { room -> Int in
            // The mantissa's digits, written backwards at the end of the room.
            var start = room.count
            var m = mantissa
            repeat {
                start -= 1
                room[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10)
                m /= 10
            } while m > 0
            let count = room.count - start
            var length = 0
            if negative { out[0] = UInt8(ascii: "-"); length = 1 }
            if count > scale {
                let integer = count - scale
                for k in 0..<integer { out[length + k] = room[start + k] }
                length += integer
                if scale > 0 {
                    out[length] = UInt8(ascii: ".")
                    length += 1
                    for k in 0..<scale { out[length + k] = room[start + integer + k] }
                    length += scale
                }
            } else {
                out[length] = UInt8(ascii: "0")
                out[length + 1] = UInt8(ascii: ".")
                length += 2
                for _ in 0..<(scale - count) { out[length] = UInt8(ascii: "0"); length += 1 }
                for k in 0..<count { out[length + k] = room[start + k] }
                length += count
            }
            return length
        }
        buffer.count += count
    }
}
