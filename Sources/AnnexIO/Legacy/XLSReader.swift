/// Reads a legacy binary `.xls` workbook: BIFF8 (Excel 97-2003, WPS) or BIFF5/7 (Excel 95) inside an
/// OLE2 compound file. The globals (sheet list, shared strings, formats, what formulas refer to) and
/// the custom document properties are read at open; a sheet is streamed record by record when asked,
/// giving the same values and formulas the xlsx reader gives for the same workbook. Written by hand
/// (MS-CFB, MS-XLS, MS-OLEPS): no library on this system reads BIFF with merged cells.
public final class XLSReader: SheetSource {
    public let path: String
    public let sheetNames: [String]
    /// Custom document properties (`annex.period` …) from the file's DocumentSummaryInformation.
    public let documentProperties: [String: String]
    private let container: CompoundFile
    private let workbookStream: DirectoryEntry
    private let globals: WorkbookGlobals

    public init(path: String) throws {
        self.path = path
        container = try CompoundFile(path: path)
        if container.rootStream(named: "EncryptedPackage") != nil || container.rootStream(named: "EncryptionInfo") != nil {
            throw AnnexError(file: path, reason: "这是加密（设置了打开密码）的 Excel 工作簿，无法读取；请在 Excel/WPS 中去掉密码后另存为 .xlsx 再试")
        }
        // BIFF8 names the stream "Workbook", BIFF5/7 "Book" (MS-XLS 2.1.2).
        guard let stream = container.rootStream(named: "Workbook") ?? container.rootStream(named: "Book") else {
            throw AnnexError(file: path, reason: "这是 OLE2 复合文档，但其中没有 Excel 工作簿（Workbook）流，可能是 Word 等其他 Office 文件")
        }
        workbookStream = stream
        documentProperties = UserDefinedProperties.read(in: container)
        globals = try WorkbookGlobals.read(RecordStream(try container.open(stream), path: path), path: path)
        sheetNames = globals.sheets.map(\.name)
        if sheetNames.isEmpty {
            throw AnnexError(file: path, reason: "工作簿中没有工作表")
        }
    }

    /// Streams the sheet's non-empty rows in order, each row's cells in column order; returns the merged ranges.
    @discardableResult
    public func readRows(at index: Int, onRow: @escaping (RowView) throws -> Void) throws -> [CellRange] {
        let records = RecordStream(try container.open(workbookStream), path: path)
        let sheet = globals.sheets[index]
        let reader = WorksheetRecords(records: records, globals: globals, file: path, sheet: sheet, onRow: onRow)
        return try reader.read(from: sheet.offset)
    }
}
