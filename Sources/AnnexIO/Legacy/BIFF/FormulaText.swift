/// Turns the parsed expression of a BIFF formula (MS-XLS 2.5.198.1 Rgce: tokens in reverse Polish
/// order, then the constants of its arrays, 2.5.198.104 RgbExtra) back into the A1 text the xlsx
/// reader gives for the same formula: no leading `=`, functions by name, `'Sheet name'!A1` quoted
/// as Excel quotes it, spaces where the formula had them (PtgAttrSpace).
///
/// A formula is given a text only when every token is understood: an unknown token, a reference
/// into another workbook, a name that cannot be resolved or bytes that end too soon give nil, and
/// the cell keeps its value without a formula. Every read is bounds-checked.
struct FormulaText {
    /// The workbook's strings: BIFF8 or BIFF5/7 (whose tokens are laid out differently) and code page.
    let text: TextDecoding
    let links: FormulaLinks
    /// The BOUNDSHEET index of the formula's sheet: a name local to it is written without its sheet.
    let sheet: Int

    var biff8: Bool { text.biff8 }

    /// The text of `tokens` (with `extra`, the bytes after them) as the formula of `cell`; relative
    /// references of a shared formula (PtgRefN, PtgAreaN) are offsets from it.
    func decompile(tokens: [UInt8], extra: [UInt8], at cell: CellReference) -> String? {
        var decompiler = Decompiler(tokens: RecordCursor(tokens, count: tokens.count),
                                    extra: RecordCursor(extra, count: extra.count), formula: self, cell: cell)
        return try? decompiler.run()
    }

    // MARK: - Quoting and numbers, as Excel writes them

    /// `Sheet1`, `汇总`, `'社保 (一)'`, `'2023年'`, `'It''s'`: a sheet name is quoted when it holds
    /// anything but letters, digits, `_` and `.`, starts with a digit or `.`, or could be read as a
    /// cell reference (`A1`, `R1C1`, `R`, `C2`).
    static func quotedSheetName(_ name: String) -> String {
        needsQuotes(name) ? "'" + name.replacingOccurrences(of: "'", with: "''") + "'" : name
    }

    static func needsQuotes(_ name: String) -> Bool {
        guard let first = name.first else { return true }
        if first.isNumber || first == "." { return true }
        if name.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }) { return true }
        return CellReference(name) != nil || looksLikeR1C1(name)
    }

    /// `R`, `C`, `R12`, `C3`, `RC`, `R1C1`, in either case.
    private static func looksLikeR1C1(_ name: String) -> Bool {
        var rest = Substring(name.uppercased())
        var sawPart = false
        for letter in ["R", "C"] where rest.hasPrefix(letter) {
            rest = rest.dropFirst().drop { $0.isASCII && $0.isNumber }
            sawPart = true
        }
        return sawPart && rest.isEmpty
    }

    /// A number constant as Excel writes it: the shortest decimal that reads back as the same double,
    /// in plain notation (`0.000001`, `123456789012345`) unless its first digit stands 15 or more
    /// places from the decimal point, then with an exponent (`1.5E+20`, `1E-20`).
    static func numberText(_ value: Double) -> String {
        let plain = NumberText.shortest(value)
        let sign = plain.hasPrefix("-") ? "-" : ""
        let unsigned = plain.drop { $0 == "-" }
        let integer = unsigned.prefix { $0 != "." }
        let fraction = unsigned.dropFirst(integer.count + 1)
        // The significant digits, and the power of ten of the first one.
        let exponent: Int
        var digits: Substring
        if integer != "0" {
            exponent = integer.count - 1
            digits = integer + fraction
        } else {
            let zeros = fraction.prefix { $0 == "0" }.count
            exponent = -(zeros + 1)
            digits = fraction.dropFirst(zeros)
        }
        guard abs(exponent) >= 15, !digits.isEmpty else { return plain }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        let mantissa = digits.count > 1 ? digits.prefix(1) + "." + digits.dropFirst() : digits
        return sign + mantissa + (exponent < 0 ? "E-" : "E+") + String(abs(exponent))
    }


}

