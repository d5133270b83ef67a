/// `annex dump` (SPEC.md, "dump JSON"): every sheet's non-empty cells with their types, and its
/// merged ranges, with no template involved.
public enum GridDump {
    /// Streams the JSON document. Cells are written as each row arrives, so the `merged` list, which
    /// OOXML stores after the cells, follows them in the object (JSON member order carries no meaning).
    public static func writeJSON(_ source: SheetSource, displayName: String, sheets: [Int]? = nil,
                                 to output: ByteOutput) throws {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        out += Array("{\"file\": ".utf8)
        JSONString.append(displayName, to: &out)
        out += Array(", \"sheets\": [".utf8)
        for (position, index) in (sheets ?? Array(source.sheetNames.indices)).enumerated() {
            if position > 0 { out += Array(", ".utf8) }
            out += Array("{\"name\": ".utf8)
            JSONString.append(source.sheetNames[index], to: &out)
            out += Array(", \"cells\": [".utf8)
            var first = true
            let merged = try source.readSheet(at: index) { row in
                for cell in row {
                    out += first ? Bytes.firstCell : Bytes.nextCell
                    first = false
                    appendReference(cell.reference, to: &out)
                    out += Bytes.type
                    out += Array(cell.value.typeName.utf8)
                    out += Bytes.value
                    JSONString.append(cell.value.text, to: &out)
                    out.append(UInt8(ascii: "}"))
                }
                if out.count >= 1 << 16 {
                    try output.write(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            out += Array("], \"merged\": [".utf8)
            out += Array(merged.map { "\"\($0)\"" }.joined(separator: ", ").utf8)
            out += Array("]}".utf8)
        }
        out += Array("]}\n".utf8)
        try output.write(out)
    }

    /// The fixed pieces of a cell's JSON, as bytes once (a dump writes millions of cells).
    private enum Bytes {
        static let firstCell = Array("\n  {\"ref\": \"".utf8)
        static let nextCell = Array(",\n  {\"ref\": \"".utf8)
        static let type = Array("\", \"type\": \"".utf8)
        static let value = Array("\", \"value\": ".utf8)
    }

    /// `B7` without building a String.
    private static func appendReference(_ reference: CellReference, to out: inout [UInt8]) {
        var letters: [UInt8] = []
        var n = reference.column + 1
        while n > 0 {
            letters.append(UInt8(ascii: "A") + UInt8((n - 1) % 26))
            n = (n - 1) / 26
        }
        out += letters.reversed()
        var digits: [UInt8] = []
        var row = reference.row + 1
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(row % 10))
            row /= 10
        } while row > 0
        out += digits.reversed()
    }
}
