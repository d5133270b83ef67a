/// The workbook globals substream of a BIFF5/7 or BIFF8 `Workbook` stream (MS-XLS 2.1.7.20.1): the
/// sheet list, the shared strings, the number formats of the cell styles, the date system, the
/// code page, and what formulas refer to. Everything a sheet's cells need, read once at open.
struct WorkbookGlobals {
    struct SheetEntry {
        var name: String
        /// Where the sheet's BOF record starts in the stream.
        var offset: Int
        /// Its position among all BOUNDSHEETs (chart sheets included), as references count sheets.
        var tabIndex: Int
    }

    var text: TextDecoding
    var date1904 = false
    /// Worksheets in tab order (hidden ones included, as in xlsx); chart, macro and module sheets left out.
    var sheets: [SheetEntry] = []
    var sharedStrings = SharedStringTable([])
    var formats = CellFormats()
    var links = FormulaLinks()

    enum RecordType {
        static let bof: UInt16 = 0x0809
        static let eof: UInt16 = 0x000A
        static let filePass: UInt16 = 0x002F
        static let codePage: UInt16 = 0x0042
        static let dateMode: UInt16 = 0x0022
        static let boundSheet: UInt16 = 0x0085
        static let format: UInt16 = 0x041E
        static let xf: UInt16 = 0x00E0
        static let sst: UInt16 = 0x00FC
    }

    /// BOF record types of BIFF2, BIFF3 and BIFF4 (MS-XLS 2.4.21 names only BIFF5 and later).
    static let oldBOFTypes: Set<UInt16> = [0x0009, 0x0209, 0x0409]
    static let oldFormatReason = "这是 Excel 2.x–4.0（BIFF2–4）格式的旧工作簿，无法读取；请在 Excel/WPS 中另存为 .xlsx"

    static func read(_ records: RecordStream, path: String) throws -> WorkbookGlobals {
        guard try records.next() else {
            throw AnnexError(file: path, reason: "Workbook 流是空的，文件已损坏")
        }
        if oldBOFTypes.contains(records.type) {
            throw AnnexError(file: path, reason: oldFormatReason)
        }
        guard records.type == RecordType.bof, records.length >= 4 else {
            throw AnnexError(file: path, reason: "Workbook 流不以 BOF 记录开头，不是 Excel 工作簿或文件已损坏")
        }
        var bof = RecordCursor(records.data, count: records.length)
        let version = try bof.uint16()
        let kind = try bof.uint16()
        // 0x0600 is BIFF8, 0x0500 BIFF5/7 (MS-XLS 2.4.21). Some writers put 0 in BIFF8 files.
        let biff8 = version != 0x0500
        guard kind == 0x0005 else {
            throw AnnexError(file: path, reason: "Workbook 流的第一个子流不是工作簿全局子流（类型 \(RecordStream.name(kind))），无法读取")
        }
        var globals = WorkbookGlobals(text: TextDecoding(biff8: biff8, codePage: 1252))
        var customFormats: [Int: String] = [:]
        var formatIDs: [Int] = []
        do {
            while try records.next() {
                var cursor = RecordCursor(records.data, count: records.length)
                switch records.type {
                case RecordType.eof:
                    globals.formats = formats(ids: formatIDs, custom: customFormats)
                    return globals
                case RecordType.filePass:
                    throw AnnexError(file: path, reason: "工作簿已加密（设置了打开密码），无法读取；请在 Excel/WPS 中去掉密码后再试")
                case RecordType.codePage:
                    let codePage = Int(try cursor.uint16())
                    globals.text = TextDecoding(biff8: biff8, codePage: codePage)
                    guard globals.text.isSupported else {
                        throw AnnexError(file: path, reason: "工作簿使用代码页 \(codePage)，无法解码其中的文字")
                    }
                case RecordType.dateMode:
                    globals.date1904 = try cursor.uint16() == 1
                case RecordType.boundSheet:
                    let offset = Int(try cursor.uint32())
                    _ = try cursor.uint8()              // visibility: hidden sheets are read too
                    let sheetType = try cursor.uint8()  // 0 worksheet, 1 macro sheet, 2 chart, 6 VB module
                    let name = try cursor.string8(globals.text)
                    if sheetType == 0 {
                        globals.sheets.append(SheetEntry(name: name, offset: offset, tabIndex: globals.links.sheetNames.count))
                    }
                    globals.links.sheetNames.append(name)
                case RecordType.format:
                    let id = Int(try cursor.uint16())
                    customFormats[id] = try cursor.string16IfBIFF8(globals.text)
                case RecordType.xf:
                    _ = try cursor.uint16()             // font
                    formatIDs.append(Int(try cursor.uint16()))
                case RecordType.sst:
                    globals.sharedStrings = SharedStringTable(try readSST(records.readContinued()))
                case FormulaLinks.RecordType.name:
                    globals.links.readName(&cursor, globals.text)
                // The BIFF5 forms of these records are left unread: a BIFF5 3D reference names its
                // sheets itself, and its external names are not given a text.
                case FormulaLinks.RecordType.supBook where biff8:
                    globals.links.readSupportingBook(&cursor)
                case FormulaLinks.RecordType.externName where biff8:
                    globals.links.readExternName(&cursor, globals.text)
                case FormulaLinks.RecordType.externSheet where biff8:
                    globals.links.readExternSheets(try records.readContinued())
                default:
                    break
                }
            }
        } catch let error as BIFFFormatError {
            throw AnnexError(file: path, location: "工作簿全局记录 \(RecordStream.name(records.type))", reason: error.reason + "，文件已损坏")
        }
        throw AnnexError(file: path, reason: "工作簿全局子流没有 EOF 记录就结束了，文件已损坏或被截断")
    }

    /// The format code of every XF, by XF index: a FORMAT record's code, else the built-in one.
    private static func formats(ids: [Int], custom: [Int: String]) -> CellFormats {
        var formats = CellFormats()
        for id in ids { formats.append(code: custom[id] ?? NumberFormats.builtIn[id]) }
        return formats
    }

    /// SST (MS-XLS 2.4.265): two counts, then the strings, spread over CONTINUE records.
    private static func readSST(_ record: ContinuedRecord) throws -> [String] {
        var cursor = RecordCursor(record)
        _ = try cursor.uint32()                   // references in the workbook
        let unique = Int(try cursor.uint32())
        var strings: [String] = []
        // Each string takes at least 3 bytes: the declared count cannot reserve more than that.
        strings.reserveCapacity(min(unique, cursor.remaining / 3))
        while strings.count < unique, cursor.remaining > 0 {
            let count = Int(try cursor.uint16())
            strings.append(try cursor.unicodeString(afterCount: count))
        }
        return strings
    }
}

extension RecordCursor {
    /// FORMAT's code: XLUnicodeString in BIFF8, a byte string with an 8-bit count in BIFF5/7.
    mutating func string16IfBIFF8(_ text: TextDecoding) throws -> String {
        text.biff8 ? try string16(text) : try string8(text)
    }
}
