/// The formula text of a cell in a shared formula group: the group's anchor formula with every
/// relative reference moved by the cell's offset from the anchor, as Excel shows it in the formula
/// bar (ECMA-376 Part 1, 18.3.1.40 `f`: a cell that names its group by `si` takes the master
/// formula "based on the cell's relative location to the master formula cell").
///
/// The text is read by a tokenizer only as smart as the shift needs (the A1 formula grammar of
/// ECMA-376 Part 1, 18.17): string literals, quoted sheet names and bracketed parts (structured
/// references `Table1[Col]`, external books `[1]`) are copied untouched; a name followed by `(` is a
/// function (`LOG10(`), by `!` a sheet, by `[` a table; what remains is a reference when it has the
/// shape of one: a cell `$B$7`, an area `B7:C9`, whole columns `A:C`, whole rows `1:3`. A run of
/// name characters that is not a reference (`TOTAL`, `TRUE`, `1.5E`) is copied whole, so that its
/// letters are never read as one. A reference moved off the sheet becomes `#REF!` (the whole area
/// when one corner leaves), after its sheet prefix if it has one: `Data!#REF!`.
enum FormulaShift {
    /// Appends `formula` (without `=`) to `out` as it reads `rows` rows down and `columns` columns
    /// right of where it stands.
    static func append(_ formula: UnsafeBufferPointer<UInt8>, rows: Int, columns: Int, to out: inout ByteScratch) {
        Shifter(text: formula, rows: rows, columns: columns).run(into: &out)
    }
}

private struct Shifter {
    let text: UnsafeBufferPointer<UInt8>
    let rows: Int
    let columns: Int

    /// One end of a reference: a coordinate and whether `$` fixes it.
    private struct Coordinate {
        var value: Int
        var absolute: Bool
    }

