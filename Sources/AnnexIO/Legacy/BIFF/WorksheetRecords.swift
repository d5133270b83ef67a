/// Streams one worksheet substream (MS-XLS 2.1.7.20.5) as rows: the cell records of each row block
/// are gathered, sorted into reading order and lent out row by row; MERGEDCELLS are collected.
/// Each FORMULA cell carries its formula's text (`FormulaText`); the formula of a shared or array
/// formula (PtgExp) is the SHRFMLA or ARRAY record that follows the FORMULA of the cell it names.
///
/// A row block (up to 32 ROW records, their cells, a DBCELL) is what BIFF writers keep together,
/// and cells inside it may come in any order; so the block is the unit buffered, and memory stays
/// bounded by a block, not by the sheet. Writers without ROW/DBCELL records (xlwt writes none of
/// the latter) are cut at row changes once a buffer holds `flushThreshold` cells.
final class WorksheetRecords {
    private let records: RecordStream
    private let globals: WorkbookGlobals
    private let file: String
    private let sheetName: String
    private let onRow: (RowView) throws -> Void
    /// The cells of the current row block, in file order; sorted before they are lent.
    private let block: RowBuffer
    /// The row lent to `onRow`: slots pointing into `block`'s bytes.
    private let row: RowBuffer
    // @exclusivity(unchecked): written by this reader alone, several times per cell; the dynamic
    // checks cost more than the work (the same choice as RowBuffer).
    @exclusivity(unchecked) private var blockLastRow = -1
    /// The last row handed to `onRow`: a cell before it would come too late.
    @exclusivity(unchecked) private var emittedThrough = -1
    /// A FORMULA whose cached string is in the STRING record that follows it.
    private var pendingFormulaString: (row: Int, column: Int, style: Int, formula: String)?
    private let formulas: FormulaText
    /// SHRFMLA and ARRAY formulas by the cell whose FORMULA they follow, which PtgExp names.
    private var sharedFormulas: [CellReference: ParsedFormula] = [:]
    private var arrayFormulas: [CellReference: ParsedFormula] = [:]
    private var merged: [CellRange] = []
    /// The cell being decoded, for error messages.
    @exclusivity(unchecked) private var currentCell: CellReference?

    static let flushThreshold = 1 << 14

    enum RecordType {
        static let bof: UInt16 = 0x0809
        static let eof: UInt16 = 0x000A
        static let row: UInt16 = 0x0208
        static let dbCell: UInt16 = 0x00D7
        static let number: UInt16 = 0x0203
        static let rk: UInt16 = 0x027E
        static let mulRK: UInt16 = 0x00BD
        static let labelSST: UInt16 = 0x00FD
        static let label: UInt16 = 0x0204
        static let rString: UInt16 = 0x00D6
        static let boolErr: UInt16 = 0x0205
        static let formula: UInt16 = 0x0006
        static let string: UInt16 = 0x0207
        static let mergedCells: UInt16 = 0x00E5
        static let sharedFormula: UInt16 = 0x04BC
        static let array: UInt16 = 0x0221
        static let table: UInt16 = 0x0236
    }

    init(records: RecordStream, globals: WorkbookGlobals, file: String, sheet: WorkbookGlobals.SheetEntry,
         onRow: @escaping (RowView) throws -> Void) {
        self.records = records
        self.globals = globals
        self.file = file
        sheetName = sheet.name
        formulas = FormulaText(text: globals.text, links: globals.links, sheet: sheet.tabIndex)
        self.onRow = onRow
        block = RowBuffer(sharedStrings: globals.sharedStrings, formats: globals.formats)
        row = RowBuffer(sharedStrings: globals.sharedStrings, formats: globals.formats)
    }

    private func fail(_ reason: String) -> AnnexError {
        AnnexError(file: file, location: "工作表“\(sheetName)”", cell: currentCell.map { "单元格 \($0)" }, reason: reason)
    }

    /// Reads the substream whose BOF is at `offset`; returns the merged ranges, sorted.
    func read(from offset: Int) throws -> [CellRange] {
        records.seek(to: offset)
        guard try records.next(), records.type == RecordType.bof else {
            throw fail("工作表目录指向的位置 \(offset) 没有 BOF 记录，文件已损坏")
        }
        // Charts, and anything else embedded in the sheet, are substreams of their own: skipped whole.
        var depth = 1
        do {
            while try records.next() {
                switch records.type {
                case RecordType.bof:
                    depth += 1
                case RecordType.eof:
                    depth -= 1
                    if depth == 0 {
                        try flushBlock()
                        return merged.sorted()
                    }
                default:
                    if depth == 1 { try handleRecord() }
                }
            }
        } catch let error as BIFFFormatError {
            throw fail(error.reason + "，文件已损坏")
        }
        currentCell = nil
        throw fail("工作表子流没有 EOF 记录就结束了，文件已损坏或被截断")
    }