/// One pass over a formula's tokens: operands are pushed as text, operators and functions pop theirs.
private struct Decompiler {
    var tokens: RecordCursor
    /// The constants of PtgArray tokens and the ranges of PtgMemArea ones, in token order.
    var extra: RecordCursor
    let formula: FormulaText
    let cell: CellReference
    var stack: [String] = []
    // Spaces and line breaks (PtgAttrSpace) waiting for the token they stand before.
    var leading = ""
    var beforeOpening = ""
    var beforeClosing = ""

    /// A token, reference or name that has no text here: the formula is left without one.
    struct Unsupported: Error {}

    /// PtgAdd (0x03) … PtgRange (0x11), in order (MS-XLS 2.5.198.25).
    static let binaryOperators = ["+", "-", "*", "/", "^", "&", "<", "<=", "=", ">=", ">", "<>", " ", ",", ":"]

    /// Functions new in Excel 2007: an .xls calls them through a defined name `_xlfn.IFERROR`
    /// (MS-XLS 2.5.198.17, note on future functions), while ISO/IEC 29500-1 18.17.7 lists them, so
    /// xlsx writes them without the prefix. Later functions keep it in xlsx too (MS-XLSX 2.2.3).
    static let functionsNamedInXLSX: Set<String> = [
        "AVERAGEIF", "AVERAGEIFS", "COUNTIFS", "CUBEKPIMEMBER", "CUBEMEMBER", "CUBEMEMBERPROPERTY",
        "CUBERANKEDMEMBER", "CUBESET", "CUBESETCOUNT", "CUBEVALUE", "IFERROR", "SUMIFS",
    ]

    init(tokens: RecordCursor, extra: RecordCursor, formula: FormulaText, cell: CellReference) {
        self.tokens = tokens
        self.extra = extra
        self.formula = formula
        self.cell = cell
    }

    mutating func run() throws -> String {
        while tokens.remaining > 0 {
            try step(try tokens.uint8())
        }
        guard stack.count == 1 else { throw Unsupported() }
        return stack[0]
    }

    private mutating func step(_ ptg: UInt8) throws {
        switch ptg {
        case 0x03...0x11:
            let right = try pop(), left = try pop()
            push([left, Self.take(&leading), Self.binaryOperators[Int(ptg - 0x03)], right].joined())
        case 0x12, 0x13:
            let operand = try pop()
            push([Self.take(&leading), ptg == 0x12 ? "+" : "-", operand].joined())
        case 0x14:
            let operand = try pop()
            push([operand, Self.take(&leading), "%"].joined())
        case 0x15:
            let inner = try pop()
            push([Self.take(&leading), Self.take(&beforeOpening), "(", inner, Self.take(&beforeClosing), ")"].joined())
        case 0x16:
            pushOperand("")                                  // PtgMissArg: an omitted argument
        case 0x17:
            pushOperand(Self.quoted(try stringConstant()))
        case 0x19:
            try attribute()
        case 0x1C:
            pushOperand(try errorText(try tokens.uint8()))
        case 0x1D:
            pushOperand(try tokens.uint8() == 0 ? "FALSE" : "TRUE")
        case 0x1E:
            pushOperand(String(try tokens.uint16()))
        case 0x1F:
            pushOperand(FormulaText.numberText(try Self.double(&tokens)))
        case 0x20...0x7F:
            // Operand tokens come in three classes (reference, value, array: bits 5-6) with the same text.
            try operand((ptg & 0x1F) | 0x20)
        default:
            // PtgExp and PtgTbl (the cell's reader resolves them), PtgElf*, PtgSxName, and anything else.
            throw Unsupported()
        }
    }

