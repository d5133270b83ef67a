/// The tags of an XML part with their byte ranges, for patching a part in place: whatever is not
/// rewritten is copied through byte for byte, so the scanner only finds where tags start and end.
///
/// It is not a validating parser: the part has already been read by libxml2 (the reader) before a
/// copy is made. Comments, CDATA, processing instructions and the DOCTYPE are skipped as opaque.
struct XMLTagScanner {
    enum Kind { case start, end, empty }

    struct Tag {
        var kind: Kind
        /// From `<` to after `>`.
        var range: Range<Int>
        /// The qualified name as written (`x:c`).
        var name: Range<Int>
        /// The prefix with its colon (`x:`), or empty.
        var prefixLength: Int
    }

    struct Attribute {
        /// The qualified name as written.
        var name: String
        /// The value between the quotes, still escaped.
        var value: Range<Int>
    }

    let bytes: [UInt8]
    private(set) var position = 0
    /// Where a tag, comment or declaration cut off by the end of `bytes` starts: the caller feeds
    /// more bytes and scans again from there.
    private(set) var incompleteAt: Int?

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next tag, or nil at the end of the bytes (see `incompleteAt`).
    mutating func next() -> Tag? {
        let n = bytes.count
        while position < n {
            guard let open = bytes[position...].firstIndex(of: UInt8(ascii: "<")) else { position = n; return nil }
            let next = open + 1 < n ? bytes[open + 1] : 0
            if next != UInt8(ascii: "!") && next != UInt8(ascii: "?") { return tag(at: open) }
            let end: Int?
            if bytes.starts(with: "<!--".utf8, at: open) {
                end = find("-->", from: open + 4)
            } else if bytes.starts(with: "<![CDATA[".utf8, at: open) {
                end = find("]]>", from: open + 9)
            } else if next == UInt8(ascii: "?") {
                end = find("?>", from: open + 2)
            } else if open + 9 > n {
                end = nil   // too short yet to tell a comment or CDATA from a declaration
            } else {
                end = bytes[open...].firstIndex(of: UInt8(ascii: ">")).map { $0 + 1 }
            }
            guard let end else { incompleteAt = open; position = n; return nil }
            position = end
        }
        return nil
    }

    private mutating func tag(at open: Int) -> Tag? {
        let n = bytes.count
        let isEnd = open + 1 < n && bytes[open + 1] == UInt8(ascii: "/")
        let nameStart = isEnd ? open + 2 : open + 1
        var nameEnd = nameStart
        while nameEnd < n, !Self.endsName(bytes[nameEnd]) { nameEnd += 1 }
        // The closing `>`: skip quoted attribute values, which may hold `>`.
        var i = nameEnd
        var quote: UInt8 = 0
        while i < n {
            let b = bytes[i]
            if quote != 0 { if b == quote { quote = 0 } } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") { break }
            i += 1
        }
        guard i < n else { incompleteAt = open; position = n; return nil }
        position = i + 1
        let kind: Kind = isEnd ? .end : bytes[i - 1] == UInt8(ascii: "/") ? .empty : .start
        let colon = bytes[nameStart..<nameEnd].firstIndex(of: UInt8(ascii: ":"))
        return Tag(kind: kind, range: open..<(i + 1), name: nameStart..<nameEnd,
                   prefixLength: colon.map { $0 + 1 - nameStart } ?? 0)
    }

    private func find(_ terminator: StaticString, from start: Int) -> Int? {
        let pattern = Array(UnsafeBufferPointer(start: terminator.utf8Start, count: terminator.utf8CodeUnitCount))
        var i = start
        while i + pattern.count <= bytes.count {
            if bytes[i] == pattern[0], bytes.starts(with: pattern, at: i) { return i + pattern.count }
            i += 1
        }
        return nil
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }

