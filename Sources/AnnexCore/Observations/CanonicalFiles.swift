import Foundation

/// Reads and writes the canonical model as CSV (UTF-8, header row, RFC 4180) or JSON Lines with the
/// same field names (SPEC.md). The format follows the file name: `.jsonl` is JSON Lines, anything else CSV.
public enum CanonicalFiles {
    public enum Format: Sendable {
        case csv, jsonLines

        public init(path: String) {
            let lowered = path.lowercased()
            self = lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") ? .jsonLines : .csv
        }
    }

    /// The columns written: the seven fixed fields, then every extra field present, known ones first.
    public static func columns(for observations: [Observation]) -> [String] {
        var extras = Set<String>()
        for observation in observations { extras.formUnion(observation.extra.keys) }
        let known = Observation.knownExtraFields.filter { extras.contains($0) }
        let others = extras.subtracting(Observation.knownExtraFields).sorted()
        return Observation.fixedFields + known + others
    }

    /// Writes observations atomically to `path` (or standard output when `path` is nil or `-`).
    /// Values are written exactly as read (a form's 指标值 `-12次` stays `-12次`): canonical files are
    /// data for programs, so no formula protection (SPEC.md, "The canonical model").
    public static func write(_ observations: [Observation], to path: String?, refusingToOverwrite inputs: [String] = []) throws {
        let columns = columns(for: observations)
        let format = Format(path: path ?? "-")
        if format == .csv {
            let options = CSVWriteOptions(bom: false, protectFormulas: false)
            let writer = path == nil || path == "-"
                ? try CSVWriter(standardOutputWith: options)
                : try CSVWriter(path: path!, options: options, refusingToOverwrite: inputs)
            do {
                try writer.writeRow(columns)
                for observation in observations { try writer.writeRow(columns.map(observation.field)) }
                try writer.close()
            } catch {
                writer.abandon()
                throw error
            }
            return
        }
        var text: [UInt8] = []
        for observation in observations {
            text.append(UInt8(ascii: "{"))
            for (index, column) in columns.enumerated() {
                if index > 0 { text += Array(", ".utf8) }
                JSONString.append(column, to: &text)
                text += Array(": ".utf8)
                JSONString.append(observation.field(column), to: &text)
            }
            text += Array("}\n".utf8)
        }
        if let path, path != "-" {
            let output = try AtomicOutput(path: path, refusingToOverwrite: inputs)
            try output.write(text)
            try output.commit()
        } else {
            let output = StandardOutput()
            try output.write(text)
            try output.flush()
        }
    }

    /// Reads a canonical CSV or JSON Lines file.
    public static func read(path: String) throws -> [Observation] {
        var rows: [(line: Int, fields: [String: String])] = []
        switch Format(path: path) {
        case .csv:
            let reader = try CSVReader(path: path, options: CSVReadOptions(unprotectFormulas: false))
            var header: [String]?
            try reader.forEachRecord { line, fields in
                guard let columns = header else {
                    header = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                    return
                }
                if fields.allSatisfy(\.isEmpty) { return }
                rows.append((line, Dictionary(zip(columns, fields), uniquingKeysWith: { a, _ in a })))
            }
        case .jsonLines:
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AnnexError(file: path, reason: "无法打开文件")
            }
            for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                    throw AnnexError(file: path, location: "第 \(index + 1) 行", reason: "不是有效的 JSON 对象")
                }
                rows.append((index + 1, object.mapValues { "\($0)" }))
            }
        }
        return try rows.map { line, fields in
            let location = "第 \(line) 行"
            for required in ["template", "unit", "indicator", "value", "status"] where fields[required] == nil {
                throw AnnexError(file: path, location: location, reason: "缺少字段“\(required)”（标准数据须有 \(Observation.fixedFields.joined(separator: ", "))）")
            }
            guard let status = Observation.Status(rawValue: fields["status"]!) else {
                throw AnnexError(file: path, location: location,
                                 reason: "status“\(fields["status"]!)”无效（应为 \(Observation.Status.allCases.map(\.rawValue).joined(separator: "、"))）")
            }
            var extra = fields
            for name in Observation.fixedFields { extra.removeValue(forKey: name) }
            extra = extra.filter { !$0.value.isEmpty }
            return Observation(template: fields["template"]!, period: fields["period"] ?? "", unit: fields["unit"]!,
                               indicator: fields["indicator"]!, measure: fields["measure"] ?? "",
                               value: fields["value"]!, status: status, extra: extra)
        }
    }
}
