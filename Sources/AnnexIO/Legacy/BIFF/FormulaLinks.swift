/// What the sheet and name references of formulas point to, read from the workbook globals: every
/// sheet's name (3D references count chart and macro sheets too), the defined names (NAME), and in
/// BIFF8 the supporting books (SUPBOOK with their EXTERNNAMEs) and the EXTERNSHEET entries that 3D
/// references and external names go through (MS-XLS 2.5.198.23 PtgRef3d, 2.4.106 ExternSheet).
///
/// A record here that is malformed leaves a gap, never an error: it only costs the formulas that
/// use it their text, while the cells keep their values.
struct FormulaLinks {
    /// BOUNDSHEET names in file order: a 3D reference's sheet index is a position here.
    var sheetNames: [String] = []
    /// NAME records in file order (PtgName's index is one-based into them); nil for a built-in name
    /// or a record that could not be read.
    var definedNames: [DefinedName?] = []
    var books: [SupportingBook] = []
    var externSheets: [ExternSheet] = []

    struct DefinedName {
        var name: String
        /// The sheet (BOUNDSHEET index) a local name belongs to; nil for a workbook-wide name.
        var sheet: Int?
    }

    enum SupportingBook {
        /// This workbook (MS-XLS 2.4.271: cch 0x0401).
        case own
        /// Add-in functions (cch 0x3A01), named by the EXTERNNAMEs that follow (nil: unreadable).
        case addIn(names: [String?])
        /// Another workbook, or DDE/OLE links: formulas referring to it are not given a text.
        case external
    }

    /// XTI (MS-XLS 2.5.172): a supporting book and a range of its sheets.
    struct ExternSheet {
        var book: Int
        var firstSheet: Int
        var lastSheet: Int
    }

    enum RecordType {
        static let name: UInt16 = 0x0018
        static let supBook: UInt16 = 0x01AE
        static let externName: UInt16 = 0x0023
        static let externSheet: UInt16 = 0x0017
    }

    /// Lbl (MS-XLS 2.4.150), the same layout in BIFF5: flags, shortcut key, name length, formula
    /// length, 2 bytes, the sheet (one-based; 0 for the workbook), 4 bytes of menu and help text
    /// lengths, then the name.
    mutating func readName(_ cursor: inout RecordCursor, _ text: TextDecoding) {
        do {
            let flags = try cursor.uint16()
            _ = try cursor.uint8()
            let count = Int(try cursor.uint8())
            try cursor.skip(4)
            let sheet = Int(try cursor.uint16())
            try cursor.skip(4)
            let name = try text.biff8 ? cursor.unicodeString(count: count, flags: try cursor.uint8())
                                      : text.decode(cursor.byteArray(count))
            // A built-in name (fBuiltin) is stored as a one-character code, not as its text.
            let builtIn = flags & 0x0020 != 0
            definedNames.append(builtIn ? nil : DefinedName(name: name, sheet: sheet > 0 ? sheet - 1 : nil))
        } catch {
            definedNames.append(nil)
        }
    }

    /// SupBook (MS-XLS 2.4.271): the sheet count, then a marker for this workbook or add-ins, or the
    /// length of another workbook's path.
    mutating func readSupportingBook(_ cursor: inout RecordCursor) {
        var marker: UInt16?
        do {
            try cursor.skip(2)
            marker = try cursor.uint16()
        } catch {
            marker = nil
        }
        switch marker {
        case 0x0401: books.append(.own)
        case 0x3A01: books.append(.addIn(names: []))
        default: books.append(.external)
        }
    }

    /// ExternName (MS-XLS 2.4.105): every kind keeps its name at offset 6 as a ShortXLUnicodeString.
    /// Only an add-in's names are kept (they name the add-in functions formulas call).
    mutating func readExternName(_ cursor: inout RecordCursor, _ text: TextDecoding) {
        guard case .addIn(var names) = books.last else { return }
        do {
            try cursor.skip(6)
            names.append(try cursor.string8(text))
        } catch {
            names.append(nil)
        }
        books[books.count - 1] = .addIn(names: names)
    }

    /// ExternSheet in BIFF8 (MS-XLS 2.4.106): a count, then that many XTIs; may go on in CONTINUE records.
    mutating func readExternSheets(_ record: ContinuedRecord) {
        var cursor = RecordCursor(record)
        var entries: [ExternSheet] = []
        do {
            let count = Int(try cursor.uint16())
            entries.reserveCapacity(min(count, cursor.remaining / 6))
            for _ in 0..<count {
                let book = Int(try cursor.uint16())
                let first = Int(Int16(bitPattern: try cursor.uint16()))
                let last = Int(Int16(bitPattern: try cursor.uint16()))
                entries.append(ExternSheet(book: book, firstSheet: first, lastSheet: last))
            }
        } catch {
            entries = []
        }
        externSheets = entries
    }
}
