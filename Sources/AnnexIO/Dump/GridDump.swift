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
            json.append(merged.map { "\"\($0)\"" }.joined(separator: ", ") as String)
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

        func append(_ text: String) { out.append(text) }

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
            append("\", \"type\": \"")
            out.append(Bytes.typeNames[Int(cell.kind.rawValue)])
            append("\", \"value\": ")
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

        /// `B7` without building a String: the row digits written backwards from the end of a
        /// 16-byte room, then the column letters, then moved to the front.
        @inline(__always)
        private func appendReference(_ reference: CellReference) {
            let room = out.reserve(16)
            var start = 16
            var row = reference.row + 1
            repeat {
                start -= 1
                room[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: row % 10)
                row /= 10
            } while row > 0
            var column = reference.column + 1
            while column > 0 {
                start -= 1
                room[start] = UInt8(ascii: "A") &+ UInt8(truncatingIfNeeded: (column - 1) % 26)
                column = (column - 1) / 26
            }
            (room).update(from: room + start, count: 16 - start)
            out.count += 16 - start
        }
    }

    /// The type names, indexed by `CellKind.rawValue`, as bytes once (a dump writes millions of cells).
    private enum Bytes {
        nonisolated(unsafe) static let typeNames: [UnsafeBufferPointer<UInt8>] = CellKind.allCases.map { kind in
            let bytes = Array(kind.typeName.utf8)
            let stored = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
            _ = stored.initialize(from: bytes)
            return UnsafeBufferPointer(stored)   // kept for the life of the process
        }
    }
}
