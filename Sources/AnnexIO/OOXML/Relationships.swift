/// One `<Relationship>` of a `.rels` part, with its target resolved to a part name.
struct Relationship {
    var id: String
    /// The last segment of the type URI: `officeDocument`, `worksheet`, `sharedStrings`, `styles`...
    var kind: String
    /// The target part name, without a leading `/`; nil for external targets.
    var target: String?
}

/// Reads `_rels/.rels` or `xl/_rels/workbook.xml.rels`. Targets are relative to the source part's
/// folder unless they start with `/` (ECMA-376 Part 2, 9.3): parts are found by relationship, never by fixed path.
enum RelationshipsPart {
    static func relationshipsPath(for part: String) -> String {
        let (folder, name) = split(part)
        return (folder.isEmpty ? "" : folder + "/") + "_rels/" + name + ".rels"
    }

    static func read(for part: String, in zip: ZipReader) throws -> [Relationship] {
        let path = relationshipsPath(for: part)
        guard let entry = zip.entry(named: path) else { return [] }
        let collector = Collector(sourceFolder: split(part).folder)
        try SAXParser.parse(try zip.data(entry), handler: collector, file: zip.path, partName: entry.name)
        return collector.relationships
    }

    static func split(_ part: String) -> (folder: String, name: String) {
        guard let slash = part.lastIndex(of: "/") else { return ("", part) }
        return (String(part[..<slash]), String(part[part.index(after: slash)...]))
    }

    /// Resolves `worksheets/sheet1.xml`, `../x.xml`, `/xl/x.xml` against a folder.
    static func resolve(_ target: String, from folder: String) -> String {
        let normalized = String(target.map { $0 == "\\" ? "/" : $0 })
        var parts: [Substring] = normalized.hasPrefix("/") ? [] : folder.split(separator: "/")
        for segment in normalized.split(separator: "/") {
            if segment == "." { continue }
            if segment == ".." { if !parts.isEmpty { parts.removeLast() } } else { parts.append(segment) }
        }
        return parts.joined(separator: "/")
    }

    private final class Collector: SAXHandler {
        let sourceFolder: String
        var relationships: [Relationship] = []
        init(sourceFolder: String) { self.sourceFolder = sourceFolder }

        func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
            guard name.is("Relationship"), let id = attributes.string("Id"), let type = attributes.string("Type"),
                  let target = attributes.string("Target") else { return }
            let external = attributes.string("TargetMode") == "External"
            relationships.append(Relationship(
                id: id, kind: OOXMLNamespace.relationshipKind(type),
                target: external ? nil : RelationshipsPart.resolve(target, from: sourceFolder)))
        }
        func endElement(_ name: XMLName) throws {}
        func characters(_ bytes: UnsafeRawBufferPointer) throws {}
    }
}
