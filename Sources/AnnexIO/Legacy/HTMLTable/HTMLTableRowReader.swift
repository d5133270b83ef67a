#if canImport(Glibc)
import Glibc
#endif

/// The second pass over an HTML document: the rows of one `<table>` (the `target`-th start tag) into
/// the reused `RowBuffer`, lent to `onRow` as each `<tr>` ends, and its merged ranges.
///
/// Layout is a browser's: a cell goes to the first column of its row that no `rowspan` from above
/// covers; `colspan`/`rowspan` make merged ranges, clamped at the sheet's edge (a cell that would
/// start beyond it is refused). A table nested in a cell is a sheet of its own: the enclosing cell
/// keeps only its own text (the lines before and after it). `<thead>`/`<tbody>`/`<tfoot>` rows come in document order.
///
/// Values: Excel's own HTML export marks numbers with `x:num` (the raw number, when the cell shows a
/// formatted one such as `62.92%`), booleans with `x:bool`, errors with `x:err`, text with `x:str`,
/// and formulas with `x:fmla`; these are honoured, and a number whose cell class has a date
/// `mso-number-format` is a date (`HTMLClassFormats`), as in .xlsx, and one whose format is text
/// (`\@`, by class or inline style) is text. Otherwise a cell whose text is a plain decimal
/// (`CSVGrid.isPlainDecimal`) is a number exactly as written and everything else is text (`12%`,
/// `1,234` and `0012` stay text, as in CSV).
final class HTMLTableRowReader: HTMLEventHandler {
    /// Thrown when the target table has ended, to stop the parse early.
    struct Finished: Error {}

    /// Tables nested deeper than this are refused (libxml2 keeps every open element).
    static let maximumNesting = 64

    private let file: String
    private let sheetName: String
    private let target: Int
    private let onRow: (RowView) throws -> Void

    private(set) var merged: [CellRange] = []
    private let row: RowBuffer
    private let classFormats: HTMLClassFormats
    /// The style index (into `row.formats`) of each format code.
    private let styleOfCode: [String: Int]
    private var style = 0
    private let text = HTMLCellText()
    private var occupancy = SpanOccupancy()
    private var tablesSeen = 0
    /// The index of every open table, innermost last.
    private var openTables: [Int] = []
    private var rowIndex = -1
    private var rowOpen = false
    private var nextColumn = 0
    private var cellOpen = false
    private var cell = CellReference(row: 0, column: 0)
    private var marker: ExcelMarker = .none
    private var formula: String?

    /// What Excel's `x:` attributes say a cell holds; the associated value is the attribute's.
    private enum ExcelMarker {
        case none
        case number(String?)
        case string
        case bool(String?)
        case error(String?)
    }

    init(file: String, sheetName: String, target: Int, classFormats: HTMLClassFormats,
         onRow: @escaping (RowView) throws -> Void) {
        self.file = file
        self.sheetName = sheetName
        self.target = target
        self.onRow = onRow
        self.classFormats = classFormats
        var formats = CellFormats()
        formats.append(code: nil)
        var styleOfCode: [String: Int] = [:]
        for code in Set(classFormats.codes.values).sorted() {
            styleOfCode[code] = formats.codes.count
            formats.append(code: code)
        }
        self.styleOfCode = styleOfCode
        row = RowBuffer(formats: formats)
    }

    private var inTarget: Bool { openTables.last == target }

    func startElement(_ name: UnsafePointer<UInt8>, attributes: HTMLAttributes) throws {
        if strcmp(name, "table") == 0 {
            guard openTables.count < Self.maximumNesting else {
                throw AnnexError(file: file, reason: "表格嵌套超过 \(Self.maximumNesting) 层，无法读取")
            }
            // A nested table is a block of its own: the enclosing cell's text before and after it
            // stays on separate lines.
            if cellOpen, inTarget { text.blockBoundary() }
            openTables.append(tablesSeen)
            tablesSeen += 1
            return
        }
        guard inTarget else { return }
        if strcmp(name, "tr") == 0 {
            try endRow()
            try startRow()
        } else if strcmp(name, "td") == 0 || strcmp(name, "th") == 0 {
            try endCell()
            if !rowOpen { try startRow() }
            try beginCell(attributes)
        } else if cellOpen {
            if strcmp(name, "br") == 0 {
                text.lineBreak()
            } else if Self.isBlock(name) {
                text.blockBoundary()
            }
        }
    }

    func endElement(_ name: UnsafePointer<UInt8>) throws {
        if strcmp(name, "table") == 0 {
            if inTarget {
                try endRow()
                throw Finished()
            }
            _ = openTables.popLast()
            if cellOpen, inTarget { text.blockBoundary() }
            return
        }
        guard inTarget else { return }
        if strcmp(name, "td") == 0 || strcmp(name, "th") == 0 {
            try endCell()
        } else if strcmp(name, "tr") == 0 {
            try endRow()
        } else if cellOpen, Self.isBlock(name) {
            text.blockBoundary()
        }
    }

    func characters(_ bytes: UnsafeRawBufferPointer) throws {
        if cellOpen, inTarget { text.append(bytes) }
    }

    /// The end of the document closes what is still open (a file cut short).
    func finish() throws { if inTarget { try endRow() } }

    private static func isBlock(_ name: UnsafePointer<UInt8>) -> Bool {
        strcmp(name, "p") == 0 || strcmp(name, "div") == 0 || strcmp(name, "li") == 0
    }

    private func fail(_ reason: String) -> AnnexError {
        AnnexError(file: file, location: "表格“\(sheetName)”", cell: "第 \(rowIndex + 1) 行", reason: reason)
    }

