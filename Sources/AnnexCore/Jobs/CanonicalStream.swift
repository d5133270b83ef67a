/// Writes canonical observations as they come, for datasets too large to hold: CSV (UTF-8, no BOM,
/// RFC 4180, values exactly as read, as `CanonicalFiles` writes them) or JSON Lines, by the file name.
///
/// The columns cannot depend on what is read later, so they are fixed: the seven fields of
/// SPEC.md, then every extra field the readers produce (`unit_name`, `department`,
/// `department_name`, `instance`) and the provenance (`source`, `sheet`, `cell`), empty where they
/// do not apply. `CanonicalFiles.read` reads the result back (empty extras are dropped).
/// The file appears whole on `commit()` or not at all.
public final class CanonicalStream {
    public static let columns = Observation.fixedFields + Observation.knownExtraFields

    public let path: String
    public let format: CanonicalFiles.Format
    private var csv: CSVWriter?
    private var jsonLines: AtomicOutput?
    public private(set) var count = 0

    public init(path: String, refusingToOverwrite inputs: [String] = []) throws {
        self.path = path
        format = CanonicalFiles.Format(path: path)
        switch format {
        case .csv:
            let writer = try CSVWriter(path: path, options: CSVWriteOptions(bom: false, protectFormulas: false), refusingToOverwrite: inputs)
            try writer.writeRow(Self.columns)
            csv = writer
        case .jsonLines:
            jsonLines = try AtomicOutput(path: path, refusingToOverwrite: inputs)
        }
    }

    public func write(_ observations: [Observation]) throws {
        if let csv {
            for observation in observations { try csv.writeRow(Self.columns.map(observation.field)) }
        } else if let jsonLines {
            var text: [UInt8] = []
            for observation in observations {
                text.append(UInt8(ascii: "{"))
                for (index, column) in Self.columns.enumerated() {
                    if index > 0 { text += Array(", ".utf8) }
                    JSONString.append(column, to: &text)
                    text += Array(": ".utf8)
                    JSONString.append(observation.field(column), to: &text)
                }
                text += Array("}\n".utf8)
            }
            try jsonLines.write(text)
        }
        count += observations.count
    }

    public func commit() throws {
        try csv?.close()
        try jsonLines?.commit()
    }

    public func abandon() {
        csv?.abandon()
        jsonLines?.abandon()
    }
}
