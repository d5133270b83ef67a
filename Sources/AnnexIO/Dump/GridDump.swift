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
            json.append(merged.map { "\"\($0)\"" }.joined(separator: ", "))
            json.append("]}")
        }
        json.append("]}\n")
        try output.write(json.out)
    }

    /// The document being written, in a class so that the row callback appends to it without a
    /// captured variable's exclusivity check per cell.
    private final class JSONWriter {
        let output: ByteOutput
        @exclusivity(unchecked) var out: [UInt8] = []
        @exclusivity(unchecked) var first = true

        init(_ output: ByteOutput) {
            self.output = output
            out.reserveCapacity(1 << 17)
        }

        func append(_ text: String) { out += Array(text.utf8) }

        /// `{"ref": "B7", "type": "number", "value": "810.06"}` on a line of its own, with
        /// `"formula": "SUM(B7:B19)"` after the value when the cell has one.
        @inline(__always)
        func append(_ cell: CellView) {
            out += first ? Bytes.firstCell : Bytes.nextCell
            first = false
            appendReference(cell.reference)
            out += Bytes.type
            out += Bytes.typeNames[Int(cell.kind.rawValue)]
            out += Bytes.value
            JSONString.append(utf8: cell.text, to: &out)
            if !cell.formula.isEmpty {
                out += Bytes.formula
                JSONString.append(utf8: cell.formula, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }

        func flushIfFull() throws {
            if out.count >= 1 << 16 {
                try output.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }

        /// `B7` without building a String.
        private func appendReference(_ reference: CellReference) {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { room in
                // Written backwards from the end: the row digits, then the column letters.
                var start = 16
                var row = reference.row + 1
                repeat {
                    start -= 1
                    room[start] = UInt8(ascii: "0") + UInt8(row % 10)
                    row /= 10
                } while row > 0
                var column = reference.column + 1
                while column > 0 {
                    start -= 1
                    room[start] = UInt8(ascii: "A") + UInt8((column - 1) % 26)
                    column = (column - 1) / 26
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: room[start..<16]))
            }
        }
    }

    /// The fixed pieces of a cell's JSON, as bytes once (a dump writes millions of cells).
    private enum Bytes {
        static let firstCell = Array("\n  {\"ref\": \"".utf8)
        static let nextCell = Array(",\n  {\"ref\": \"".utf8)
        static let type = Array("\", \"type\": \"".utf8)
        static let formula = Array(", \"formula\": ".utf8)
        static let value = Array("\", \"value\": ".utf8)
        /// Indexed by `CellKind.rawValue`.
        static let typeNames = CellKind.allCases.map { Array($0.typeName.utf8) }
    }
}