    /// PtgAttr (MS-XLS 2.5.198.26-35): a flags byte and two bytes of data.
    private mutating func attribute() throws {
        let flags = try tokens.uint8()
        let data = Int(try tokens.uint16())
        if flags & 0x04 != 0 {
            try tokens.skip(2 * (data + 1))                  // PtgAttrChoose: its jump table
        }
        if flags & 0x10 != 0 {                               // PtgAttrSum: SUM of one argument
            let argument = try pop()
            push([Self.take(&leading), "SUM(", argument, Self.take(&beforeClosing), ")"].joined())
        }
        if flags & 0x40 != 0 {                               // PtgAttrSpace: type, then count
            let count = data >> 8
            switch data & 0xFF {
            case 0x00: leading += String(repeating: " ", count: count)
            case 0x01: leading += String(repeating: "\n", count: count)
            case 0x02: beforeOpening += String(repeating: " ", count: count)
            case 0x03: beforeOpening += String(repeating: "\n", count: count)
            case 0x04: beforeClosing += String(repeating: " ", count: count)
            case 0x05: beforeClosing += String(repeating: "\n", count: count)
            case 0x06: break                                 // before the `=`, which the text leaves out
            default: throw Unsupported()
            }
        }
        // PtgAttrSemi (volatile), PtgAttrIf, PtgAttrGoto (jumps) and PtgAttrBaxcel change no text.
    }

    private mutating func operand(_ ptg: UInt8) throws {
        let biff8 = formula.biff8
        switch ptg {
        case 0x20:                                           // PtgArray: its values are in `extra`
            try tokens.skip(7)
            pushOperand(try arrayConstant())
        case 0x21:                                           // PtgFunc
            guard let function = FunctionTable.function(Int(try tokens.uint16())),
                  let count = function.fixedArgumentCount else { throw Unsupported() }
            try call(function.name, argumentCount: count)
        case 0x22:                                           // PtgFuncVar
            let count = Int(try tokens.uint8() & 0x7F)
            let tab = Int(try tokens.uint16())
            // fCeFunc (bit 15): a macro command, not a function.
            guard tab & 0x8000 == 0 else { throw Unsupported() }
            if tab == FunctionTable.userDefined {
                try callUserDefined(argumentCount: count)
            } else {
                guard let function = FunctionTable.function(tab) else { throw Unsupported() }
                try call(function.name, argumentCount: count)
            }
        case 0x23:                                           // PtgName
            let index = biff8 ? Int(try tokens.uint32()) : Int(try tokens.uint16())
            if !biff8 { try tokens.skip(12) }
            pushOperand(try definedName(index))
        case 0x24, 0x2C:                                     // PtgRef, PtgRefN (relative to the cell)
            pushOperand(cellText(try location(relative: ptg == 0x2C)))
        case 0x25, 0x2D:                                     // PtgArea, PtgAreaN
            pushOperand(areaText(try area(relative: ptg == 0x2D)))
        case 0x26:                                           // PtgMemArea: the ranges are in `extra`
            try tokens.skip(6)
            let count = Int(try extra.uint16())
            try extra.skip(count * (biff8 ? 8 : 6))
        case 0x27, 0x28:                                     // PtgMemErr, PtgMemNoMem
            try tokens.skip(6)
        case 0x29, 0x2E, 0x2F:                               // PtgMemFunc, PtgMemAreaN, PtgMemNoMemN
            // The tokens of the expression they stand for follow and give its text.
            try tokens.skip(2)
        case 0x2A:                                           // PtgRefErr
            try tokens.skip(biff8 ? 4 : 3)
            pushOperand("#REF!")
        case 0x2B:                                           // PtgAreaErr
            try tokens.skip(biff8 ? 8 : 6)
            pushOperand("#REF!")
        case 0x39:                                           // PtgNameX
            pushOperand(try externalName())
        case 0x3A:                                           // PtgRef3d
            let sheets = try sheetPrefix()
            pushOperand(sheets + cellText(try location(relative: false)))
        case 0x3B:                                           // PtgArea3d
            let sheets = try sheetPrefix()
            pushOperand(sheets + areaText(try area(relative: false)))
        case 0x3C:                                           // PtgRefErr3d
            let sheets = try sheetPrefix()
            try tokens.skip(biff8 ? 4 : 3)
            pushOperand(sheets + "#REF!")
        case 0x3D:                                           // PtgAreaErr3d
            let sheets = try sheetPrefix()
            try tokens.skip(biff8 ? 8 : 6)
            pushOperand(sheets + "#REF!")
        default:
            throw Unsupported()
        }
    }

