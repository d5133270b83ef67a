/// Streams one worksheet part: `<sheetData>` row by row, then `<mergeCells>`.
///
/// Tolerates what real writers produce: rows and cells without `r` (positions follow the previous
/// one), inline strings, `t="d"` ISO dates (Strict), formulas with cached values, values stored in
/// cells that a merge covers (kept: they are in the file). A cell of a shared formula group gets the
/// group's formula moved to it (FormulaShift).
final class WorksheetReader: SAXHandler {
    private let file: String
    private let sheetName: String
    private let sharedStrings: SharedStringTable
    private let formats: CellFormats
    private let date1904: Bool
    private let onRow: (RowView) throws -> Void

    private(set) var merged: [CellRange] = []
    /// Rows handed to `onRow` so far (a fallback from the scanner to SAX skips as many).
    private(set) var rowsEmitted = 0
    // The state below is touched several times per cell. `@exclusivity(unchecked)`: the reader is
    // used from one thread and never re-entered, and the dynamic checks cost ~10 % of a sheet read.
    @exclusivity(unchecked) private var rowIndex = -1
    /// The row being read, lent to `onRow` when it ends.
    private let row: RowBuffer
    @exclusivity(unchecked) private var columnIndex = -1
    // The cell being read.
    @exclusivity(unchecked) private var reference = CellReference(row: 0, column: 0)
    @exclusivity(unchecked) private var type: CellType = .number
    @exclusivity(unchecked) private var style = 0
    @exclusivity(unchecked) private var value = ByteScratch()
    @exclusivity(unchecked) private var formula = ByteScratch()
    @exclusivity(unchecked) private var capture: Capture = .none
    @exclusivity(unchecked) private var inInlineString = false
    @exclusivity(unchecked) private var inPhonetic = false
    @exclusivity(unchecked) private var hasValue = false
    /// The `si` of the `<f t="shared">` being read, or -1 for any other formula (set only for the
    /// former, reset when it ends).
    @exclusivity(unchecked) private var sharedGroup = -1
    /// The anchor of each shared formula group met so far, by `si`; untouched by sheets without one.
    private var sharedFormulas: [Int: SharedFormula] = [:]

    /// The cell that carries a shared formula group's text, and that text.
    private struct SharedFormula {
        var anchor: CellReference
        var text: [UInt8]
    }

    private enum Capture { case none, value, formula, inlineText }
    private enum CellType { case number, sharedString, string, inlineString, bool, error, date }

    init(file: String, sheetName: String, sharedStrings: SharedStringTable, formats: CellFormats, date1904: Bool,
         onRow: @escaping (RowView) throws -> Void) {
        self.file = file
        self.sheetName = sheetName
        self.sharedStrings = sharedStrings
        self.formats = formats
        self.date1904 = date1904
        self.onRow = onRow
        row = RowBuffer(sharedStrings: sharedStrings, formats: formats)
    }

    deinit {
        value.deallocate()
        formula.deallocate()
    }

    private func fail(_ reason: String, cell: CellReference? = nil) -> AnnexError {
        AnnexError(file: file, location: "工作表“\(sheetName)”", cell: cell.map { "单元格 \($0)" }, reason: reason)
    }

    // MARK: - SAX events (the general path)

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        switch name.localName[0] {
        case UInt8(ascii: "c") where name.localName[1] == 0:
            try beginCell(r: attributes.bytes("r"), t: attributes.bytes("t"), s: attributes.bytes("s"))
        case UInt8(ascii: "v") where name.localName[1] == 0:
            beginValue()
        case UInt8(ascii: "f") where name.localName[1] == 0:
            beginFormula(t: attributes.bytes("t"), si: attributes.bytes("si"))
        case UInt8(ascii: "t") where name.localName[1] == 0:
            beginText()
        default:
            if name.is("row") {
                try beginRow(r: attributes.bytes("r"))
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
            try endCell()
        case UInt8(ascii: "f") where name.localName[1] == 0:
            endFormula()
        case UInt8(ascii: "v"), UInt8(ascii: "t"):
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
        case .value, .inlineText: value.append(bytes)
        case .formula: formula.append(bytes)
        }
    }

