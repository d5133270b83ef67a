/// Appends to a workbook's `styles.xml` without renumbering anything: new fonts, fills, borders and
/// cell formats (`xf`) go after the existing ones and the lists' `count` attributes are updated, so every
/// `s` index in every sheet still means what it meant (ECMA-376 Part 1, 18.8.10 cellXfs, 18.8.21 fills).
/// The rest of the part is copied byte for byte.
struct StylesPatcher {
    struct Unsupported: Error { var reason: String }

    private struct List {
        /// The start tag (holding `count`) and the end tag's position.
        var startTag: XMLTagScanner.Tag
        var endTag: Int
        var existing: Int
        var appended: [String] = []
        var count: Int { existing + appended.count }
    }

    private let bytes: [UInt8]
    private let prefix: String
    private var lists: [String: List] = [:]
    /// The byte range of each existing `cellXfs/xf` element.
    private var cellFormats: [Range<Int>] = []
    private var derived: [DerivedKey: Int] = [:]
    private var fills: [String: Int] = [:]
    private var styled: [CellStyle: Int] = [:]

    private struct DerivedKey: Hashable { var xf: Int; var fill: Int }

    init(_ bytes: [UInt8]) throws(Unsupported) {
        self.bytes = bytes
        var scanner = XMLTagScanner(bytes)
        var depth = 0
        var prefix = ""
        var open: (name: String, tag: XMLTagScanner.Tag, children: Int)?
        var xfStart: Int?
        while let tag = scanner.next() {
            let local = String(decoding: bytes[(tag.name.lowerBound + tag.prefixLength)..<tag.name.upperBound], as: UTF8.self)
            switch tag.kind {
            case .end:
                depth -= 1
                if depth == 1, let current = open {
                    lists[current.name] = List(startTag: current.tag, endTag: tag.range.lowerBound, existing: current.children)
                    open = nil
                } else if depth == 2, open?.name == "cellXfs", let start = xfStart {
                    cellFormats.append(start..<tag.range.upperBound)
                    xfStart = nil
                }
                continue
            case .start, .empty:
                if depth == 0 { prefix = scanner.prefix(tag) }
                if depth == 1, tag.kind == .start, ["fonts", "fills", "borders", "cellXfs"].contains(local) {
                    open = (local, tag, 0)
                } else if depth == 2, open != nil {
                    open!.children += 1
                    if open!.name == "cellXfs" {
                        if tag.kind == .empty { cellFormats.append(tag.range) } else { xfStart = tag.range.lowerBound }
                    }
                }
            }
            if tag.kind == .start { depth += 1 }
        }
        self.prefix = prefix
        for name in ["fonts", "fills", "borders", "cellXfs"] where lists[name] == nil {
            throw Unsupported(reason: "styles.xml 没有 <\(name)> 列表")
        }
        if cellFormats.isEmpty { throw Unsupported(reason: "styles.xml 的 cellXfs 是空的") }
    }

    private mutating func append(_ xml: String, to list: String) -> Int {
        lists[list]!.appended.append(xml)
        return lists[list]!.count - 1
    }

    /// A solid fill of an ARGB colour (deduplicated among the appended ones).
    mutating func solidFill(_ argb: String) -> Int {
        if let index = fills[argb] { return index }
        let p = prefix
        let index = append("<\(p)fill><\(p)patternFill patternType=\"solid\"><\(p)fgColor rgb=\"\(argb)\"/><\(p)bgColor indexed=\"64\"/></\(p)patternFill></\(p)fill>", to: "fills")
        fills[argb] = index
        return index
    }

    /// Cell format `xf` with its fill replaced: same font, border, number format, alignment and
    /// protection (the children are copied), `applyFill="1"`.
    mutating func withFill(_ fill: Int, derivedFrom xf: Int) -> Int {
        let source = cellFormats.indices.contains(xf) ? xf : 0
        let key = DerivedKey(xf: source, fill: fill)
        if let index = derived[key] { return index }
        let element = Array(bytes[cellFormats[source]])
        var scanner = XMLTagScanner(element)
        let tag = scanner.next()!
        var attributes = scanner.attributes(tag).map { ($0.name, String(decoding: element[$0.value], as: UTF8.self)) }
        for (name, value) in [("fillId", String(fill)), ("applyFill", "1")] {
            if let position = attributes.firstIndex(where: { $0.0 == name }) { attributes[position].1 = value } else { attributes.append((name, value)) }
        }
        let qualified = String(decoding: element[tag.name], as: UTF8.self)
        let head = "<" + qualified + attributes.map { " \($0.0)=\"\($0.1)\"" }.joined()
        let rest = String(decoding: element[tag.range.upperBound...], as: UTF8.self)
        let index = append(tag.kind == .empty ? head + "/>" : head + ">" + rest, to: "cellXfs")
        derived[key] = index
        return index
    }

    /// A cell format for a `CellStyle` of annex's own (the 校验结果 sheet): font, fill and border appended.
    mutating func cellFormat(_ style: CellStyle) -> Int {
        if let index = styled[style] { return index }
        let p = prefix
        let font = style.font
        var fontXML = "<\(p)font>" + (font.bold ? "<\(p)b/>" : "") + (font.italic ? "<\(p)i/>" : "")
        fontXML += "<\(p)sz val=\"\(font.size == font.size.rounded() ? String(Int(font.size)) : String(font.size))\"/>" + (font.color.map { "<\(p)color rgb=\"\($0)\"/>" } ?? "")
        fontXML += "<\(p)name val=\"\(XLSXCommentParts.escape(font.name))\"/><\(p)charset val=\"134\"/></\(p)font>"
        let fontId = append(fontXML, to: "fonts")
        let fillId = style.fill.map { solidFill($0.color) } ?? 0
        let border = style.border
        var borderXML = "<\(p)border>"
        for (edge, line) in [("left", border.left), ("right", border.right), ("top", border.top), ("bottom", border.bottom), ("diagonal", border.diagonalDown)] {
            borderXML += line == .none ? "<\(p)\(edge)/>" : "<\(p)\(edge) style=\"\(line.rawValue)\"><\(p)color indexed=\"64\"/></\(p)\(edge)>"
        }
        let borderId = append(borderXML + "</\(p)border>", to: "borders")
        let index = append("<\(p)xf numFmtId=\"0\" fontId=\"\(fontId)\" fillId=\"\(fillId)\" borderId=\"\(borderId)\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\"/>", to: "cellXfs")
        styled[style] = index
        return index
    }

    /// The part with the appended entries and updated counts.
    func render() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4096)
        var copied = 0
        let changed = lists.values.filter { !$0.appended.isEmpty }.sorted { $0.startTag.range.lowerBound < $1.startTag.range.lowerBound }
        for list in changed {
            let count = XMLTagScanner(bytes).attributes(list.startTag).first { $0.name == "count" }
            if let count {
                out.append(contentsOf: bytes[copied..<count.value.lowerBound])
                out.append(contentsOf: String(list.count).utf8)
                copied = count.value.upperBound
            }
            out.append(contentsOf: bytes[copied..<list.endTag])
            for xml in list.appended { out.append(contentsOf: xml.utf8) }
            copied = list.endTag
        }
        out.append(contentsOf: bytes[copied...])
        return out
    }
}
