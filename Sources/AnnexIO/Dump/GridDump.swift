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
                    out += Array((first ? "\n  " : ",\n  ").utf8)
                    first = false
                    out += Array("{\"ref\": \"\(cell.reference)\", \"type\": \"\(cell.value.typeName)\", \"value\": ".utf8)
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
}