    private func handleRecord() throws {
        let type = records.type
        // The STRING of a string-valued FORMULA may follow a SHRFMLA, ARRAY or TABLE record (MS-XLS 2.4.127).
        if ![RecordType.string, RecordType.sharedFormula, RecordType.array, RecordType.table].contains(type) {
            pendingFormulaString = nil
        }
        // Before any cursor over the record's bytes exists: a FORMULA may read the record after it,
        // which reuses those bytes.
        if type == RecordType.formula { return try handleFormula() }
        var cursor = RecordCursor(records.data, count: records.length)
        switch type {
        case RecordType.row:
            if block.count > 0 { try flushBlock() }
        case RecordType.dbCell:
            try flushBlock()
        case RecordType.number:
            let (r, c, xf) = try position(&cursor)
            try appendNumber(Double(bitPattern: UInt64(try cursor.uint32()) | UInt64(try cursor.uint32()) << 32), r, c, xf)
        case RecordType.rk:
            let (r, c, xf) = try position(&cursor)
            try appendNumber(Self.rkValue(try cursor.uint32()), r, c, xf)
        case RecordType.mulRK:
            // rw, colFirst, (ixfe, RK) × n, colLast (MS-XLS 2.4.175): n follows from the length.
            let r = Int(try cursor.uint16())
            let first = Int(try cursor.uint16())
            guard records.length >= 6, (records.length - 6) % 6 == 0 else {
                throw BIFFFormatError(reason: "MULRK 记录的长度 \(records.length) 无效")
            }
            for k in 0..<((records.length - 6) / 6) {
                let xf = Int(try cursor.uint16())
                try appendNumber(Self.rkValue(try cursor.uint32()), try checked(r, first + k), first + k, xf)
            }
        case RecordType.labelSST:
            let (r, c, xf) = try position(&cursor)
            let index = Int(try cursor.uint32())
            guard index < globals.sharedStrings.count else {
                throw fail("共享字符串索引 \(index) 不存在（共 \(globals.sharedStrings.count) 个），文件已损坏")
            }
            try append(r, c, xf, kind: .string, sharedString: index, text: "")
        case RecordType.label, RecordType.rString:
            let (r, c, xf) = try position(&cursor)
            try append(r, c, xf, kind: .string, text: try cursor.string16(globals.text))
        case RecordType.boolErr:
            let (r, c, xf) = try position(&cursor)
            let value = try cursor.uint8()
            if try cursor.uint8() == 0 {
                try append(r, c, xf, kind: .bool, text: value == 0 ? "false" : "true")
            } else {
                try append(r, c, xf, kind: .error, text: Self.errorText(value))
            }
        case RecordType.string:
            guard let pending = pendingFormulaString else { return }
            pendingFormulaString = nil
            var text = RecordCursor(try records.readContinued())
            try append(pending.row, pending.column, pending.style, kind: .string, text: try text.string16(globals.text),
                       formula: pending.formula)
        case RecordType.mergedCells:
            let count = Int(try cursor.uint16())
            for _ in 0..<count {
                let firstRow = Int(try cursor.uint16()), lastRow = Int(try cursor.uint16())
                let firstColumn = Int(try cursor.uint16()), lastColumn = Int(try cursor.uint16())
                guard lastColumn < CellReference.maxColumns else { continue }
                merged.append(CellRange(first: CellReference(row: firstRow, column: firstColumn),
                                        last: CellReference(row: lastRow, column: lastColumn)))
            }
        default:
            // BLANK/MULBLANK (no value: no cell, like a styled empty xlsx cell), DIMENSIONS (a hint
            // only), SHRFMLA/ARRAY not right after their FORMULA (read there), TABLE (data tables
            // have no formula text), and the records of formatting and views.
            break
        }
    }

