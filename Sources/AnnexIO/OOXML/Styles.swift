/// `xl/styles.xml`: the number format of each cell style (`cellXfs`), as `CellFormats`.
extension CellFormats {
    static func read(_ entry: ZipEntry, in zip: ZipReader) throws -> CellFormats {
        let reader = Reader()
        try SAXParser.parse(try zip.data(entry), handler: reader, file: zip.path, partName: entry.name)
        var formats = CellFormats()
        for id in reader.cellFormatIDs {
            formats.append(code: reader.customCodes[id] ?? NumberFormats.builtIn[id])
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