    // MARK: - Functions and names

    private mutating func call(_ name: String, argumentCount: Int) throws {
        guard stack.count >= argumentCount else { throw Unsupported() }
        let arguments = stack.suffix(argumentCount).joined(separator: ",")
        stack.removeLast(argumentCount)
        push([Self.take(&leading), name, "(", arguments, Self.take(&beforeClosing), ")"].joined())
    }

    /// Tab 0x00FF calls the function named by its first operand: an add-in function (PtgNameX), or
    /// a defined name such as `_xlfn.IFERROR` (PtgName).
    private mutating func callUserDefined(argumentCount: Int) throws {
        guard argumentCount >= 1, stack.count >= argumentCount else { throw Unsupported() }
        var name = stack[stack.count - argumentCount]
        let prefix = "_xlfn."
        if name.hasPrefix(prefix), Self.functionsNamedInXLSX.contains(String(name.dropFirst(prefix.count))) {
            name.removeFirst(prefix.count)
        }
        let arguments = stack.suffix(argumentCount - 1).joined(separator: ",")
        stack.removeLast(argumentCount)
        push([Self.take(&leading), name, "(", arguments, Self.take(&beforeClosing), ")"].joined())
    }

    /// NAME `index` (one-based); a name local to another sheet is written with that sheet.
    private func definedName(_ index: Int) throws -> String {
        let names = formula.links.definedNames
        guard index >= 1, index <= names.count, let defined = names[index - 1] else { throw Unsupported() }
        guard let sheet = defined.sheet, sheet != formula.sheet else { return defined.name }
        guard sheet < formula.links.sheetNames.count else { throw Unsupported() }
        return FormulaText.quotedSheetName(formula.links.sheetNames[sheet]) + "!" + defined.name
    }

    /// PtgNameX in BIFF8 (MS-XLS 2.5.198.41): an EXTERNSHEET entry, then a one-based name index into
    /// the names of its book: this workbook's NAMEs or an add-in's EXTERNNAMEs.
    private mutating func externalName() throws -> String {
        guard formula.biff8 else { throw Unsupported() }
        let book = try supportingBook(Int(try tokens.uint16())).book
        let index = Int(try tokens.uint16())
        try tokens.skip(2)
        switch book {
        case .own:
            return try definedName(index)
        case .addIn(let names):
            guard index >= 1, index <= names.count, let name = names[index - 1] else { throw Unsupported() }
            return name
        case .external:
            throw Unsupported()
        }
    }

    // MARK: - References

    /// A cell of a reference: its coordinates and whether each is relative (written without `$`).
    struct Location {
        var row: Int
        var column: Int
        var rowRelative: Bool
        var columnRelative: Bool
    }

    /// The last row a reference can name: the whole column when an area spans it.
    private var lastRow: Int { formula.biff8 ? 0xFFFF : 0x3FFF }
    private static let lastColumn = 0xFF

    /// RgceLoc / RgceLocRel (MS-XLS 2.5.198.109, .111). BIFF8: row, then the column with the
    /// relative flags in bits 14-15; BIFF5: the row with the flags, then a one-byte column.
    private mutating func location(relative: Bool) throws -> Location {
        if formula.biff8 {
            let row = Int(try tokens.uint16())
            let column = try tokens.uint16()
            return adjusted(Location(row: row, column: Int(column & 0x3FFF), rowRelative: column & 0x8000 != 0,
                                     columnRelative: column & 0x4000 != 0), relative: relative)
        }
        let row = try tokens.uint16()
        let column = Int(try tokens.uint8())
        return adjusted(Location(row: Int(row & 0x3FFF), column: column, rowRelative: row & 0x8000 != 0,
                                 columnRelative: row & 0x4000 != 0), relative: relative)
    }

