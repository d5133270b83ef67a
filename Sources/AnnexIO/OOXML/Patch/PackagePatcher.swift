/// Appends to the package's small XML parts, byte for byte around the insertion: `[Content_Types].xml`
/// (ECMA-376 Part 2, 10.1.2), relationships parts (Part 2, 9.3) and the workbook's sheet list
/// (Part 1, 18.2.20). Nothing existing is changed or renumbered.
enum PackagePatcher {
    static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let relationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

    /// Inserts `text` before the end tag of the root element's child or the root itself named `element`.
    static func insert(_ text: String, beforeEndOf element: StaticString, in bytes: [UInt8]) -> [UInt8]? {
        var scanner = XMLTagScanner(bytes)
        var position: Int?
        var emptyTag: XMLTagScanner.Tag?
        while let tag = scanner.next() {
            guard scanner.isNamed(tag, element) else { continue }
            if tag.kind == .end { position = tag.range.lowerBound; break }
            if tag.kind == .empty { emptyTag = tag; break }
        }
        if let position {
            return Array(bytes[..<position]) + Array(text.utf8) + Array(bytes[position...])
        }
        guard let emptyTag else { return nil }
        // `<sheets/>` becomes `<sheets>` + text + `</sheets>`.
        var end = emptyTag.range.upperBound - 2
        while XMLTagScanner.isSpace(bytes[end - 1]) { end -= 1 }
        let name = String(decoding: bytes[emptyTag.name], as: UTF8.self)
        return Array(bytes[..<end]) + Array(">\(text)</\(name)>".utf8) + Array(bytes[emptyTag.range.upperBound...])
    }

    // MARK: - Content types

    struct ContentTypes {
        var bytes: [UInt8]

        /// Adds an `Override` for a new part (its name with a leading `/`).
        mutating func override(part: String, contentType: String) {
            let element = "<Override PartName=\"/\(XLSXCommentParts.escape(part))\" ContentType=\"\(contentType)\"/>"
            bytes = PackagePatcher.insert(element, beforeEndOf: "Types", in: bytes) ?? bytes
        }

        /// Adds a `Default` for an extension unless one exists (extensions compare case-insensitively).
        mutating func defaultType(extension ext: String, contentType: String) {
            var scanner = XMLTagScanner(bytes)
            while let tag = scanner.next() {
                if scanner.isNamed(tag, "Default"), scanner.attribute(tag, "Extension")?.lowercased() == ext { return }
            }
            let element = "<Default Extension=\"\(ext)\" ContentType=\"\(contentType)\"/>"
            bytes = PackagePatcher.insert(element, beforeEndOf: "Types", in: bytes) ?? bytes
        }
    }

    // MARK: - Relationships

    /// A relationships part being extended; a new one when the source part had none.
    struct Relationships {
        var bytes: [UInt8]
        private var ids: Set<String>

        init(existing: [UInt8]?) {
            bytes = existing ?? Array((XLSXParts.declaration.description
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"></Relationships>").utf8)
            ids = []
            var scanner = XMLTagScanner(bytes)
            while let tag = scanner.next() {
                if scanner.isNamed(tag, "Relationship"), let id = scanner.attribute(tag, "Id") { ids.insert(id) }
            }
        }

        /// Adds a relationship of `kind` (`worksheet`, `comments`, `vmlDrawing`) and returns its new id.
        mutating func add(kind: String, target: String) -> String {
            var number = 1
            while ids.contains("rIdAnnex\(number)") { number += 1 }
            let id = "rIdAnnex\(number)"
            ids.insert(id)
            let element = "<Relationship Id=\"\(id)\" Type=\"\(PackagePatcher.relationshipType)\(kind)\" Target=\"\(XLSXCommentParts.escape(target))\"/>"
            bytes = PackagePatcher.insert(element, beforeEndOf: "Relationships", in: bytes) ?? bytes
            return id
        }
    }

    /// The target of `part` as written in a relationship from a part in `folder` (`../comments1.xml`).
    static func relativeTarget(_ part: String, from folder: String) -> String {
        var from = folder.split(separator: "/")
        var to = part.split(separator: "/")
        while let first = from.first, first == to.first, to.count > 1 {
            from.removeFirst()
            to.removeFirst()
        }
        return (Array(repeating: "..", count: from.count) + to.map(String.init)).joined(separator: "/")
    }

    // MARK: - Workbook

    /// Appends `<sheet name sheetId r:id/>` to the workbook's `<sheets>`, with the next free sheetId.
    static func addSheet(named name: String, relationshipID: String, to bytes: [UInt8]) -> [UInt8]? {
        var scanner = XMLTagScanner(bytes)
        var prefix = ""
        var relationshipsPrefix: String?
        var largest = 0
        var depth = 0
        while let tag = scanner.next() {
            if tag.kind == .end { depth -= 1; continue }
            if depth == 0 {
                prefix = scanner.prefix(tag)
                relationshipsPrefix = scanner.declaredPrefix(tag, for: OOXMLNamespace.isRelationships)
            }
            if scanner.isNamed(tag, "sheet") { largest = max(largest, scanner.attribute(tag, "sheetId").flatMap { Int($0) } ?? 0) }
            if tag.kind == .start { depth += 1 }
        }
        let idAttribute = relationshipsPrefix.flatMap { $0.isEmpty ? nil : "\($0):id" }
        let reference = idAttribute.map { "\($0)=\"\(relationshipID)\"" }
            ?? "xmlns:r=\"\(relationshipsNamespace)\" r:id=\"\(relationshipID)\""
        let element = "<\(prefix)sheet name=\"\(XLSXCommentParts.escape(name))\" sheetId=\"\(largest + 1)\" \(reference)/>"
        return insert(element, beforeEndOf: "sheets", in: bytes)
    }
}
