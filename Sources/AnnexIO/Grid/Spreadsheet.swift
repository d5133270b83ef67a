#if canImport(Glibc)
import Glibc
#endif

/// Opens any spreadsheet file as a `SheetSource`, deciding by content rather than by name: a zip
/// (or a file named .xlsx/.xlsm, so that a broken one gets the workbook diagnosis) is read as a
/// workbook, anything else as CSV.
public enum Spreadsheet {
    public static func open(path: String, csv: CSVReadOptions = CSVReadOptions(),
                            zipLimits: ZipLimits = ZipLimits()) throws -> SheetSource {
        let lowered = path.lowercased()
        let namedWorkbook = [".xlsx", ".xlsm", ".xltx", ".xltm"].contains { lowered.hasSuffix($0) }
        if namedWorkbook || startsLikeZip(path) {
            return try XLSXReader(path: path, limits: zipLimits)
        }
        return try CSVSheetSource(path: path, options: csv)
    }

    private static func startsLikeZip(_ path: String) -> Bool {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var magic = [UInt8](repeating: 0, count: 4)
        let count = magic.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4) }
        return count == 4 && magic == [0x50, 0x4b, 0x03, 0x04]
    }
}

/// A CSV file as a one-sheet source named after the file. A field that is a plain decimal number
/// becomes a number cell, exactly as written; everything else is text (codes with leading zeros
/// such as `0012` stay text, as do `1,234` and `12%`, which templates interpret).
public final class CSVSheetSource: SheetSource {
    public let path: String
    public let sheetNames: [String]
    private let options: CSVReadOptions

    public init(path: String, options: CSVReadOptions = CSVReadOptions()) throws {
        self.path = path
        self.options = options
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let stem = base.lastIndex(of: ".").map { String(base[..<$0]) } ?? base
        sheetNames = [stem.isEmpty ? base : stem]
        guard access(path, R_OK) == 0 else {
            throw AnnexError(file: path, reason: "无法打开文件（\(String(cString: strerror(errno)))）")
        }
    }

    @discardableResult
    public func readSheet(at index: Int, onRow: @escaping ([Cell]) throws -> Void) throws -> [CellRange] {
        let reader = try CSVReader(path: path, options: options)
        var row = 0
        var cells: [Cell] = []
        try reader.forEachRecord { _, fields in
            cells.removeAll(keepingCapacity: true)
            for (column, field) in fields.enumerated() where !field.isEmpty {
                let reference = CellReference(row: row, column: column)
                cells.append(Cell(reference: reference, value: Self.value(of: field)))
            }
            if !cells.isEmpty { try onRow(cells) }
            row += 1
        }
        return []
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 15 significant digits is a number; the rest is text.
    public static func value(of field: String) -> CellValue {
        var digits = 0
        var significant = 0
        var sawPoint = false
        var leadingZero = false
        var index = 0
        for byte in field.utf8 {
            defer { index += 1 }
            switch byte {
            case UInt8(ascii: "-") where index == 0: continue
            case UInt8(ascii: "."):
                if sawPoint || digits == 0 { return .string(field) }
                sawPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if !sawPoint && digits == 1 && leadingZero { return .string(field) }
                if digits == 0 && byte == UInt8(ascii: "0") { leadingZero = true }
                digits += 1
                if significant > 0 || byte != UInt8(ascii: "0") { significant += 1 }
            default:
                return .string(field)
            }
        }
        let last = field.utf8.last
        guard digits > 0, significant <= 15, last != UInt8(ascii: ".") else { return .string(field) }
        return .number(field)
    }
}
