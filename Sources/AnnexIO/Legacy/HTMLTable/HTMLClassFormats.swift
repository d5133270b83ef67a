/// The number formats of Excel's HTML export: its `<style>` block gives each cell class an
/// `mso-number-format` (`.xl65 {mso-number-format:"0\.00%";}`, `.xl66 {mso-number-format:"Short
/// Date";}`), and a `<td class=xl66 x:num="45138">` is then a date, as it is in .xlsx. Only classes
/// are read (Excel writes no number format inline).
struct HTMLClassFormats {
    /// The format code of each class that has one (named formats already turned into codes).
    private(set) var codes: [String: String] = [:]

    /// The formats in the CSS text of the page's `<style>` blocks.
    init(css: [UInt8]) {
        let text = Self.removingComments(css)
        for rule in text.split(separator: UInt8(ascii: "}")) {
            guard let open = rule.firstIndex(of: UInt8(ascii: "{")),
                  let format = Self.numberFormat(in: rule[(open + 1)...]) else { continue }
            for selector in rule[..<open].split(separator: UInt8(ascii: ",")) {
                let last = selector.split(whereSeparator: Self.isSpace).last ?? []
                guard let dot = last.lastIndex(of: UInt8(ascii: ".")), dot + 1 < last.endIndex else { continue }
                codes[String(decoding: last[(dot + 1)...], as: UTF8.self)] = format
            }
        }
    }

    /// The code for a `class` attribute; of several classes, the last one with a format.
    func code(forClassAttribute value: String) -> String? {
        value.split(separator: " ").reversed().lazy.compactMap { codes[String($0)] }.first
    }

    /// The value of `mso-number-format` in a rule's declarations, CSS escapes decoded and named
    /// formats turned into codes; nil when absent or General.
    static func numberFormat(in declarations: ArraySlice<UInt8>) -> String? {
        let property = Array("mso-number-format".utf8)
        guard let start = declarations.indices.first(where: { declarations[$0...].starts(with: property) }) else { return nil }
        var rest = declarations[(start + property.count)...].drop(while: isSpace)
        guard rest.first == UInt8(ascii: ":") else { return nil }
        rest = rest.dropFirst().drop(while: isSpace)
        var raw: ArraySlice<UInt8>
        if let quote = rest.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            var end = rest.index(after: rest.startIndex)
            while end < rest.endIndex, rest[end] != quote {
                end += rest[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            raw = rest[(rest.startIndex + 1)..<min(end, rest.endIndex)]
        } else {
            raw = rest.prefix { $0 != UInt8(ascii: ";") }
            while let last = raw.last, isSpace(last) { raw = raw.dropLast() }
        }
        let value = unescape(raw)
        return value.isEmpty ? nil : ExcelNamedFormats.code(forFormat: value)
    }

    /// CSS escapes: `\0022` (up to four hex digits, as Excel writes them, and one space after) is that
    /// character; a backslash before anything else gives that character (`\.` `\/` `\@`).
    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            guard byte == UInt8(ascii: "\\"), index < bytes.endIndex else { out.append(byte); continue }
            let hex = bytes[index...].prefix(4).prefix { isHexDigit($0) }
            if !hex.isEmpty, let value = UInt32(String(decoding: hex, as: UTF8.self), radix: 16),
               let scalar = Unicode.Scalar(value) {
                out += Array(String(Character(scalar)).utf8)
                index += hex.count
                if index < bytes.endIndex, bytes[index] == 0x20 { index += 1 }
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The CSS without `/* … */` comments and the `<!--` `-->` that hide it from old browsers.
    private static func removingComments(_ css: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < css.count {
            if css[index...].starts(with: [0x2F, 0x2A]) {   // /*
                guard let end = (index + 2..<css.count).first(where: { css[$0...].starts(with: [0x2A, 0x2F]) }) else { break }
                index = end + 2
            } else if css[index...].starts(with: Array("<!--".utf8)) {
                index += 4
            } else if css[index...].starts(with: Array("-->".utf8)) {
                index += 3
            } else {
                out.append(css[index])
                index += 1
            }
        }
        return out
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
    }
}
