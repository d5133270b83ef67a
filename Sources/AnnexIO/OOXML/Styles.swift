/// What the reader needs of `xl/styles.xml`: the number format of each cell style (`cellXfs`).
struct CellFormats {
    /// The format code of each `cellXfs` index; nil for General.
    var codes: [String?] = []
    var kinds: [NumberFormats.Kind] = []

    func code(_ style: Int) -> String? { style < codes.count ? codes[style] : nil }
    func kind(_ style: Int) -> NumberFormats.Kind { style < kinds.count ? kinds[style] : .general }

    static func read(_ entry: ZipEntry, in zip: ZipReader) throws -> CellFormats {
        let reader = Reader()
        try SAXParser.parse(try zip.data(entry), handler: reader, file: zip.path, partName: entry.name)
        var formats = CellFormats()
        for id in reader.cellFormatIDs {
            let code = reader.customCodes[id] ?? NumberFormats.builtIn[id]
            let kind = code.map(NumberFormats.kind(of:)) ?? .general
            formats.codes.append(kind == .general ? nil : code)
            formats.kinds.append(kind)
        }
        return formats
    }

    private final class Reader: SAXHandler {
        var customCodes: [Int: String] = [:]
        var cellFormatIDs: [Int] = []
        var inCellXfs = false

        func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
            if name.is("numFmt"), let id = attributes.string("numFmtId").flatMap({ Int($0) }),
               let code = attributes.string("formatCode") {
                customCodes[id] = code
            } else if name.is("cellXfs") {
                inCellXfs = true
            } else if name.is("xf"), inCellXfs {
                cellFormatIDs.append(attributes.string("numFmtId").flatMap { Int($0) } ?? 0)
            }
        }

        func endElement(_ name: XMLName) throws {
            if name.is("cellXfs") { inCellXfs = false }
        }

        func characters(_ bytes: UnsafeRawBufferPointer) throws {}
    }
}