    // MARK: - Element events, shared by the SAX handler above and SheetDataScanner

    /// Whether text is being collected (inside `<v>`, `<f>` or an inline string's `<t>`).
    var isCapturing: Bool { capture != .none }

    func beginRow(r: UnsafeRawBufferPointer?) throws {
        let r = r.flatMap(Self.parseInt)
        rowIndex = r.map { $0 - 1 } ?? rowIndex + 1
        guard rowIndex >= 0, rowIndex < CellReference.maxRows else {
            throw fail("行号 \(rowIndex + 1) 超出范围")
        }
        columnIndex = -1
    }

    func beginCell(r: UnsafeRawBufferPointer?, t: UnsafeRawBufferPointer?, s: UnsafeRawBufferPointer?) throws {
        if let r, let parsed = CellReference(utf8: r) {
            reference = parsed
            if rowIndex < 0 { rowIndex = parsed.row }
        } else {
            reference = CellReference(row: max(rowIndex, 0), column: columnIndex + 1)
        }
        columnIndex = reference.column
        type = Self.cellType(t)
        style = s.flatMap(Self.parseInt) ?? 0
        value.count = 0
        formula.count = 0
        hasValue = false
    }

    func beginValue() {
        // An inline string's value is its <is>; a stray <v> beside it is ignored, never appended.
        if type == .inlineString { return }
        capture = .value
        hasValue = true
    }

    /// `<f>`: `t` and `si` matter only for a shared formula (ECMA-376 Part 1, 18.3.1.40); other
    /// formulas, nearly all of them without `t`, pass with one nil test and `si` is not looked up.
    func beginFormula(t: UnsafeRawBufferPointer?, si: @autoclosure () -> UnsafeRawBufferPointer?) {
        capture = .formula
        if let t, Self.isShared(t), let si = si(), let group = Self.parseInt(si) {
            sharedGroup = group
        }
    }

    func endFormula() {
        capture = .none
        if sharedGroup >= 0 {
            resolveSharedFormula()
            sharedGroup = -1
        }
    }

    func beginText() {
        if inInlineString && !inPhonetic { capture = .inlineText; hasValue = true }
    }

    func endCapture() { capture = .none }

    /// The first cell of a group that has text is its anchor (the master cell of ECMA-376 Part 1,
    /// 18.3.1.40, which also has `ref`; as openpyxl does, the group is found by `si` alone). Every later
    /// cell of the group takes the anchor's formula moved by its offset from the anchor, whatever text
    /// it has itself ("the master formula shall override"). A cell without text before its group's
    /// anchor (a malformed file) is left without a formula rather than given a guessed one.
    private func resolveSharedFormula() {
        if let shared = sharedFormulas[sharedGroup] {
            formula.count = 0
            shared.text.withUnsafeBufferPointer {
                FormulaShift.append($0, rows: reference.row - shared.anchor.row,
                                    columns: reference.column - shared.anchor.column, to: &formula)
            }
        } else if formula.count > 0 {
            sharedFormulas[sharedGroup] = SharedFormula(anchor: reference, text: Array(formula.bytes))
        }
    }

    func setInlineString(_ inside: Bool) { inInlineString = inside }
    func setPhonetic(_ inside: Bool) { inPhonetic = inside }

    func endCell() throws {
        if hasValue || formula.count > 0 { try appendCell() }
    }

    func endRow() throws { try flushRow() }

    private func flushRow() throws {
        guard row.count > 0 else { return }
        // Writers emit cells in column order; sort only if one did not.
        row.sortIfNeeded()
        try onRow(row.view)
        rowsEmitted += 1
        row.removeAll()
    }

