/// Reads an .xlsx (or .xlsm) workbook: the sheet list at open, then any sheet streamed row by row.
///
/// Parts are found through relationships (`_rels/.rels` → workbook → sheets, shared strings,
/// styles), in Transitional or Strict namespaces, never by fixed path.
public final class XLSXReader {
    public struct SheetInfo: Sendable {
        public var name: String
        /// The worksheet part, or nil when the relationship is missing (a chart sheet, a broken file).
        public var part: String?
        /// `visible`, `hidden` or `veryHidden`.
        public var state: String
    }

    public let path: String
    public let sheets: [SheetInfo]
    /// Dates count from 1904-01-01 (old Mac Excel) instead of 1900-01-00.
    public let date1904: Bool
    /// Custom document properties (`docProps/custom.xml`) by name.
    public let documentProperties: [String: String]
    private let zip: ZipReader
    private let workbookPart: String
    private let workbookRelationships: [Relationship]
    private var cachedStrings: SharedStringTable?
    private var cachedFormats: CellFormats?
    /// Whether `<sheetData>` goes through `SheetDataScanner` (the fast path); tests turn it off to
    /// compare with the general SAX path.
    var usesSheetDataScanner = true

    public init(path: String, limits: ZipLimits = ZipLimits()) throws {
        self.path = path
        zip = try ZipReader(path: path, limits: limits)
        if let mimetype = zip.entry(named: "mimetype") {
            let kind = String(decoding: try zip.data(mimetype, maxSize: 4096), as: UTF8.self)
            if kind.contains("opendocument") {
                throw AnnexError(file: path, reason: "这是 OpenDocument（.ods）文件，只是扩展名改成了 .xlsx；请在 WPS/LibreOffice 中另存为 .xlsx")
            }
        }
        let root = try RelationshipsPart.read(for: "", in: zip)
        documentProperties = try CustomProperties.read(in: zip, packageRelationships: root)
        var workbook = root.first { $0.kind == "officeDocument" }?.target
        if workbook == nil, zip.entry(named: "xl/workbook.xml") != nil { workbook = "xl/workbook.xml" }
        guard let workbook, let workbookEntry = zip.entry(named: workbook) else {
            throw AnnexError(file: path, location: workbook ?? "_rels/.rels",
                             reason: "找不到工作簿部件（workbook.xml），文件不完整或不是 Excel 工作簿")
        }
        workbookPart = workbookEntry.name
        workbookRelationships = try RelationshipsPart.read(for: workbookPart, in: zip)
        let content = WorkbookContent()
        try SAXParser.parse(try zip.data(workbookEntry), handler: content, file: path, partName: workbookPart)
        date1904 = content.date1904
        let targets = Dictionary(workbookRelationships.map { ($0.id, $0.target) }, uniquingKeysWith: { a, _ in a })
        sheets = content.sheets.map { sheet in
            SheetInfo(name: sheet.name, part: sheet.relationshipID.flatMap { targets[$0] ?? nil }, state: sheet.state)
        }
        if sheets.isEmpty {
            throw AnnexError(file: path, location: workbookPart, reason: "工作簿中没有工作表")
        }
    }

    /// Streams the sheet's non-empty rows in order, each row's cells in column order; returns the merged ranges.
    @discardableResult
    public func readRows(at index: Int, onRow: @escaping (RowView) throws -> Void) throws -> [CellRange] {
        let info = sheets[index]
        guard let part = info.part, let entry = zip.entry(named: part) else {
            throw AnnexError(file: path, location: "工作表“\(info.name)”",
                             reason: "找不到工作表部件 \(info.part ?? "（关系缺失）")，文件不完整")
        }
        let strings = try sharedStrings()
        let formats = try formats()
        let reader = WorksheetReader(file: path, sheetName: info.name, sharedStrings: strings,
                                     formats: formats, date1904: date1904, onRow: onRow)
        guard usesSheetDataScanner else {
            try SAXParser.parse(entry, in: zip, handler: reader)
            return reader.merged.sorted()
        }
        let accounted = zip.inflatedTotal
        do {
            let stream = WorksheetStream(reader: reader, file: path, partName: entry.name)
            try zip.streamConcurrently(entry) { try stream.feed($0) }
            try stream.finish()
            return reader.merged.sorted()
        } catch is SheetDataScanner.Fallback {
            // Something the scanner leaves to libxml2: read the part again with SAX from the start,
            // skipping the rows already delivered (both paths deliver the same rows, see the tests).
            zip.inflatedTotal = accounted
            let delivered = reader.rowsEmitted
            var skipped = 0
            let general = WorksheetReader(file: path, sheetName: info.name, sharedStrings: strings,
                                          formats: formats, date1904: date1904) { row in
                if skipped < delivered { skipped += 1 } else { try onRow(row) }
            }
            try SAXParser.parse(entry, in: zip, handler: general)
            return general.merged.sorted()
        }
    }

    private func part(_ kind: String) -> ZipEntry? {
        workbookRelationships.first { $0.kind == kind }?.target.flatMap { zip.entry(named: $0) }
    }

    private func sharedStrings() throws -> SharedStringTable {
        if let cachedStrings { return cachedStrings }
        // A relationship to a missing part is tolerated: cells that need a string say so.
        let strings = try part("sharedStrings").map { try SharedStringsReader.read($0, in: zip) } ?? SharedStringTable([])
        cachedStrings = strings
        return strings
    }

    private func formats() throws -> CellFormats {
        if let cachedFormats { return cachedFormats }
        let formats = try part("styles").map { try CellFormats.read($0, in: zip) } ?? CellFormats()
        cachedFormats = formats
        return formats
    }
}

/// `xl/workbook.xml`: the sheets in tab order and the date system.
private final class WorkbookContent: SAXHandler {
    struct Entry { var name: String; var relationshipID: String?; var state: String }
    var sheets: [Entry] = []
    var date1904 = false

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        if name.is("sheet") {
            sheets.append(Entry(
                name: attributes.string("name") ?? "Sheet\(sheets.count + 1)",
                relationshipID: attributes.string("id", inNamespace: OOXMLNamespace.isRelationships),
                state: attributes.string("state") ?? "visible"))
        } else if name.is("workbookPr") {
            let value = attributes.string("date1904")
            date1904 = value == "1" || value == "true"
        }
    }
    func endElement(_ name: XMLName) throws {}
    func characters(_ bytes: UnsafeRawBufferPointer) throws {}
}
