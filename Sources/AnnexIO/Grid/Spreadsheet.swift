#if canImport(Glibc)
import Glibc
#endif

/// Opens any spreadsheet file as a `SheetSource`, deciding by content (`SpreadsheetFormat.sniff`)
/// rather than by name. A file named like a workbook that is none of the known kinds goes to the
/// workbook reader, so that a broken one (empty, truncated, a lock file) gets the workbook diagnosis;
/// anything else is delimited text (government systems also export tab-separated text as `.xls`).
public enum Spreadsheet {
    public static func open(path: String, csv: CSVReadOptions = CSVReadOptions(),
                            zipLimits: ZipLimits = ZipLimits()) throws -> SheetSource {
        switch SpreadsheetFormat.sniff(path: path) {
        case .zip:
            return try XLSXReader(path: path, limits: zipLimits)
        case .compoundFile:
            return try XLSReader(path: path)
        case .oldBIFF:
            throw AnnexError(file: path, reason: WorkbookGlobals.oldFormatReason)
        case .html:
            return try HTMLTableSheetSource(path: path)
        case .spreadsheetML2003:
            return try SpreadsheetML2003Reader(path: path)
        case .text:
            let lowered = path.lowercased()
            if [".xlsx", ".xlsm", ".xltx", ".xltm"].contains(where: { lowered.hasSuffix($0) }) {
                return try XLSXReader(path: path, limits: zipLimits)
            }
            return try CSVSheetSource(path: path, options: csv)
        }
    }
}

/// A CSV file as a one-sheet source named after the file (`data/附件1.csv` → `附件1`). Record `n`
/// (0-based, blank lines included) is row `n`, field `k` is column `k`. A field that is a plain decimal
/// (`CSVGrid.isPlainDecimal`) becomes a number cell exactly as written; everything else is text
/// (codes with leading zeros such as `0012` stay text, as do `1,234` and `12%`, which templates
/// interpret). Empty fields make no cell. Files beyond a worksheet's size are refused.
public final class CSVSheetSource: SheetSource {
    public let path: String
    public let sheetNames: [String]
    private let options: CSVReadOptions

    public init(path: String, options: CSVReadOptions = CSVReadOptions()) throws {
        self.path = path
        self.options = options
        sheetNames = [CSVGrid.sheetName(forPath: path)]
        guard access(path, R_OK) == 0 else {
            throw AnnexError(file: path, reason: "无法打开文件（\(String(cString: strerror(errno)))）")
        }
    }

    /// A scan of the file's bytes (`CSVReader.scanExtent`; it finds no extent for UTF-16). None for
    /// anything but a regular file: opening a pipe (`/dev/stdin`) again would take bytes from the read.
    public func extentScan(sheet index: Int) -> (@Sendable () throws -> SheetExtent?)? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return { [path, options] in try CSVReader(path: path, options: options).scanExtent() }
    }

    @discardableResult
    public func readRows(at index: Int, onRow: @escaping (RowView) throws -> Void) throws -> [CellRange] {
        let reader = try CSVReader(path: path, options: options)
        let buffer = RowBuffer()
        var row = 0
        try reader.forEachRawRecord { line, record in
            if row >= CellReference.maxRows {
                throw AnnexError(file: self.path, location: "第 \(line) 行", reason: "超过了工作表的最大行数 \(CellReference.maxRows)")
            }
            if record.count > CellReference.maxColumns {
                throw AnnexError(file: self.path, location: "第 \(line) 行",
                                 reason: "有 \(record.count) 个字段，超过了工作表的最大列数 \(CellReference.maxColumns)")
            }
            buffer.removeAll()
            buffer.lentBytes = record.bytes
            if record.quoteFree { buffer.quoteFreeDelimiter = reader.delimiter }
            let fields = record.count, bytes = fields == 0 ? 0 : record.ends[fields &- 1]
            buffer.appendSlots(upTo: fields, textBound: bytes &+ 5 &* fields) { slots in
                var cells = 0, start = 0
                for column in 0..<fields {
                    let end = record.ends[column]
                    defer { start = end }
                    guard end > start else { continue }   // an empty field is no cell
                    let valueStart = record.valueStart(start, end)
                    // Its kind follows its text (a number or text, `CellView.kindFollowsText`).
                    slots[cells] = RowBuffer.Slot(
                        row: Int32(truncatingIfNeeded: row), column: Int32(truncatingIfNeeded: column), style: 0,
                        sharedString: -1, valueOffset: UInt32(truncatingIfNeeded: valueStart),
                        valueCount: UInt32(truncatingIfNeeded: end &- valueStart), formulaCount: 0,
                        kind: .string, kindFollowsText: true)
                    cells &+= 1
                }
                return cells
            }
            if buffer.count > 0 { try onRow(buffer.view) }
            row += 1
        }
        return []
    }
}
