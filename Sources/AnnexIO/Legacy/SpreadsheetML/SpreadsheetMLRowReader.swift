/// The second pass over a SpreadsheetML 2003 workbook: the rows of one `<Worksheet>` into the reused
/// `RowBuffer`, lent to `onRow` as each `<Row>` ends, and its merged ranges.
///
/// Positions: `ss:Index` on a `<Row>` or `<Cell>` is 1-based and may skip; without it a row follows
/// the previous one (plus its `ss:Span` repeats) and a cell follows the previous cell and the
/// columns its `ss:MergeAcross` covers. Columns that a `ss:MergeDown` from an earlier row covers are
/// not skipped (LibreOffice and SheetJS read it so; Excel writes an `ss:Index` after them).
///
/// Values: `<Data ss:Type>` Number (shortest decimal of the double, or a date under a date style),
/// String (rich-text `<Font>`/`<B>` runs joined), DateTime, Boolean, Error; the `<Data>` of a
/// `<Comment>` is not the cell's. A cell's style is its `ss:StyleID`, else its row's, else its
/// column's, else `Default`. `ss:Formula` (R1C1) is kept in A1 notation.
final class SpreadsheetMLRowReader: SAXHandler {
    /// Thrown when the target worksheet has ended, to stop the parse early.
    struct Finished: Error {}

    private let file: String
    private let sheetName: String
    private let target: Int
    private let styleIndexes: [String: Int]
    private let formats: CellFormats
    private let date1904: Bool
    private let onRow: (RowView) throws -> Void

    private(set) var merged: [CellRange] = []
    private let row: RowBuffer
    private var worksheetsSeen = 0
    private var inTarget = false
    /// `<Column ss:StyleID>` by column ranges, the style of cells that name none.
    private var columnStyles: [(columns: ClosedRange<Int>, style: Int)] = []
    private var nextColumnDefinition = 0
    private var rowIndex = -1
    private var nextRow = 0
    private var rowStyle: Int?
    private var nextColumn = 0
    private var inCell = false
    private var inComment = false
    private var capturing = false
    private var cell = CellReference(row: 0, column: 0)
    private var style = 0
    private var type: String?
    private var formula: String?
    private var value = ByteScratch()

    init(file: String, sheetName: String, target: Int, styles: (formats: CellFormats, indexes: [String: Int]),
         date1904: Bool, onRow: @escaping (RowView) throws -> Void) {
        self.file = file
        self.sheetName = sheetName
        self.target = target
        formats = styles.formats
        styleIndexes = styles.indexes
        self.date1904 = date1904
        self.onRow = onRow
        row = RowBuffer(formats: styles.formats)
    }

    deinit { value.deallocate() }

