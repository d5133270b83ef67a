/// Adds annex's notes to a sheet that already has comments, keeping every existing one: the comments
/// part gains the author `annex` and one `<comment>` per newly noted cell (ECMA-376 Part 1, 18.7.3); a
/// cell that already has a comment gets annex's text appended to it as more runs (a cell holds one
/// comment), unless it already holds that text (a marked copy checked again). The VML drawing gains a
/// note box for each new comment only.
enum CommentsPatcher {
    struct Merged {
        var comments: [UInt8]
        /// The notes on cells that had no comment: they need a VML shape.
        var added: [XLSXComment]
    }

    static func merge(_ notes: [XLSXComment], into bytes: [UInt8]) -> Merged {
        var scanner = XMLTagScanner(bytes)
        var prefix = ""
        var depth = 0
        var authors: [String] = []
        var authorsEnd: Int?
        var authorsEmpty: XMLTagScanner.Tag?
        var textStart: Int?
        var commentListEnd: Int?
        var commentListEmpty: XMLTagScanner.Tag?
        var currentRef: CellReference?
        /// Where runs can be appended in each existing comment's `<text>`: before `rPh`/`phoneticPr` or `</text>`.
        var appendAt: [CellReference: Int] = [:]
        /// The text of each existing comment, to leave out a note it already holds (a copy checked again).
        var existingText: [CellReference: String] = [:]
        var runStart: Int?
        while let tag = scanner.next() {
            if tag.kind == .end {
                depth -= 1
                if scanner.isNamed(tag, "author"), let start = textStart {
                    authors.append(XMLTagScanner.unescape(bytes[start..<tag.range.lowerBound]))
                } else if scanner.isNamed(tag, "authors") {
                    authorsEnd = tag.range.lowerBound
                } else if scanner.isNamed(tag, "text"), let ref = currentRef, appendAt[ref] == nil {
                    appendAt[ref] = tag.range.lowerBound
                } else if scanner.isNamed(tag, "commentList") {
                    commentListEnd = tag.range.lowerBound
                } else if scanner.isNamed(tag, "t"), let ref = currentRef, let start = runStart {
                    existingText[ref, default: ""] += XMLTagScanner.unescape(bytes[start..<tag.range.lowerBound])
                }
                continue
            }
            if depth == 0 { prefix = scanner.prefix(tag) }
            if scanner.isNamed(tag, "author") { textStart = tag.range.upperBound }
            if scanner.isNamed(tag, "t") { runStart = tag.range.upperBound }
            if scanner.isNamed(tag, "authors"), tag.kind == .empty { authorsEmpty = tag }
            if scanner.isNamed(tag, "commentList"), tag.kind == .empty { commentListEmpty = tag }
            if scanner.isNamed(tag, "comment") { currentRef = scanner.attribute(tag, "ref").flatMap { CellReference($0) } }
            if depth == 4, scanner.isNamed(tag, "rPh") || scanner.isNamed(tag, "phoneticPr"), let ref = currentRef,
               appendAt[ref] == nil {
                appendAt[ref] = tag.range.lowerBound
            }
            if tag.kind == .start { depth += 1 }
        }

        // Insertions by position; each is (position, replaced byte count, text).
        var edits: [(Int, Int, String)] = []
        let author = notes.first?.author ?? "annex"
        let authorID = authors.firstIndex(of: author) ?? authors.count
        if !authors.contains(author) {
            let element = "<\(prefix)author>\(XLSXCommentParts.escape(author))</\(prefix)author>"
            if let authorsEnd {
                edits.append((authorsEnd, 0, element))
            } else if let authorsEmpty {
                edits.append((authorsEmpty.range.lowerBound, authorsEmpty.range.count,
                              "<\(prefix)authors>\(element)</\(prefix)authors>"))
            }
        }
        var added: [XLSXComment] = []
        var newComments = ""
        for note in XLSXCommentParts.sorted(notes) where !(existingText[note.cell]?.contains(note.text) ?? false) {
            if let position = appendAt[note.cell] {
                edits.append((position, 0, XLSXCommentParts.runs(note, prefix: prefix, continuing: true)))
            } else {
                added.append(note)
                newComments += "<\(prefix)comment ref=\"\(note.cell)\" authorId=\"\(authorID)\"><\(prefix)text>"
                    + XLSXCommentParts.runs(note, prefix: prefix) + "</\(prefix)text></\(prefix)comment>"
            }
        }
        if !newComments.isEmpty, let commentListEnd {
            edits.append((commentListEnd, 0, newComments))
        } else if !newComments.isEmpty, let commentListEmpty {
            edits.append((commentListEmpty.range.lowerBound, commentListEmpty.range.count,
                          "<\(prefix)commentList>\(newComments)</\(prefix)commentList>"))
        }

        var out: [UInt8] = []
        var copied = 0
        for (position, length, text) in edits.sorted(by: { $0.0 < $1.0 }) {
            out.append(contentsOf: bytes[copied..<position])
            out.append(contentsOf: text.utf8)
            copied = position + length
        }
        out.append(contentsOf: bytes[copied...])
        return Merged(comments: out, added: added)
    }

    /// The existing VML drawing with a note box for each of `notes` added before its closing `</xml>`.
    /// VML is not always well-formed XML (Excel writes `<br>`), so this is a byte insertion; shape ids
    /// continue after the largest one in the drawing.
    static func mergeShapes(_ notes: [XLSXComment], into bytes: [UInt8]) -> [UInt8] {
        guard !notes.isEmpty else { return bytes }
        let text = String(decoding: bytes, as: UTF8.self)
        var largest = 1024
        for match in text.matches(of: /_x0000_s(\d+)/) { largest = max(largest, Int(match.1) ?? 0) }
        var shapes = text.contains("\"_x0000_t202\"") ? "" : XLSXCommentParts.noteShapeType
        for (index, note) in notes.enumerated() {
            shapes += XLSXCommentParts.vmlShape(note, id: largest + index + 1, zIndex: largest + index + 1)
        }
        let close = Array("</xml>".utf8)
        var end = bytes.count - close.count
        while end >= 0, !bytes.starts(with: close, at: end) { end -= 1 }
        guard end >= 0 else { return bytes + Array(shapes.utf8) }
        return Array(bytes[..<end]) + Array(shapes.utf8) + Array(bytes[end...])
    }
}
