/// Finds the character encoding of an HTML document as a browser finds it (HTML Standard,
/// "determining the character encoding"): a byte-order mark first, then a `<meta charset>` or
/// `<meta http-equiv="Content-Type" content="…; charset=gbk">` (or an XML declaration's
/// `encoding`) near the top, else a guess.
///
/// Government systems write GBK/GB2312 pages with a meta tag; a page that declares nothing is UTF-8
/// when its first bytes are valid UTF-8 and GB18030 otherwise (a browser set to Chinese guesses the
/// same way).
enum HTMLCharset {
    /// How far into the file the meta tag is looked for (the HTML Standard says 1024 bytes; exporters
    /// put long `<style>` blocks first, so a little more).
    static let prescanLength = 8192

    /// The encoding of a document that starts with `head`, and the length of its byte-order mark;
    /// nil when nothing is declared and `head` (not the whole file) is ASCII: the decoder then
    /// decides at the first non-ASCII byte.
    static func detect(_ head: UnsafeRawBufferPointer, complete: Bool) -> (LegacyCharset?, byteOrderMark: Int) {
        let bytes = Array(head.prefix(prescanLength))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return (.utf16LE, 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (.utf16BE, 2) }
        if bytes.starts(with: [0x84, 0x31, 0x95, 0x33]) { return (.gb18030, 4) }
        // UTF-16 without a mark: `<` is 3C 00 or 00 3C.
        if bytes.count >= 2, bytes[0] == 0x3C, bytes[1] == 0 { return (.utf16LE, 0) }
        if bytes.count >= 2, bytes[0] == 0, bytes[1] == 0x3C { return (.utf16BE, 0) }
        if let label = declaredLabel(bytes), let charset = LegacyCharset(label: label) { return (charset, 0) }
        return (guess(bytes, complete: complete), 0)
    }

    /// The label of the first `charset=` inside a `<meta` tag, or of `encoding=` in an XML declaration.
    static func declaredLabel(_ bytes: [UInt8]) -> String? {
        let lowered = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        if lowered.starts(with: Array("<?xml".utf8)), let end = find(Array("?>".utf8), in: lowered, from: 0),
           let label = value(after: Array("encoding".utf8), in: lowered, original: bytes, range: 0..<end) {
            return label
        }
        var position = 0
        while let meta = find(Array("<meta".utf8), in: lowered, from: position) {
            let end = lowered[meta...].firstIndex(of: UInt8(ascii: ">")) ?? lowered.count
            if let label = value(after: Array("charset".utf8), in: lowered, original: bytes, range: meta..<end) {
                return label
            }
            position = end
        }
        return nil
    }

    /// The token after `name`, optional spaces, `=`, optional spaces and an optional quote.
    private static func value(after name: [UInt8], in lowered: [UInt8], original: [UInt8], range: Range<Int>) -> String? {
        var position = range.lowerBound
        while let found = find(name, in: lowered, from: position), found < range.upperBound {
            var index = found + name.count
            while index < range.upperBound, isSpace(lowered[index]) { index += 1 }
            position = index
            guard index < range.upperBound, lowered[index] == UInt8(ascii: "=") else { continue }
            index += 1
            while index < range.upperBound, isSpace(lowered[index]) { index += 1 }
            if index < range.upperBound, lowered[index] == UInt8(ascii: "\"") || lowered[index] == UInt8(ascii: "'") { index += 1 }
            let start = index
            while index < range.upperBound, !isSpace(lowered[index]),
                  ![UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ";"), UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "?")].contains(lowered[index]) {
                index += 1
            }
            if index > start { return String(decoding: original[start..<index], as: UTF8.self) }
        }
        return nil
    }

    /// Valid UTF-8 is UTF-8; anything else is GB18030.
    static func guess(_ bytes: [UInt8], complete: Bool) -> LegacyCharset? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .utf8 }
            if ByteScan.firstNonASCII(base, buffer.count) == buffer.count { return complete ? .utf8 : nil }
            let (_, status) = ByteScan.validateUTF8(base, buffer.count)
            switch status {
            case .complete: return .utf8
            case .incomplete: return complete ? .gb18030 : .utf8
            case .invalid: return .gb18030
            }
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
        }
        return nil
    }

}
