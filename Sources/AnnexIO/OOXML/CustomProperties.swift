/// `docProps/custom.xml` (ECMA-376 Part 1, 22.3): a workbook's custom document properties as text,
/// by name. `annex write` records `annex.template` and `annex.period` there.
enum CustomProperties {
    /// The properties of the part the package relationships name (none when there is no such part).
    static func read(in zip: ZipReader, packageRelationships: [Relationship]) throws -> [String: String] {
        guard let target = packageRelationships.first(where: { $0.kind == "custom-properties" })?.target,
              let entry = zip.entry(named: target) else { return [:] }
        let reader = Reader()
        try SAXParser.parse(try zip.data(entry, maxSize: 1 << 20), handler: reader, file: zip.path, partName: entry.name)
        return reader.properties
    }

    private final class Reader: SAXHandler {
        var properties: [String: String] = [:]
        private var name: String?
        private var value: [UInt8] = []
        private var depth = 0

        func startElement(_ element: XMLName, attributes: XMLAttributes) throws {
            if element.is("property") {
                name = attributes.string("name")
                value = []
                depth = 0
            } else if name != nil {
                depth += 1
            }
        }

        func endElement(_ element: XMLName) throws {
            if element.is("property") {
                if let name { properties[name] = String(decoding: value, as: UTF8.self) }
                name = nil
            }
        }

        func characters(_ bytes: UnsafeRawBufferPointer) throws {
            // The value is the text of the property's one variant-typed child (vt:lpwstr, vt:i4 …).
            if name != nil && depth > 0 { value += bytes }
        }
    }
}