    /// RgceArea / RgceAreaRel: BIFF8 two rows then two columns with flags; BIFF5 two rows with flags
    /// then two one-byte columns.
    private mutating func area(relative: Bool) throws -> (Location, Location) {
        if formula.biff8 {
            let firstRow = Int(try tokens.uint16()), lastRow = Int(try tokens.uint16())
            let firstColumn = try tokens.uint16(), lastColumn = try tokens.uint16()
            return (adjusted(Location(row: firstRow, column: Int(firstColumn & 0x3FFF), rowRelative: firstColumn & 0x8000 != 0,
                                      columnRelative: firstColumn & 0x4000 != 0), relative: relative),
                    adjusted(Location(row: lastRow, column: Int(lastColumn & 0x3FFF), rowRelative: lastColumn & 0x8000 != 0,
                                      columnRelative: lastColumn & 0x4000 != 0), relative: relative))
        }
        let firstRow = try tokens.uint16(), lastRow = try tokens.uint16()
        let firstColumn = Int(try tokens.uint8()), lastColumn = Int(try tokens.uint8())
        return (adjusted(Location(row: Int(firstRow & 0x3FFF), column: firstColumn, rowRelative: firstRow & 0x8000 != 0,
                                  columnRelative: firstRow & 0x4000 != 0), relative: relative),
                adjusted(Location(row: Int(lastRow & 0x3FFF), column: lastColumn, rowRelative: lastRow & 0x8000 != 0,
                                  columnRelative: lastRow & 0x4000 != 0), relative: relative))
    }

    /// In a shared formula a relative coordinate is an offset from the cell, wrapping around the
    /// sheet's edge (MS-XLS 2.5.198.111: by 0x10000 rows and 0x100 columns in BIFF8).
    private func adjusted(_ location: Location, relative: Bool) -> Location {
        guard relative else { return location }
        var result = location
        if location.rowRelative { result.row = (cell.row + location.row) & lastRow }
        if location.columnRelative { result.column = (cell.column + location.column) & Self.lastColumn }
        return result
    }

    private func cellText(_ location: Location) -> String {
        columnText(location) + rowText(location)
    }

    private func columnText(_ location: Location) -> String {
        (location.columnRelative ? "" : "$") + CellReference.columnName(location.column)
    }

    private func rowText(_ location: Location) -> String {
        (location.rowRelative ? "" : "$") + String(location.row + 1)
    }

    /// `A1:B2`; whole rows as `1:3` and whole columns as `A:C`, as Excel shows them.
    private func areaText(_ area: (Location, Location)) -> String {
        let (first, last) = area
        if first.column == 0, last.column == Self.lastColumn {
            return rowText(first) + ":" + rowText(last)
        }
        if first.row == 0, last.row == lastRow {
            return columnText(first) + ":" + columnText(last)
        }
        return cellText(first) + ":" + cellText(last)
    }

    /// `Sheet!`, `'社保 (一)'!` or `'First:Last'!` for a 3D reference: in BIFF8 through an EXTERNSHEET
    /// entry of this workbook's book; in BIFF5 (a negative index means this workbook) the sheet
    /// indices are in the token.
    private mutating func sheetPrefix() throws -> String {
        let first: Int, last: Int
        if formula.biff8 {
            let entry = try supportingBook(Int(try tokens.uint16()))
            guard case .own = entry.book else { throw Unsupported() }
            (first, last) = (entry.sheets.firstSheet, entry.sheets.lastSheet)
        } else {
            let book = Int16(bitPattern: try tokens.uint16())
            try tokens.skip(8)
            first = Int(Int16(bitPattern: try tokens.uint16()))
            last = Int(Int16(bitPattern: try tokens.uint16()))
            guard book < 0 else { throw Unsupported() }
        }
        let names = formula.links.sheetNames
        // -1 is a deleted sheet, -2 the workbook itself: neither is a sheet a reference can show.
        guard names.indices.contains(first), names.indices.contains(last) else { throw Unsupported() }
        if first == last { return FormulaText.quotedSheetName(names[first]) + "!" }
        let range = names[first] + ":" + names[last]
        let quoted = FormulaText.needsQuotes(names[first]) || FormulaText.needsQuotes(names[last])
        return (quoted ? "'" + range.replacingOccurrences(of: "'", with: "''") + "'" : range) + "!"
    }