    func run(into out: inout ByteScratch) {
        let n = text.count
        var i = 0
        while i < n {
            let byte = text[i]
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                // A string literal or a quoted sheet name, to its closing quote (doubled quotes stay inside).
                let end = quotedEnd(from: i)
                copy(i, end, to: &out)
                i = end
            case UInt8(ascii: "["):
                let end = bracketEnd(from: i)
                copy(i, end, to: &out)
                i = end
            case UInt8(ascii: "#"):
                // An error literal (`#REF!`, `#N/A`, `#DIV/0!`) or the spill operator after a reference.
                var end = i + 1
                while end < n, Self.isLetterOrDigit(text[end]) || text[end] == UInt8(ascii: "/") || text[end] == UInt8(ascii: "_") {
                    end += 1
                }
                if end < n, text[end] == UInt8(ascii: "!") || text[end] == UInt8(ascii: "?") { end += 1 }
                copy(i, end, to: &out)
                i = end
            default:
                guard Self.isNameCharacter(byte) else {
                    out.append(byte)
                    i += 1
                    continue
                }
                i = token(from: i, into: &out)
            }
        }
    }

    /// Reads the run of name characters at `start` and what follows it; returns where it stopped.
    private func token(from start: Int, into out: inout ByteScratch) -> Int {
        let end = runEnd(from: start)
        let next = end < text.count ? text[end] : 0
        // A sheet (`Data!`), a function (`LOG10(`) or a table (`Table1[`): never a reference.
        if next == UInt8(ascii: "!") || next == UInt8(ascii: "(") || next == UInt8(ascii: "[") {
            copy(start, end, to: &out)
            return end
        }
        let second = next == UInt8(ascii: ":") ? secondOperand(after: end) : nil
        if let first = cell(start, end) {
            if let (secondStart, secondEnd) = second, let last = cell(secondStart, secondEnd) {
                appendArea(first, last, to: &out)
                return secondEnd
            }
            appendCell(first, to: &out)
            return end
        }
        guard let (secondStart, secondEnd) = second else {
            copy(start, end, to: &out)
            return end
        }
        if let first = column(start, end), let last = column(secondStart, secondEnd) {
            appendLine(first, last, limit: CellReference.maxColumns, offset: columns, to: &out, write: Self.appendColumn)
            return secondEnd
        }
        if let first = row(start, end), let last = row(secondStart, secondEnd) {
            appendLine(first, last, limit: CellReference.maxRows, offset: rows, to: &out, write: Self.appendRow)
            return secondEnd
        }
        copy(start, end, to: &out)
        return end
    }

    /// The run after `:` at `colon`, when it can end a range: a run followed by `!`, `(` or `[` starts
    /// something else (`Jan:Mar!A1` names two sheets).
    private func secondOperand(after colon: Int) -> (Int, Int)? {
        let start = colon + 1
        guard start < text.count, Self.isNameCharacter(text[start]) else { return nil }
        let end = runEnd(from: start)
        if end < text.count, text[end] == UInt8(ascii: "!") || text[end] == UInt8(ascii: "(") || text[end] == UInt8(ascii: "[") {
            return nil
        }
        return (start, end)
    }

    // MARK: - Writing moved references

    private func moved(_ coordinate: Coordinate, by offset: Int, limit: Int) -> Coordinate? {
        guard !coordinate.absolute else { return coordinate }
        let value = coordinate.value + offset
        return value >= 0 && value < limit ? Coordinate(value: value, absolute: false) : nil
    }

    private func appendCell(_ cell: (column: Coordinate, row: Coordinate), to out: inout ByteScratch) {
        guard let column = moved(cell.column, by: columns, limit: CellReference.maxColumns),
              let row = moved(cell.row, by: rows, limit: CellReference.maxRows) else {
            return Self.appendRefError(to: &out)
        }
        Self.appendColumn(column, to: &out)
        Self.appendRow(row, to: &out)
    }

    private func appendArea(_ first: (column: Coordinate, row: Coordinate), _ last: (column: Coordinate, row: Coordinate),
                            to out: inout ByteScratch) {
        guard let firstColumn = moved(first.column, by: columns, limit: CellReference.maxColumns),
              let firstRow = moved(first.row, by: rows, limit: CellReference.maxRows),
              let lastColumn = moved(last.column, by: columns, limit: CellReference.maxColumns),
              let lastRow = moved(last.row, by: rows, limit: CellReference.maxRows) else {
            return Self.appendRefError(to: &out)
        }
        Self.appendColumn(firstColumn, to: &out)
        Self.appendRow(firstRow, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.appendColumn(lastColumn, to: &out)
        Self.appendRow(lastRow, to: &out)
    }

    /// Whole columns `A:C` or whole rows `1:3`.
    private func appendLine(_ first: Coordinate, _ last: Coordinate, limit: Int, offset: Int, to out: inout ByteScratch,
                            write: (Coordinate, inout ByteScratch) -> Void) {
        guard let first = moved(first, by: offset, limit: limit), let last = moved(last, by: offset, limit: limit) else {
            return Self.appendRefError(to: &out)
        }
        write(first, &out)
        out.append(UInt8(ascii: ":"))
        write(last, &out)
    }

    private static func appendRefError(to out: inout ByteScratch) {
        let text: StaticString = "#REF!"
        out.append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Letters A…XFD of a zero-based column below 16,384, written without a String.
    private static func appendColumn(_ column: Coordinate, to out: inout ByteScratch) {
        if column.absolute { out.append(UInt8(ascii: "$")) }
        let n = column.value
        if n >= 702 { out.append(UInt8(ascii: "A") + UInt8((n - 702) / 676)) }
        if n >= 26 { out.append(UInt8(ascii: "A") + UInt8((n >= 702 ? (n - 702) % 676 : n - 26) / 26)) }
        out.append(UInt8(ascii: "A") + UInt8(n % 26))
    }

    /// The one-based row number of a zero-based row below 1,048,576 (at most seven digits).
    private static func appendRow(_ row: Coordinate, to out: inout ByteScratch) {
        if row.absolute { out.append(UInt8(ascii: "$")) }
        var number = row.value + 1
        var digits = 1
        var power = 10
        while power <= number { digits += 1; power *= 10 }
        let start = out.reserve(digits)
        for k in stride(from: digits - 1, through: 0, by: -1) {
            start[k] = UInt8(ascii: "0") + UInt8(number % 10)
            number /= 10
        }
        out.count += digits
    }

    private func copy(_ start: Int, _ end: Int, to out: inout ByteScratch) {
        out.append(UnsafeBufferPointer(rebasing: text[start..<end]))
    }

    // MARK: - Reading references

    /// `$B$7`, `B$7`, `b7`: one to three letters up to XFD, then a row from 1 to 1,048,576, each
    /// optionally after `$`; the whole of `start..<end`.
    private func cell(_ start: Int, _ end: Int) -> (column: Coordinate, row: Coordinate)? {
        var i = start
        guard let column = letters(&i, end), let row = digits(&i, end), i == end else { return nil }
        return (column, row)
    }

    private func column(_ start: Int, _ end: Int) -> Coordinate? {
        var i = start
        guard let column = letters(&i, end), i == end else { return nil }
        return column
    }

    private func row(_ start: Int, _ end: Int) -> Coordinate? {
        var i = start
        guard let row = digits(&i, end), i == end else { return nil }
        return row
    }

    /// A zero-based column from `$`? and one to three letters, at most XFD.
    private func letters(_ i: inout Int, _ end: Int) -> Coordinate? {
        let absolute = i < end && text[i] == UInt8(ascii: "$")
        if absolute { i += 1 }
        var value = 0, count = 0
        while i < end, count < 3 {
            let letter = (text[i] | 0x20) &- UInt8(ascii: "a")
            guard letter < 26 else { break }
            value = value * 26 + Int(letter) + 1
            count += 1
            i += 1
        }
        guard count > 0, value <= CellReference.maxColumns else { return nil }
        return Coordinate(value: value - 1, absolute: absolute)
    }

    /// A zero-based row from `$`? and a number from 1 to 1,048,576 without leading zeros.
    private func digits(_ i: inout Int, _ end: Int) -> Coordinate? {
        let absolute = i < end && text[i] == UInt8(ascii: "$")
        if absolute { i += 1 }
        guard i < end, text[i] != UInt8(ascii: "0") else { return nil }
        var value = 0, count = 0
        while i < end, count < 8 {
            let digit = text[i] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value * 10 + Int(digit)
            count += 1
            i += 1
        }
        guard count > 0, value <= CellReference.maxRows else { return nil }
        return Coordinate(value: value - 1, absolute: absolute)
    }

    // MARK: - Runs

    private func runEnd(from start: Int) -> Int {
        var end = start
        while end < text.count, Self.isNameCharacter(text[end]) { end += 1 }
        return end
    }

    /// After the quote at `start`: the index past its closing quote, or the end of the text.
    private func quotedEnd(from start: Int) -> Int {
        let quote = text[start]
        var i = start + 1
        while i < text.count {
            if text[i] == quote {
                if i + 1 < text.count, text[i + 1] == quote { i += 2; continue }
                return i + 1
            }
            i += 1
        }
        return text.count
    }

    /// After the `[` at `start`: the index past its matching `]`, or the end of the text. Inside,
    /// `'` escapes the next character, as in a structured reference's column name (`'[`, `']`, `'#`).
    private func bracketEnd(from start: Int) -> Int {
        var depth = 0
        var i = start
        while i < text.count {
            switch text[i] {
            case UInt8(ascii: "'"): i += 1
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return i + 1 }
            default: break
            }
            i += 1
        }
        return text.count
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10
    }

    /// Letters, digits and what names, numbers and references are made of (`_` `.` `\` `?` `$`), and
    /// every byte of a non-ASCII character (CJK names and sheets).
    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || byte >= 0x80 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "$")
    }
}