    @inline(__always) private static func endsName(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ">") || b == UInt8(ascii: "/") || isSpace(b)
    }

    // MARK: - Reading a tag

    /// Whether the tag's local name is `name`.
    func isNamed(_ tag: Tag, _ name: StaticString) -> Bool {
        let start = tag.name.lowerBound + tag.prefixLength
        guard tag.name.upperBound - start == name.utf8CodeUnitCount else { return false }
        return bytes.starts(with: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), at: start)
    }

    func prefix(_ tag: Tag) -> String {
        String(decoding: bytes[tag.name.lowerBound..<(tag.name.lowerBound + tag.prefixLength)], as: UTF8.self)
    }

    /// The attributes of a start or empty tag, in document order.
    func attributes(_ tag: Tag) -> [Attribute] {
        var result: [Attribute] = []
        var i = tag.name.upperBound
        let end = tag.range.upperBound - 1
        while i < end {
            while i < end, Self.isSpace(bytes[i]) || bytes[i] == UInt8(ascii: "/") { i += 1 }
            let nameStart = i
            while i < end, bytes[i] != UInt8(ascii: "="), !Self.isSpace(bytes[i]) { i += 1 }
            guard i > nameStart else { break }
            let name = String(decoding: bytes[nameStart..<i], as: UTF8.self)
            while i < end, bytes[i] != UInt8(ascii: "\"") && bytes[i] != UInt8(ascii: "'") { i += 1 }
            guard i < end else { break }
            let quote = bytes[i]
            let valueStart = i + 1
            i = valueStart
            while i < end, bytes[i] != quote { i += 1 }
            result.append(Attribute(name: name, value: valueStart..<i))
            i += 1
        }
        return result
    }

    /// The raw value of the attribute `name` (qualified as written), found without allocating: the
    /// per-cell lookup of a large sheet.
    func rawValue(_ tag: Tag, _ name: StaticString) -> ArraySlice<UInt8>? {
        let wanted = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        var i = tag.name.upperBound
        let end = tag.range.upperBound - 1
        while i < end {
            while i < end, Self.isSpace(bytes[i]) || bytes[i] == UInt8(ascii: "/") { i += 1 }
            let nameStart = i
            while i < end, bytes[i] != UInt8(ascii: "="), !Self.isSpace(bytes[i]) { i += 1 }
            guard i > nameStart else { return nil }
            let matches = i - nameStart == wanted.count && bytes.starts(with: wanted, at: nameStart)
            while i < end, bytes[i] != UInt8(ascii: "\"") && bytes[i] != UInt8(ascii: "'") { i += 1 }
            guard i < end else { return nil }
            let quote = bytes[i]
            let valueStart = i + 1
            i = valueStart
            while i < end, bytes[i] != quote { i += 1 }
            if matches { return bytes[valueStart..<i] }
            i += 1
        }
        return nil
    }

    /// A decimal attribute value, as the reader takes it.
    func intValue(_ tag: Tag, _ name: StaticString) -> Int? {
        guard let raw = rawValue(tag, name), !raw.isEmpty, raw.count <= 18 else { return nil }
        var value = 0
        for byte in raw {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// The value of the attribute `name` (qualified as written), with the five predefined entities decoded.
    func attribute(_ tag: Tag, _ name: String) -> String? {
        attributes(tag).first { $0.name == name }.map { Self.unescape(bytes[$0.value]) }
    }

    /// The local name of an attribute, without its prefix.
    static func localName(ofAttribute name: String) -> Substring {
        name.split(separator: ":", maxSplits: 1).last ?? name[...]
    }

    static func unescape(_ slice: ArraySlice<UInt8>) -> String {
        let text = String(decoding: slice, as: UTF8.self)
        guard text.contains("&") else { return text }
        return text.replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"")
            .replacing("&apos;", with: "'").replacing("&amp;", with: "&")
    }

    /// The prefix (without colon) the element declares for `namespace`, `""` for the default one, nil if none.
    func declaredPrefix(_ tag: Tag, for namespace: (String) -> Bool) -> String? {
        for attribute in attributes(tag) where attribute.name == "xmlns" || attribute.name.hasPrefix("xmlns:") {
            if namespace(Self.unescape(bytes[attribute.value])) {
                return attribute.name == "xmlns" ? "" : String(attribute.name.dropFirst(6))
            }
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    func starts<Pattern: Collection>(with pattern: Pattern, at index: Int) -> Bool where Pattern.Element == UInt8 {
        guard index >= 0, index + pattern.count <= count else { return false }
        var i = index
        for byte in pattern {
            if self[i] != byte { return false }
            i += 1
        }
        return true
    }
}