    private func fail(_ reason: String, cell: CellReference? = nil) -> AnnexError {
        AnnexError(file: file, location: "工作表“\(sheetName)”", cell: cell.map { "单元格 \($0)" }, reason: reason)
    }

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        if name.is("Worksheet") {
            inTarget = worksheetsSeen == target
            worksheetsSeen += 1
            return
        }
        guard inTarget else { return }
        if capturing { return }   // rich-text runs inside <Data>
        if name.is("Cell") {
            try beginCell(attributes)
        } else if name.is("Data") {
            if inCell && !inComment {
                capturing = true
                type = attributes.string("Type")
                value.count = 0
            }
        } else if name.is("Comment") {
            inComment = true
        } else if name.is("Row") {
            try beginRow(attributes)
        } else if name.is("Column") {
            try defineColumn(attributes)
        }
    }

    func endElement(_ name: XMLName) throws {
        if name.is("Worksheet") {
            if inTarget {
                try flushRow()
                throw Finished()
            }
            return
        }
        guard inTarget else { return }
        if name.is("Data") {
            if capturing {
                capturing = false
                try appendCell()
            }
        } else if capturing {
            return
        } else if name.is("Cell") {
            inCell = false
        } else if name.is("Comment") {
            inComment = false
        } else if name.is("Row") {
            try flushRow()
        }
    }

    func characters(_ bytes: UnsafeRawBufferPointer) throws {
        if capturing { value.append(bytes) }
    }

    private static func index(_ attributes: XMLAttributes, _ name: StaticString) -> Int? {
        attributes.bytes(name).flatMap { WorksheetReader.parseInt($0.filter { $0 != 0x20 }) }
    }

    private func defineColumn(_ attributes: XMLAttributes) throws {
        let first = Self.index(attributes, "Index").map { $0 - 1 } ?? nextColumnDefinition
        let last = first + (Self.index(attributes, "Span") ?? 0)
        guard first >= 0, last < CellReference.maxColumns else {
            throw fail("列定义超出了工作表的最大列数 \(CellReference.maxColumns)")
        }
        nextColumnDefinition = last + 1
        if let id = attributes.string("StyleID"), let style = styleIndexes[id] {
            columnStyles.append((first...last, style))
        }
    }

    private func beginRow(_ attributes: XMLAttributes) throws {
        try flushRow()
        let index = Self.index(attributes, "Index").map { $0 - 1 } ?? nextRow
        guard index < CellReference.maxRows else { throw fail("行号 \(index + 1) 超过了工作表的最大行数 \(CellReference.maxRows)") }
        guard index > rowIndex else { throw fail("行号 \(index + 1) 不大于上一行的 \(rowIndex + 1)（ss:Index 必须递增）") }
        rowIndex = index
        nextRow = index + 1 + (Self.index(attributes, "Span") ?? 0)
        rowStyle = attributes.string("StyleID").flatMap { styleIndexes[$0] }
        nextColumn = 0
    }

    private func beginCell(_ attributes: XMLAttributes) throws {
        if rowIndex < 0 {
            // A <Cell> outside any <Row>: Excel refuses the file; read it as the first row.
            rowIndex = 0
            nextRow = 1
        }
        let column = Self.index(attributes, "Index").map { $0 - 1 } ?? nextColumn
        guard column >= 0, column < CellReference.maxColumns else {
            throw fail("第 \(rowIndex + 1) 行的单元格超出了工作表的最大列数 \(CellReference.maxColumns)（XFD 列）")
        }
        cell = CellReference(row: rowIndex, column: column)
        let across = min(Self.index(attributes, "MergeAcross") ?? 0, CellReference.maxColumns - 1 - column)
        let down = min(Self.index(attributes, "MergeDown") ?? 0, CellReference.maxRows - 1 - rowIndex)
        nextColumn = column + across + 1
        if across > 0 || down > 0 {
            merged.append(CellRange(first: cell, last: CellReference(row: rowIndex + down, column: column + across)))
        }
        style = attributes.string("StyleID").flatMap { styleIndexes[$0] }
            ?? rowStyle ?? columnStyles.last { $0.columns.contains(column) }?.style ?? 0
        formula = attributes.string("Formula").flatMap { R1C1Formula.a1($0, at: cell) }
        inCell = true
    }

    /// Appends the cell whose `<Data>` just ended: its value as `CellValue.text`, then its formula.
    private func appendCell() throws {
        let text = value.bytes
        let start = row.bytes.count
        let kind: CellKind
        switch type {
        case "Number":
            let trimmed = UnsafeBufferPointer(rebasing: text[...].trimmingASCIISpaces())
            if let shown = NumberFormats.temporal(String(decoding: trimmed, as: UTF8.self), kind: formats.kind(style), date1904: date1904) {
                row.bytes.append(shown.text)
                kind = shown.kind
            } else {
                if trimmed.isEmpty { return }
                guard NumberText.appendCanonical(bytes: trimmed, to: &row.bytes) else {
                    throw fail("数值“\(String(decoding: text, as: UTF8.self))”无效", cell: cell)
                }
                kind = .number
            }
        case "DateTime":
            let shown = String(decoding: text, as: UTF8.self)
            if shown.isEmpty { return }
            guard let iso = SpreadsheetMLDateTime.iso(shown, kind: formats.kind(style)) else {
                throw fail("日期时间值“\(shown)”无效", cell: cell)
            }
            row.bytes.append(iso)
            kind = .date
        case "Boolean":
            switch String(decoding: UnsafeBufferPointer(rebasing: text[...].trimmingASCIISpaces()), as: UTF8.self).lowercased() {
            case "1", "true": row.bytes.append("true")
            case "0", "false": row.bytes.append("false")
            default: throw fail("布尔值“\(String(decoding: text, as: UTF8.self))”无效", cell: cell)
            }
            kind = .bool
        case "Error":
            if text.isEmpty { return }
            row.bytes.append(text)
            kind = .error
        default:   // String, or no type
            row.bytes.append(text)
            kind = .string
        }
        let formulaStart = row.bytes.count
        if let formula { row.bytes.append(formula) }
        guard row.bytes.count <= RowBuffer.maximumBytes else { throw fail("这一行的内容超过 4 GiB", cell: cell) }
        row.append(row: cell.row, column: cell.column, kind: kind, style: style, valueOffset: start, formulaOffset: formulaStart)
    }

    private func flushRow() throws {
        guard row.count > 0 else { return }
        row.sortIfNeeded()
        try onRow(row.view)
        row.removeAll()
    }
}

extension Slice where Base == UnsafeBufferPointer<UInt8> {
    /// Without the ASCII spaces, tabs and line breaks at either end.
    func trimmingASCIISpaces() -> Slice<Base> {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var result = self
        while let first = result.first, isSpace(first) { result = result.dropFirst() }
        while let last = result.last, isSpace(last) { result = result.dropLast() }
        return result
    }
}