    private func startRow() throws {
        rowIndex += 1
        guard rowIndex < CellReference.maxRows else {
            throw fail("超过了工作表的最大行数 \(CellReference.maxRows)")
        }
        occupancy.startRow(rowIndex)
        nextColumn = 0
        rowOpen = true
    }

    private func endRow() throws {
        try endCell()
        guard rowOpen else { return }
        rowOpen = false
        if row.count > 0 {
            try onRow(row.view)
            row.removeAll()
        }
    }

    private func beginCell(_ attributes: HTMLAttributes) throws {
        let column = occupancy.freeColumn(atOrAfter: nextColumn)
        guard column < CellReference.maxColumns else {
            throw fail("单元格超出了工作表的最大列数 \(CellReference.maxColumns)（XFD 列）")
        }
        let columns = min(Self.span(attributes.value("colspan").value), CellReference.maxColumns - column)
        let rows = min(Self.span(attributes.value("rowspan").value), CellReference.maxRows - rowIndex)
        nextColumn = column + columns
        occupancy.reserve(columns: column...(column + columns - 1), throughRow: rowIndex + rows - 1)
        cell = CellReference(row: rowIndex, column: column)
        if columns > 1 || rows > 1 {
            merged.append(CellRange(first: cell, last: CellReference(row: rowIndex + rows - 1, column: column + columns - 1)))
        }
        marker = Self.marker(attributes)
        style = attributes.value("class").value.flatMap { classFormats.code(forClassAttribute: $0) }.flatMap { styleOfCode[$0] } ?? 0
        // `mso-number-format:"\@"` (text), by class or inline, is how exporters make Excel keep
        // `3584` or `0.50` as text; it is text here too.
        if case .none = marker, row.formats.kind(style) == .text || Self.inlineFormatIsText(attributes) { marker = .string }
        formula = attributes.value("x:fmla").value.map { $0.hasPrefix("=") ? String($0.dropFirst()) : $0 }
        text.reset()
        cellOpen = true
    }

    private static func inlineFormatIsText(_ attributes: HTMLAttributes) -> Bool {
        guard let style = attributes.value("style").value,
              let code = HTMLClassFormats.numberFormat(in: Array(style.utf8)[...]) else { return false }
        return NumberFormats.kind(of: code) == .text
    }

    private static func marker(_ attributes: HTMLAttributes) -> ExcelMarker {
        let number = attributes.value("x:num")
        if number.present { return .number(number.value) }
        if attributes.value("x:str").present { return .string }
        let bool = attributes.value("x:bool")
        if bool.present { return .bool(bool.value) }
        let error = attributes.value("x:err")
        if error.present { return .error(error.value) }
        return .none
    }

    /// A `colspan`/`rowspan` as browsers read it: the leading digits after spaces; anything else
    /// (missing, `0`, `abc`) is 1. Saturates instead of overflowing; the caller clamps to the sheet.
    static func span(_ value: String?) -> Int {
        guard let value else { return 1 }
        var result = 0
        for byte in value.utf8.drop(while: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            result = min(result * 10 + Int(byte - UInt8(ascii: "0")), 1 << 40)
        }
        return max(result, 1)
    }

    private func endCell() throws {
        guard cellOpen else { return }
        cellOpen = false
        let shown = text.finish()
        let start = row.bytes.count
        var kind: CellKind
        switch marker {
        case .number(let raw?) where appendNumber(raw):
            kind = .number
        case .number(nil) where NumberText.appendCanonical(bytes: shown, to: &row.bytes):
            kind = .number
        case .string:
            guard !shown.isEmpty else { return }
            row.bytes.append(shown)
            kind = .string
        case .bool(let raw):
            let value = raw ?? String(decoding: shown, as: UTF8.self)
            switch value.uppercased() {
            case "TRUE", "1": row.bytes.append("true")
            case "FALSE", "0": row.bytes.append("false")
            default: throw fail("单元格 \(cell) 的布尔值“\(value)”无效")
            }
            kind = .bool
        case .error(let raw):
            let value = raw ?? String(decoding: shown, as: UTF8.self)
            guard !value.isEmpty else { return }
            row.bytes.append(value)
            kind = .error
        default:
            guard !shown.isEmpty else { return }
            row.bytes.append(shown)
            kind = CSVGrid.isPlainDecimal(shown) ? .number : .string
        }
        if kind == .number, let shown = temporalUnderFormat(from: start) { kind = shown }
        let formulaStart = row.bytes.count
        if let formula { row.bytes.append(formula) }
        guard row.bytes.count <= RowBuffer.maximumBytes else { throw fail("这一行的内容超过 4 GiB") }
        row.append(row: cell.row, column: cell.column, kind: kind, style: style, valueOffset: start, formulaOffset: formulaStart)
    }

    /// Replaces the number just appended at `start` by the date, time or duration its format shows
    /// (`NumberFormats.temporal`), returning the new kind; nil (the number kept) otherwise.
    private func temporalUnderFormat(from start: Int) -> CellKind? {
        let number = String(decoding: UnsafeBufferPointer(start: row.bytes.base + start, count: row.bytes.count - start), as: UTF8.self)
        guard let shown = NumberFormats.temporal(number, kind: row.formats.kind(style), date1904: false) else { return nil }
        row.bytes.count = start
        row.bytes.append(shown.text)
        return shown.kind
    }

    private func appendNumber(_ raw: String) -> Bool {
        var raw = raw
        return raw.withUTF8 { NumberText.appendCanonical(bytes: $0, to: &row.bytes) }
    }
}
