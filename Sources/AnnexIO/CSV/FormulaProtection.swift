/// CSV formula-injection protection ("CSV injection", OWASP).
///
/// A spreadsheet that opens a CSV file evaluates a text field as a formula when it starts with `=`,
/// `+`, `@`, a tab or a carriage return, or with `-` followed by something that is not a number.
/// `CSVWriter` therefore writes such text with a leading apostrophe (`=SUM(A1)` → `'=SUM(A1)`), which
/// the spreadsheet shows as text. What stays exactly as it is:
/// - numbers, also negative ones and those a spreadsheet reads as numbers: `-12.5`, `-1,234`, `-5%`, `-1e3`;
/// - a lone `-`, and dash markers that are not ASCII (`－`, `—`): the annexes' “未安排任务” marker;
/// - `.number` cells, which are never prefixed.
///
/// To make the protection reversible, text that already starts with apostrophes followed by a trigger
/// (`'=x`) gets one more (`''=x`). `CSVReadOptions.unprotectFormulas` undoes exactly this: it removes
/// one leading `'` when the rest, after all leading apostrophes, starts with a trigger. So for every
/// string `s`, reading what the writer wrote for `s` with `unprotectFormulas` gives back `s`.
public enum FormulaProtection {
    @usableFromInline static let quote = UInt8(ascii: "'")

    /// Whether the writer prefixes this text with `'`.
    public static func needsProtection(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { needsProtection($0) }
    }

    /// The text as the writer puts it in the file (before CSV quoting).
    public static func protect(_ text: String) -> String {
        needsProtection(text) ? "'" + text : text
    }

    /// The inverse of `protect`: removes the `'` that `protect` adds, and nothing else.
    public static func unprotect(_ text: String) -> String {
        var text = text
        let strip = text.withUTF8 { shouldStrip($0) }
        return strip ? String(text.dropFirst()) : text
    }

    /// `protect` decides on UTF-8 bytes.
    static func needsProtection(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        if first == quote {
            var start = 1
            while start < bytes.count, bytes[start] == quote { start += 1 }
            return isTrigger(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        return isTrigger(bytes)
    }

    /// `unprotect` decides on UTF-8 bytes: a leading `'`, then (after any further `'`) a trigger.
    @usableFromInline
    static func shouldStrip(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 2, bytes[0] == quote else { return false }
        var start = 1
        while start < bytes.count, bytes[start] == quote { start += 1 }
        return isTrigger(UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    /// Whether text starting like this is evaluated as a formula.
    static func isTrigger(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "@"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
            return true
        case UInt8(ascii: "-"):
            return bytes.count > 1 && !looksNumeric(UnsafeBufferPointer(rebasing: bytes[1...]))
        default:
            return false
        }
    }

    /// What follows a `-` in a number a spreadsheet accepts: digits with optional thousands
    /// separators, an optional fraction, an optional exponent, an optional `%`.
    /// (`1`, `12.5`, `.5`, `1,234.5`, `1e-3`, `5%`).
    static func looksNumeric(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        var digits = 0
        while i < n, isDigit(bytes[i]) || (bytes[i] == UInt8(ascii: ",") && digits > 0 && i + 1 < n && isDigit(bytes[i + 1])) {
            if isDigit(bytes[i]) { digits += 1 }
            i += 1
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, isDigit(bytes[i]) { digits += 1; i += 1 }
        }
        guard digits > 0 else { return false }
        if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            let exponentStart = i
            while i < n, isDigit(bytes[i]) { i += 1 }
            if i == exponentStart { return false }
        }
        if i < n, bytes[i] == UInt8(ascii: "%") { i += 1 }
        return i == n
    }
}