    private func supportingBook(_ index: Int) throws -> (book: FormulaLinks.SupportingBook, sheets: FormulaLinks.ExternSheet) {
        let links = formula.links
        guard index < links.externSheets.count else { throw Unsupported() }
        let entry = links.externSheets[index]
        guard entry.book < links.books.count else { throw Unsupported() }
        return (links.books[entry.book], entry)
    }

    // MARK: - Constants

    /// PtgStr: ShortXLUnicodeString in BIFF8, a byte string in the code page in BIFF5.
    private mutating func stringConstant() throws -> String {
        let count = Int(try tokens.uint8())
        return formula.biff8 ? try tokens.unicodeString(count: count, flags: try tokens.uint8())
                             : formula.text.decode(try tokens.byteArray(count))
    }

    /// PtgExtraArray (MS-XLS 2.5.198.59): columns − 1, rows − 1, then the values row by row.
    private mutating func arrayConstant() throws -> String {
        let columns = Int(try extra.uint8()) + 1
        let rows = Int(try extra.uint16()) + 1
        // Every value takes at least two bytes: a count beyond that is a broken record.
        guard rows * columns <= extra.remaining / 2 else { throw Unsupported() }
        var rowTexts: [String] = []
        for _ in 0..<rows {
            var values: [String] = []
            for _ in 0..<columns { values.append(try arrayValue()) }
            rowTexts.append(values.joined(separator: ","))
        }
        return "{" + rowTexts.joined(separator: ";") + "}"
    }

    /// SerAr (MS-XLS 2.5.198.64): a type byte, then a number, a string, or a bool or error code
    /// padded to 8 bytes. An empty value (SerNil) has no text in an array constant.
    private mutating func arrayValue() throws -> String {
        switch try extra.uint8() {
        case 0x01:
            return FormulaText.numberText(try Self.double(&extra))
        case 0x02:
            return Self.quoted(formula.biff8 ? try extra.string16(formula.text) : try extra.string8(formula.text))
        case 0x04:
            let value = try extra.uint8()
            try extra.skip(7)
            return value == 0 ? "FALSE" : "TRUE"
        case 0x10:
            let code = try extra.uint8()
            try extra.skip(7)
            return try errorText(code)
        default:
            throw Unsupported()
        }
    }

    private func errorText(_ code: UInt8) throws -> String {
        guard let text = WorksheetRecords.knownErrorText(code) else { throw Unsupported() }
        return text
    }

    private static func double(_ cursor: inout RecordCursor) throws -> Double {
        let low = UInt64(try cursor.uint32())
        let high = UInt64(try cursor.uint32())
        let value = Double(bitPattern: high << 32 | low)
        guard value.isFinite else { throw Unsupported() }
        return value
    }

    /// `"say ""hi"""`: a string constant with its quotes doubled.
    private static func quoted(_ string: String) -> String {
        "\"" + string.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - The operand stack

    private mutating func pushOperand(_ text: String) {
        push(Self.take(&leading) + text)
    }

    private mutating func push(_ text: String) {
        stack.append(text)
    }

    private mutating func pop() throws -> String {
        guard let top = stack.popLast() else { throw Unsupported() }
        return top
    }

    /// The pending spaces, emptied.
    private static func take(_ spaces: inout String) -> String {
        defer { spaces = "" }
        return spaces
    }
}
