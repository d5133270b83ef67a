/// Streams one worksheet part: `<sheetData>` row by row, then `<mergeCells>`.
///
/// Tolerates what real writers produce: rows and cells without `r` (positions follow the previous
/// one), inline strings, `t="d"` ISO dates (Strict), formulas with cached values, values stored in
/// cells that a merge covers (kept: they are in the file).
final class WorksheetReader: SAXHandler {
    private let file: String
    private let sheetName: String
    private let sharedStrings: [String]
    private let formats: CellFormats
    private let date1904: Bool
    private let onRow: ([Cell]) throws -> Void

    private(set) var merged: [CellRange] = []
    private var rowIndex = -1
    private var row: [Cell] = []
    private var columnIndex = -1
    // The cell being read.
    private var reference = CellReference(row: 0, column: 0)
    private var type: CellType = .number
    private var style = 0
    private var value: [UInt8] = []
    private var formula: [UInt8] = []
    private var capture: Capture = .none
    private var inInlineString = false
    private var inPhonetic = false
    private var hasValue = false

    private enum Capture { case none, value, formula, inlineText }
    private enum CellType { case number, sharedString, string, inlineString, bool, error, date }

    init(file: String, sheetName: String, sharedStrings: [String], formats: CellFormats, date1904: Bool,
         onRow: @escaping ([Cell]) throws -> Void) {
        self.file = file
        self.sheetName = sheetName
        self.sharedStrings = sharedStrings
        self.formats = formats
        self.date1904 = date1904
        self.onRow = onRow
        value.reserveCapacity(64)
    }

    private func fail(_ reason: String, cell: CellReference? = nil) -> AnnexError {
        AnnexError(file: file, location: "工作表“\(sheetName)”", cell: cell.map { "单元格 \($0)" }, reason: reason)
    }

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        switch name.localName[0] {
        case UInt8(ascii: "c") where name.localName[1] == 0:
            if let r = attributes.bytes("r"), let parsed = CellReference(utf8: r) {
                reference = parsed
                if rowIndex < 0 { rowIndex = parsed.row }
            } else {
                reference = CellReference(row: max(rowIndex, 0), column: columnIndex + 1)
            }
            columnIndex = reference.column
            type = Self.cellType(attributes.bytes("t"))
            style = attributes.bytes("s").flatMap(Self.parseInt) ?? 0
            value.removeAll(keepingCapacity: true)
            formula.removeAll(keepingCapacity: true)
            hasValue = false
        case UInt8(ascii: "v") where name.localName[1] == 0:
            capture = .value
            hasValue = true
        case UInt8(ascii: "f") where name.localName[1] == 0:
            capture = .formula
        case UInt8(ascii: "t") where name.localName[1] == 0:
            if inInlineString && !inPhonetic { capture = .inlineText; hasValue = true }
        default:
            if name.is("row") {
                let r = attributes.bytes("r").flatMap(Self.parseInt)
                rowIndex = r.map { $0 - 1 } ?? rowIndex + 1
                guard rowIndex >= 0, rowIndex < CellReference.maxRows else {
                    throw fail("行号 \(rowIndex + 1) 超出范围")
                }
                columnIndex = -1
            } else if name.is("is") {
                inInlineString = true
            } else if name.is("rPh") {
                inPhonetic = true
            } else if name.is("mergeCell") {
                if let ref = attributes.string("ref"), let range = CellRange(ref) { merged.append(range) }
            }
        }
    }

    func endElement(_ name: XMLName) throws {
        switch name.localName[0] {
        case UInt8(ascii: "c") where name.localName[1] == 0:
            if hasValue, let cell = try makeCell() { row.append(cell) }
        case UInt8(ascii: "v"), UInt8(ascii: "f"), UInt8(ascii: "t"):
            if name.localName[1] == 0 { capture = .none }
        default:
            if name.is("row") {
                try flushRow()
            } else if name.is("is") {
                inInlineString = false
            } else if name.is("rPh") {
                inPhonetic = false
            } else if name.is("sheetData") {
                try flushRow()
            }
        }
    }

    func characters(_ bytes: UnsafeRawBufferPointer) throws {
        switch capture {
        case .none: return
        case .value, .inlineText: value.append(contentsOf: bytes)
        case .formula: formula.append(contentsOf: bytes)
        }
    }

    private func flushRow() throws {
        guard !row.isEmpty else { return }
        // Writers emit cells in column order; sort only if one did not.
        if !row.indices.dropFirst().allSatisfy({ row[$0 - 1].reference < row[$0].reference }) {
            row.sort { $0.reference < $1.reference }
        }
        try onRow(row)
        row.removeAll(keepingCapacity: true)
    }

    private func makeCell() throws -> Cell? {
        let cellValue: CellValue
        let numberFormat = formats.code(style)
        switch type {
        case .sharedString:
            guard let index = Self.parseInt(value), index >= 0, index < sharedStrings.count else {
                throw fail("共享字符串索引 \(String(decoding: value, as: UTF8.self)) 不存在（共 \(sharedStrings.count) 个）", cell: reference)
            }
            cellValue = .string(sharedStrings[index])
        case .string, .inlineString:
            cellValue = .string(TextEscapes.decode(value))
        case .bool:
            let text = String(decoding: value, as: UTF8.self)
            guard let flag = ["1": true, "0": false, "true": true, "false": false][text] else {
                throw fail("布尔值“\(text)”无效", cell: reference)
            }
            cellValue = .bool(flag)
        case .error:
            cellValue = .error(String(decoding: value, as: UTF8.self))
        case .date:
            // t="d" (Strict; some writers use it in Transitional too) holds ISO 8601 text. Shown like a
            // serial date: midnight under a date-only format is just the day.
            var text = String(decoding: value, as: UTF8.self)
            if formats.kind(style) == .date, text.count > 10, text.hasSuffix("T00:00:00") || text.hasSuffix("T00:00:00Z") {
                text = String(text.prefix(10))
            }
            cellValue = .date(text)
        case .number:
            if value.isEmpty { return nil }
            let text = String(decoding: value, as: UTF8.self)
            let kind = formats.kind(style)
            if kind == .date || kind == .dateTime || kind == .time {
                guard let serial = NumberText.parse(text),
                      let iso = NumberFormats.isoDate(serial: serial, date1904: date1904, kind: kind) else {
                    throw fail("日期值“\(text)”无效", cell: reference)
                }
                cellValue = .date(iso)
            } else {
                guard let canonical = NumberText.canonical(text) else {
                    throw fail("数值“\(text)”无效", cell: reference)
                }
                cellValue = .number(canonical)
            }
        }
        let formulaText = formula.isEmpty ? nil : TextEscapes.decode(formula)
        return Cell(reference: reference, value: cellValue, numberFormat: numberFormat, formula: formulaText)
    }

    private static func cellType(_ t: UnsafeRawBufferPointer?) -> CellType {
        guard let t, t.count > 0 else { return .number }
        switch (t.count, t[0]) {
        case (1, UInt8(ascii: "s")): return .sharedString
        case (1, UInt8(ascii: "n")): return .number
        case (1, UInt8(ascii: "b")): return .bool
        case (1, UInt8(ascii: "e")): return .error
        case (1, UInt8(ascii: "d")): return .date
        case (3, UInt8(ascii: "s")): return .string          // str: a formula's string result
        case (9, UInt8(ascii: "i")): return .inlineString    // inlineStr
        default: return .number
        }
    }

    static func parseInt<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count < 19 else { return nil }
        var result = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            result = result * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return result
    }
}
