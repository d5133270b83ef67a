/// `annex dump` (SPEC.md, "dump JSON"): every sheet's non-empty cells with their types, and its
/// merged ranges, with no template involved.
public enum GridDump {
    /// Streams the JSON document. Cells are written as each row arrives, so the `merged` list, which
    /// OOXML stores after the cells, follows them in the object (JSON member order carries no meaning).
    public static func writeJSON(_ source: SheetSource, displayName: String, sheets: [Int]? = nil,
                                 to output: ByteOutput) throws {
        let json = JSONWriter(output)
        json.append("{\"file\": ")
        JSONString.append(displayName, to: &json.out)
        json.append(", \"sheets\": [")
        for (position, index) in (sheets ?? Array(source.sheetNames.indices)).enumerated() {
            if position > 0 { json.append(", ") }
            json.append("{\"name\": ")
            JSONString.append(source.sheetNames[index], to: &json.out)
            json.append(", \"cells\": [")
            json.first = true
            let merged = try source.readRows(at: index) { row in
                for position in 0..<row.count { json.append(row[position]) }
                try json.flushIfFull()
            }
            json.append("], \"merged\": [")
            json.appendText(merged.map { "\"\($0)\"" }.joined(separator: ", "))
            json.append("]}")
        }
        json.append("]}\n")
        try json.flush()
    }

    /// The document being written, in a class so that the row callback appends to it without a
    /// captured variable's exclusivity check per cell.
    private final class JSONWriter {
        let output: ByteOutput
        @exclusivity(unchecked) var out = ByteScratch(capacity: 1 << 17)
        @exclusivity(unchecked) var first = true

        init(_ output: ByteOutput) {
            self.output = output
        }

        deinit { out.deallocate() }

        func appendText(_ text: String) { out.append(text) }

        func append(_ text: StaticString) {
            out.append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        /// `{"ref": "B7", "type": "number", "value": "810.06"}` on a line of its own, with
        /// `"formula": "SUM(B7:B19)"` after the value when the cell has one.
        @inline(__always)
        func append(_ cell: CellView) {
            append(first ? "\n  {\"ref\": \"" : ",\n  {\"ref\": \"")
            first = false
            appendReference(cell.reference)
            out.append(Bytes.typeAndValue[Int(cell.kind.rawValue)])
            JSONString.append(utf8: cell.text, to: &out)
            if !cell.formula.isEmpty {
                append(", \"formula\": ")
                JSONString.append(utf8: cell.formula, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }

        func flushIfFull() throws {
            if out.count >= 1 << 16 { try flush() }
        }

        func flush() throws {
            try output.write(UnsafeRawBufferPointer(start: out.base, count: out.count))
            out.count = 0
        }

        /// The current row's number as digits (every cell of a row shares it).
        @exclusivity(unchecked) private var rowDigits: (row: Int, bytes: UInt64, count: Int) = (-1, 0, 0)

        /// `B7` without building a String: the column letters, then the row's digits.
        @inline(__always)
        private func appendReference(_ reference: CellReference) {
            if reference.row != rowDigits.row { rowDigits = Self.digits(ofRow: reference.row) }
            var letters = 1
            var span = 26
            while reference.column >= span { span = span * 26 + 26; letters += 1 }   // A-Z, AA-ZZ, …
            let room = out.reserve(letters + 24)
            var column = reference.column + 1
            for k in stride(from: letters - 1, through: 0, by: -1) {
                room[k] = UInt8(ascii: "A") &+ UInt8(truncatingIfNeeded: (column - 1) % 26)
                column = (column - 1) / 26
            }
            let digits = room + letters
            UnsafeMutableRawPointer(digits).storeBytes(of: rowDigits.bytes, as: UInt64.self)
            if rowDigits.count > 8 {   // past 99,999,999: never in a sheet, but not wrong either
                let text = Array(String(reference.row + 1).utf8)
                for k in 0..<text.count { digits[k] = text[k] }
            }
            out.count += letters + rowDigits.count
        }

        /// The row's number (1-based) as up to eight ASCII digits packed little-endian, and their count.
        private static func digits(ofRow row: Int) -> (row: Int, bytes: UInt64, count: Int) {
            let text = Array(String(row + 1).utf8)
            var packed: UInt64 = 0
            for (k, digit) in text.prefix(8).enumerated() { packed |= UInt64(digit) << UInt64(8 * k) }
            return (row, packed, text.count)
        }
    }

    /// `", "type": "number", "value": ` for each kind, indexed by `CellKind.rawValue`, as bytes once
    /// (a dump writes millions of cells).
    private enum Bytes {
        nonisolated(unsafe) static let typeAndValue: [UnsafeBufferPointer<UInt8>] = CellKind.allCases.map { kind in
            let bytes = Array("\", \"type\": \"\(kind.typeName)\", \"value\": ".utf8)
            let stored = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
            _ = stored.initialize(from: bytes)
            return UnsafeBufferPointer(stored)   // kept for the life of the process
        }
    }
}
