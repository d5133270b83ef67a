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
            for observation in observations { try csv.writeRow(Self.fields(observation)) }
        } else if let jsonLines {
            var text: [UInt8] = []
            for observation in observations {
                text.append(UInt8(ascii: "{"))
                for (index, (column, field)) in zip(Self.columns, Self.fields(observation)).enumerated() {
                    if index > 0 { text += Array(", ".utf8) }
                    JSONString.append(column, to: &text)
                    text += Array(": ".utf8)
                    JSONString.append(field, to: &text)
                }
                text += Array("}\n".utf8)
            }
            try jsonLines.write(text)
        }
        count += observations.count
    }

    /// An observation's fields in `columns` order. The extras are matched by walking the few the
    /// observation has, not looked up column by column: hashing seven names for each of a batch's
    /// hundreds of thousands of observations was a tenth of `normalize`.
    static func fields(_ observation: Observation) -> [String] {
        var fields = [observation.template, observation.period, observation.unit, observation.indicator,
                      observation.measure, observation.value, observation.status.rawValue]
        let fixed = fields.count
        fields += repeatElement("", count: Observation.knownExtraFields.count)
        for (name, value) in observation.extra {
            if let index = Observation.knownExtraFields.firstIndex(of: name) { fields[fixed + index] = value }
        }
        return fields
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
