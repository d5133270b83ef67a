/// A SpreadsheetML 2003 workbook (`<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`,
/// Excel 2002/2003 "XML Spreadsheet", often saved as `.xls` by web systems) read through the same
/// libxml2 SAX parser as .xlsx parts (no DTD, no network): one sheet per `<Worksheet>`, named by
/// `ss:Name` (`Sheet1`, … when it has none).
///
/// The file is parsed once when opened (names, styles, date system) and once per sheet read,
/// streaming: memory holds one row and the merges still open, never the file.
public final class SpreadsheetML2003Reader: SheetSource {
    public let path: String
    public let sheetNames: [String]
    private let styles: (formats: CellFormats, indexes: [String: Int])
    private let date1904: Bool

    public init(path: String) throws {
        self.path = path
        let survey = SpreadsheetMLSurvey()
        try Self.parse(path: path, handler: survey, part: "SpreadsheetML 2003")
        guard survey.sawWorkbook else {
            throw AnnexError(file: path, reason: "这是一个 XML 文件，但不是 SpreadsheetML 2003 工作簿（没有 <Workbook> 根元素）")
        }
        guard !survey.sheetNames.isEmpty else {
            throw AnnexError(file: path, reason: "这是一个 SpreadsheetML 2003（XML 表格）文件，但其中没有工作表（<Worksheet>）")
        }
        sheetNames = survey.sheetNames
        styles = survey.styles.resolved()
        date1904 = survey.date1904
    }

    @discardableResult
    public func readRows(at index: Int, onRow: @escaping (RowView) throws -> Void) throws -> [CellRange] {
        let reader = SpreadsheetMLRowReader(file: path, sheetName: sheetNames[index], target: index, styles: styles,
                                            date1904: date1904, onRow: onRow)
        do {
            try Self.parse(path: path, handler: reader, part: "工作表“\(sheetNames[index])”")
        } catch is SpreadsheetMLRowReader.Finished {
            // The worksheet ended: the rest of the file is not needed.
        }
        return reader.merged
    }

    /// Streams the file into `handler`; a GB-family declaration is decoded here (`SpreadsheetMLEncoding`).
    private static func parse(path: String, handler: SAXHandler, part: String) throws {
        var parser: SAXParser?
        var decoder: LegacyTextDecoder?
        try FileChunks.forEach(path: path) { chunk in
            if parser == nil {
                let charset = SpreadsheetMLEncoding.decoderNeeded(head: Array(chunk.prefix(256)))
                parser = SAXParser(handler: handler, file: path, partName: part, ignoringDeclaredEncoding: charset != nil)
                decoder = try charset.map { try LegacyTextDecoder(charset: $0, file: path) }
            }
            if let decoder {
                try decoder.decode(chunk) { try parser!.feed($0) }
            } else {
                try parser!.feed(chunk)
            }
        }
        try decoder?.finish()
        let last = parser ?? SAXParser(handler: handler, file: path, partName: part)
        try last.feed(UnsafeRawBufferPointer(start: nil, count: 0), final: true)
    }
}
