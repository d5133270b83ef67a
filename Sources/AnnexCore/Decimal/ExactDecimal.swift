/// An exact decimal number: a 128-bit integer significand and a count of decimal places.
///
/// Every figure leaves the Grid as one of these, never as a Double, so 56.245 rounds half up to
/// 56.25 as the footnotes require (各栏目数据精确至小数点后2位), and sums carry no binary-float tails.
/// 38 significant digits cover every amount and head count the annexes print.
public struct ExactDecimal: Hashable, Comparable, Sendable, CustomStringConvertible {
    public private(set) var significand: Int128
    /// Digits after the decimal point (value = significand / 10^scale).
    public private(set) var scale: Int

    public init(significand: Int128, scale: Int) {
        self.significand = significand
        self.scale = scale
    }

    public init(_ integer: Int) {
        self.init(significand: Int128(integer), scale: 0)
    }

    public static let zero = ExactDecimal(0)

    /// Parses a plain decimal: optional sign, digits, optional point and digits (`-12.50`, `.5`, `3.`).
    /// No exponent, no separators: callers fold those first. Nil for anything else or over 36 digits.
    public init?(_ text: some StringProtocol) {
        var significand: Int128 = 0
        var scale = 0
        var negative = false
        var sawPoint = false
        var digits = 0
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0: negative = true
            case UInt8(ascii: "+") where index == 0: continue
            case UInt8(ascii: ".") where !sawPoint: sawPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 36 else { return nil }
                significand = significand * 10 + Int128(byte - UInt8(ascii: "0"))
                if sawPoint { scale += 1 }
            default: return nil
            }
        }
        guard digits > 0 else { return nil }
        self.init(significand: negative ? -significand : significand, scale: scale)
    }

    static func power(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// The same value with at least `places` decimals (exact; never rounds).
    func widened(to places: Int) -> ExactDecimal {
        places <= scale ? self : ExactDecimal(significand: significand * Self.power(places - scale), scale: places)
    }

    /// Trailing zeros after the point removed: 12.50 → 12.5, 3.00 → 3.
    public var normalized: ExactDecimal {
        var result = self
        while result.scale > 0, result.significand % 10 == 0 {
            result.significand /= 10
            result.scale -= 1
        }
        return result
    }

    /// Decimal places actually used (trailing zeros do not count): 56.250 has 2.
    public var decimalPlaces: Int { normalized.scale }

    /// Rounded to `places` decimals, half away from zero ("四舍五入"; 56.245 → 56.25, -0.125 → -0.13).
    public func rounded(places: Int) -> ExactDecimal {
        guard scale > places else { return self }
        let divisor = Self.power(scale - places)
        var quotient = significand / divisor
        let remainder = significand % divisor
        if (remainder < 0 ? -remainder : remainder) * 2 >= divisor {
            quotient += significand < 0 ? -1 : 1
        }
        return ExactDecimal(significand: quotient, scale: places)
    }

    /// `self / other`, rounded half up to `places` decimals; nil when dividing by zero.
    public func divided(by other: ExactDecimal, places: Int) -> ExactDecimal? {
        guard other.significand != 0 else { return nil }
        // (a / 10^sa) / (b / 10^sb) = a·10^sb / (b·10^sa); scaled by 10^places and rounded once, exactly.
        var numerator = significand * Self.power(other.scale) * Self.power(places)
        var denominator = other.significand * Self.power(scale)
        if denominator < 0 { numerator = -numerator; denominator = -denominator }
        var quotient = numerator / denominator
        let remainder = numerator % denominator
        if (remainder < 0 ? -remainder : remainder) * 2 >= denominator {
            quotient += numerator < 0 ? -1 : 1
        }
        return ExactDecimal(significand: quotient, scale: places)
    }

    public static func + (lhs: Self, rhs: Self) -> Self {
        let places = max(lhs.scale, rhs.scale)
        return ExactDecimal(significand: lhs.widened(to: places).significand + rhs.widened(to: places).significand, scale: places)
    }

    public static func - (lhs: Self, rhs: Self) -> Self {
        lhs + ExactDecimal(significand: -rhs.significand, scale: rhs.scale)
    }

    public static func * (lhs: Self, rhs: Self) -> Self {
        ExactDecimal(significand: lhs.significand * rhs.significand, scale: lhs.scale + rhs.scale)
    }

    /// Moves the point: `shifted(by: 2)` multiplies by 100 exactly (a stored 1.0092 → 100.92 percent).
    public func shifted(by places: Int) -> ExactDecimal {
        if places >= 0 {
            return places <= scale ? ExactDecimal(significand: significand, scale: scale - places)
                : ExactDecimal(significand: significand * Self.power(places - scale), scale: 0)
        }
        return ExactDecimal(significand: significand, scale: scale - places)
    }

    public var magnitude: ExactDecimal { ExactDecimal(significand: significand < 0 ? -significand : significand, scale: scale) }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        let places = max(lhs.scale, rhs.scale)
        return lhs.widened(to: places).significand < rhs.widened(to: places).significand
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        let places = max(lhs.scale, rhs.scale)
        return lhs.widened(to: places).significand == rhs.widened(to: places).significand
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.significand)
        hasher.combine(n.scale)
    }

    /// Plain decimal text with exactly `scale` decimals (`12.50` stays `12.50`).
    public var description: String {
        let negative = significand < 0
        var digits = String(negative ? -significand : significand)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return negative && significand != 0 ? "-" + digits : digits
    }

    /// Text with exactly `places` decimals, rounded half up (for printing with a `0.00` format).
    public func formatted(places: Int) -> String {
        rounded(places: places).widened(to: places).description
    }
}