    /// Appends the cell just read to the row (nothing for an empty number cell): its value as the text
    /// `CellValue.text` would be, in the row's arena, then its formula.
    private func appendCell() throws {
        var value = self.value.bytes
        // `<v/>` or white space in a shared-string, boolean, error or date cell is an empty cell (seen
        // in files from other programs); an index with spaces around it is still an index.
        if type != .string && type != .inlineString {
            value = Self.trimmingSpace(value)
        }
        let start = row.bytes.count
        if value.isEmpty && (!hasValue || (type != .string && type != .inlineString)) {
            // A formula without a cached value (written by a library that does not calculate) is the
            // string `=formula`, as openpyxl shows it (SPEC.md, dump JSON); without a formula, nothing.
            guard formula.count > 0 else { return }
            row.bytes.append(UInt8(ascii: "="))
            TextEscapes.append(decoding: formula.bytes, to: &row.bytes)
            let formulaStart = row.bytes.count
            TextEscapes.append(decoding: formula.bytes, to: &row.bytes)
            row.append(row: reference.row, column: reference.column, kind: .string, style: style,
                       valueOffset: start, formulaOffset: formulaStart)
            return
        }
        let kind: CellKind
        var shared = -1
        switch type {
        case .sharedString:
            guard let index = Self.parseInt(value), index >= 0, index < sharedStrings.count else {
                throw fail("共享字符串索引 \(String(decoding: value, as: UTF8.self)) 不存在（共 \(sharedStrings.count) 个）", cell: reference)
            }
            shared = index
            kind = .string
        case .string, .inlineString:
            TextEscapes.append(decoding: value, to: &row.bytes)
            kind = .string
        case .bool:
            switch Array(value) {
            case [UInt8(ascii: "1")], Array("true".utf8): row.bytes.append("true")
            case [UInt8(ascii: "0")], Array("false".utf8): row.bytes.append("false")
            default: throw fail("布尔值“\(String(decoding: value, as: UTF8.self))”无效", cell: reference)
            }
            kind = .bool
        case .error:
            row.bytes.append(value)
            kind = .error
        case .date:
            // t="d" (Strict; some writers use it in Transitional too) holds ISO 8601 text, written in
            // the canonical form of a serial date (midnight under a date-only format is just the day);
            // text that is no date stays text.
            let text = String(decoding: value, as: UTF8.self)
            if let iso = NumberFormats.canonicalISO(text, dateOnly: formats.kind(style) == .date) {
                row.bytes.append(iso)
                kind = .date
            } else {
                TextEscapes.append(decoding: value, to: &row.bytes)
                kind = .string
            }
        case .number:
            let numberKind = formats.kind(style)
            // A date, time or duration format shows the number as one, when one can show it; a
            // serial no calendar date can show (negative, past 9999-12-31) stays a number.
            if numberKind != .general && numberKind != .number,
               let shown = NumberFormats.temporal(String(decoding: value, as: UTF8.self), kind: numberKind, date1904: date1904) {
                row.bytes.append(shown.text)
                kind = shown.kind
            } else {
                // The hot path: the canonical text goes straight into the arena, no String.
                guard NumberText.appendCanonical(bytes: value, to: &row.bytes) else {
                    throw fail("数值“\(String(decoding: value, as: UTF8.self))”无效", cell: reference)
                }
                kind = .number
            }
        }
        let formulaStart = row.bytes.count
        if formula.count > 0 { TextEscapes.append(decoding: formula.bytes, to: &row.bytes) }
        guard row.bytes.count <= RowBuffer.maximumBytes else { throw fail("这一行的内容超过 4 GiB", cell: reference) }
        row.append(row: reference.row, column: reference.column, kind: kind, style: style, sharedString: shared,
                   valueOffset: start, formulaOffset: formulaStart)
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

    private static func isShared(_ t: UnsafeRawBufferPointer) -> Bool {
        let shared: StaticString = "shared"
        guard t.count == shared.utf8CodeUnitCount else { return false }
        for k in 0..<t.count where t[k] != shared.utf8Start[k] { return false }
        return true
    }

    private static func trimmingSpace(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = bytes.count
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
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
