/// SpreadsheetML writes formulas in R1C1 notation (`=SUM(R[-3]C:R[-1]C)`); cells carry them in A1
/// notation without the `=` (`SUM(B4:B6)` in B7), as .xlsx does, so that a converted workbook keeps
/// working formulas.
///
/// Cell references are rewritten (`R2C3` → `$C$2`, `R[-1]C[2]` relative to the cell, `RC` the cell
/// itself); text in double quotes and quoted sheet names are copied as they are. A formula with a
/// whole-row or whole-column reference (`R2`, `C[1]`) or one outside the sheet is not rewritten:
/// nil, and the cell keeps its value without a formula (the value is what annex reads).
enum R1C1Formula {
    static func a1(_ formula: String, at cell: CellReference) -> String? {
        var text = Array(formula.utf8)[...]
        if text.first == UInt8(ascii: "=") { text = text.dropFirst() }
        var out: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                // A string or a quoted sheet name, to its closing quote (a doubled quote stays inside).
                var end = index + 1
                while end < text.endIndex {
                    if text[end] == byte {
                        if end + 1 < text.endIndex, text[end + 1] == byte { end += 2; continue }
                        break
                    }
                    end += 1
                }
                let stop = min(end + 1, text.endIndex)
                out += text[index..<stop]
                index = stop
            } else if isLetter(byte), index == text.startIndex || !isNameCharacter(text[index - 1]) {
                switch reference(text, from: index, at: cell) {
                case .cell(let a1, let end):
                    out += a1
                    index = end
                case .unconvertible:
                    return nil
                case .notAReference:
                    // A function or a name: copied whole, so that its letters are not read as references.
                    let end = text[index...].firstIndex { !isNameCharacter($0) } ?? text.endIndex
                    out += text[index..<end]
                    index = end
                }
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private enum Token {
        case cell([UInt8], end: Int)
        /// A whole row or column, or a cell outside the sheet.
        case unconvertible
        case notAReference
    }

    /// Reads `R…C…`, `R…` or `C…` at `start`; a reference must not run on into a name or a call.
    private static func reference(_ text: ArraySlice<UInt8>, from start: Int, at cell: CellReference) -> Token {
        var index = start
        var row: (Int, absolute: Bool)?
        var column: (Int, absolute: Bool)?
        if text[index] == UInt8(ascii: "R") {
            index += 1
            guard let parsed = coordinate(text, &index, base: cell.row) else { return .notAReference }
            row = parsed
        }
        if index < text.endIndex, text[index] == UInt8(ascii: "C") {
            index += 1
            guard let parsed = coordinate(text, &index, base: cell.column) else { return .notAReference }
            column = parsed
        }
        if index < text.endIndex, isNameCharacter(text[index]) || text[index] == UInt8(ascii: "(") { return .notAReference }
        guard let (rowIndex, rowAbsolute) = row, let (columnIndex, columnAbsolute) = column else {
            return row == nil && column == nil ? .notAReference : .unconvertible
        }
        guard rowIndex >= 0, rowIndex < CellReference.maxRows, columnIndex >= 0, columnIndex < CellReference.maxColumns else {
            return .unconvertible
        }
        let a1 = (columnAbsolute ? "$" : "") + CellReference.columnName(columnIndex) + (rowAbsolute ? "$" : "") + String(rowIndex + 1)
        return .cell(Array(a1.utf8), end: index)
    }

    /// After `R` or `C`: `5` (absolute, 1-based), `[-2]` (relative) or nothing (the cell's own).
    private static func coordinate(_ text: ArraySlice<UInt8>, _ index: inout Int, base: Int) -> (Int, absolute: Bool)? {
        if index < text.endIndex, text[index] == UInt8(ascii: "[") {
            guard let close = text[index...].prefix(12).firstIndex(of: UInt8(ascii: "]")),
                  let offset = Int(String(decoding: text[(index + 1)..<close], as: UTF8.self)) else { return nil }
            index = close + 1
            return (base + offset, false)
        }
        var value = 0
        var digits = 0
        while index < text.endIndex, isDigit(text[index]) {
            guard digits < 8 else { return nil }
            value = value * 10 + Int(text[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return digits == 0 ? (base, false) : (value - 1, true)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte >= 0x80
    }
}