    /// FORMULA (MS-XLS 2.4.127): the cell, its cached result, 6 bytes of flags, then the formula.
    /// The result is a double, or, when its last two bytes are 0xFFFF, a tagged value: 0 string (in
    /// the STRING record that follows), 1 bool, 2 error, 3 "".
    private func handleFormula() throws {
        let (r, c, xf, result, parsed) = try readFormulaRecord()
        let formula = try formulaText(of: parsed, at: CellReference(row: r, column: c))
        guard result[6] == 0xFF, result[7] == 0xFF else {
            var bits: UInt64 = 0
            for k in (0..<8).reversed() { bits = bits << 8 | UInt64(result[k]) }
            try appendNumber(Double(bitPattern: bits), r, c, xf, formula: formula)
            return
        }
        switch result[0] {
        case 0: pendingFormulaString = (r, c, xf, formula)
        case 1: try append(r, c, xf, kind: .bool, text: result[2] == 0 ? "false" : "true", formula: formula)
        case 2: try append(r, c, xf, kind: .error, text: Self.errorText(result[2]), formula: formula)
        case 3: try append(r, c, xf, kind: .string, text: "", formula: formula)
        default: throw fail("公式缓存值的类型 \(result[0]) 无效")
        }
    }

    /// The FORMULA record's fields, copied out, so that no cursor holds the record's bytes when the
    /// next record is read into them. A formula too short for its declared length has no text.
    private func readFormulaRecord() throws -> (Int, Int, Int, [UInt8], ParsedFormula?) {
        var cursor = RecordCursor(records.data, count: records.length)
        let (r, c, xf) = try position(&cursor)
        let result = Array(try cursor.byteArray(8))
        var parsed: ParsedFormula?
        do {
            try cursor.skip(6)
            parsed = try ParsedFormula(&cursor)
        } catch {
            parsed = nil
        }
        return (r, c, xf, result, parsed)
    }

    /// The text of a cell's formula, empty when it has none that can be shown. A formula that is only
    /// PtgExp (MS-XLS 2.5.198.58) takes the shared formula it names, adjusted to the cell, or the
    /// array formula it names — shown in the array's first cell only, as xlsx keeps it there; a
    /// data table's cells (PtgTbl) have no formula text in xlsx either.
    private func formulaText(of parsed: ParsedFormula?, at cell: CellReference) throws -> String {
        guard let parsed else { return "" }
        guard let anchor = parsed.sharedOrArrayCell else {
            return formulas.decompile(tokens: parsed.tokens, extra: parsed.extra, at: cell) ?? ""
        }
        if anchor == cell, sharedFormulas[anchor] == nil, arrayFormulas[anchor] == nil {
            try readFormulaDefinition(for: anchor)
        }
        if let shared = sharedFormulas[anchor] {
            return formulas.decompile(tokens: shared.tokens, extra: shared.extra, at: cell) ?? ""
        }
        if let array = arrayFormulas[anchor], anchor == cell {
            return formulas.decompile(tokens: array.tokens, extra: array.extra, at: cell) ?? ""
        }
        return ""
    }

    /// Reads the SHRFMLA or ARRAY record right after the FORMULA of `cell`, if that is what comes
    /// next. Their ranges (RefU) and flags come before the formula: 8 bytes in SHRFMLA (MS-XLS
    /// 2.4.260), 12 in ARRAY (2.4.4). A definition that cannot be read leaves the cells without text;
    /// a record that runs past the stream is an error, as anywhere else.
    private func readFormulaDefinition(for cell: CellReference) throws {
        let type = try records.peekType()
        guard type == RecordType.sharedFormula || type == RecordType.array, try records.next() else { return }
        var cursor = RecordCursor(records.data, count: records.length)
        guard (try? cursor.skip(type == RecordType.sharedFormula ? 8 : 12)) != nil,
              let definition = try? ParsedFormula(&cursor) else { return }
        if type == RecordType.sharedFormula {
            sharedFormulas[cell] = definition
        } else {
            arrayFormulas[cell] = definition
        }
    }

    /// rw, col, ixfe: the start of every cell record.
    private func position(_ cursor: inout RecordCursor) throws -> (Int, Int, Int) {
        let r = Int(try cursor.uint16())
        let c = Int(try cursor.uint16())
        let xf = Int(try cursor.uint16())
        return (try checked(r, c), c, xf)
    }

    /// The row, once the position is known to be inside a sheet and not behind rows already lent.
    private func checked(_ r: Int, _ c: Int) throws -> Int {
        currentCell = CellReference(row: r, column: min(c, CellReference.maxColumns - 1))
        guard c < CellReference.maxColumns else { throw fail("列号 \(c + 1) 超出范围") }
        guard r > emittedThrough else {
            throw fail("单元格出现在已读完的行之后（第 \(r + 1) 行），记录顺序混乱，文件已损坏")
        }
        return r
    }

    /// RK (MS-XLS 2.5.217): 30 bits of a signed integer or of a double's high bits, optionally ÷ 100.
    static func rkValue(_ rk: UInt32) -> Double {
        let value: Double
        if rk & 0x02 != 0 {
            value = Double(Int32(bitPattern: rk) >> 2)
        } else {
            value = Double(bitPattern: UInt64(rk & 0xFFFF_FFFC) << 32)
        }
        return rk & 0x01 != 0 ? value / 100 : value
    }

    /// BErr (MS-XLS 2.5.10).
    static func errorText(_ code: UInt8) -> String {
        knownErrorText(code) ?? "#ERROR(\(code))"
    }

    static func knownErrorText(_ code: UInt8) -> String? {
        switch code {
        case 0x00: "#NULL!"
        case 0x07: "#DIV/0!"
        case 0x0F: "#VALUE!"
        case 0x17: "#REF!"
        case 0x1D: "#NAME?"
        case 0x24: "#NUM!"
        case 0x2A: "#N/A"
        case 0x2B: "#GETTING_DATA"
        default: nil
        }
    }

    /// A number as the xlsx reader gives it: a date, time or duration under such a format (when one
    /// can show it), else the shortest round-trip decimal.
    private func appendNumber(_ value: Double, _ r: Int, _ c: Int, _ xf: Int, formula: String = "") throws {
        guard value.isFinite else { throw fail("数值不是有限数") }
        if let shown = NumberFormats.temporal(serial: value, kind: globals.formats.kind(xf), date1904: globals.date1904) {
            try append(r, c, xf, kind: shown.kind, text: shown.text, formula: formula)
        } else {
            // Straight into the block's bytes: most BIFF numbers are whole (RK integers) or have two
            // decimals, and building a String for each was most of the reading time.
            try append(r, c, xf, kind: .number, formula: formula) { NumberText.appendShortest(value, to: &$0) }
        }
    }

    private func append(_ r: Int, _ c: Int, _ xf: Int, kind: CellKind, sharedString: Int = -1, text: String,
                        formula: String = "") throws {
        try append(r, c, xf, kind: kind, sharedString: sharedString, formula: formula) { $0.append(text) }
    }

    /// The cell's value, written by `write`, then its formula, into the block's bytes.
    @inline(__always)
    private func append(_ r: Int, _ c: Int, _ xf: Int, kind: CellKind, sharedString: Int = -1, formula: String = "",
                        write: (inout ByteScratch) -> Void) throws {
        if block.count >= Self.flushThreshold, r > blockLastRow { try flushBlock() }
        let start = block.bytes.count
        write(&block.bytes)
        let formulaStart = block.bytes.count
        if !formula.isEmpty { block.bytes.append(formula) }
        guard block.bytes.count <= RowBuffer.maximumBytes else { throw fail("这一组行的内容超过 4 GiB") }
        block.append(row: r, column: c, kind: kind, style: xf, sharedString: sharedString,
                     valueOffset: start, valueCount: formulaStart - start, formulaCount: block.bytes.count - formulaStart)
        blockLastRow = max(blockLastRow, r)
    }

    /// Lends the buffered cells row by row, in reading order, and empties the buffer.
    private func flushBlock() throws {
        guard block.count > 0 else { return }
        block.sortIfNeeded()
        let slots = block.slots
        row.lentBytes = UnsafePointer(block.bytes.base)
        var k = 0
        while k < block.count {
            row.removeAll()
            let current = slots[k].row
            while k < block.count, slots[k].row == current {
                let slot = slots[k]
                row.append(row: Int(slot.row), column: Int(slot.column), kind: slot.kind, style: Int(slot.style),
                           sharedString: Int(slot.sharedString), valueOffset: Int(slot.valueOffset),
                           valueCount: Int(slot.valueCount), formulaCount: Int(slot.formulaCount))
                k += 1
            }
            try onRow(row.view)
        }
        emittedThrough = Int(slots[block.count - 1].row)
        block.removeAll()
        blockLastRow = -1
    }
}

/// A formula's tokens and the bytes after them (MS-XLS 2.5.198.3 CellParsedFormula, and the same
/// layout in SHRFMLA and ARRAY): a 2-byte token length, the tokens, then to the end of the record
/// the constants of its arrays.
struct ParsedFormula {
    let tokens: [UInt8]
    let extra: [UInt8]

    init(_ cursor: inout RecordCursor) throws {
        let count = Int(try cursor.uint16())
        tokens = Array(try cursor.byteArray(count))
        extra = Array(try cursor.byteArray(cursor.remaining))
    }

    /// The cell a formula that is one PtgExp names (its row, then its column).
    var sharedOrArrayCell: CellReference? {
        guard tokens.count == 5, tokens[0] == 0x01 else { return nil }
        return CellReference(row: Int(UInt16(littleEndianBytes: tokens, at: 1)), column: Int(UInt16(littleEndianBytes: tokens, at: 3)))
    }
}
