import AnnexCore

/// `annex archive add` (and `--archive` on merge and normalize): reads each file as annex layouts and
/// stores it, one transaction per file. A file that cannot be read or stored is reported and the
/// others go on; a failure of the archive itself (a lock held by another program) stops the run.
public struct ArchiveFiles {
    public var archive: Archive
    public var reader: AnnexReader
    /// Where the one-line reports go (standard error in the CLI).
    public var report: (String) -> Void

    public init(archive: Archive, reader: AnnexReader, report: @escaping (String) -> Void) {
        self.archive = archive
        self.reader = reader
        self.report = report
    }

    public struct Outcome: Sendable {
        public var added = 0
        public var unchanged = 0
        public var failed = 0
        public var results: [Archive.AddResult] = []
    }

    public func add(_ files: [String], templateID: String? = nil) throws -> Outcome {
        var outcome = Outcome()
        for file in files {
            let result: Archive.AddResult
            do {
                result = try archive.add(file: file) { try reader.read(file: file, templateID: templateID) }
            } catch let error as AnnexError where error.file == archive.path {
                // The archive itself failed (held by another program, disk full): the file was rolled
                // back, and every later file would fail the same way.
                report("档案库 \(archive.path)：\(outcome.added) 个文件已存入，其后的文件未处理。")
                throw error
            } catch {
                outcome.failed += 1
                report("annex: \((error as? AnnexError) ?? AnnexError(file: file, reason: "\(error)"))")
                continue
            }
            outcome.results.append(result)
            report(Self.line(result))
            if result.outcome == .added { outcome.added += 1 } else { outcome.unchanged += 1 }
        }
        report("档案库 \(archive.path)：\(outcome.added) 个文件存入，\(outcome.unchanged) 个没有变化，\(outcome.failed) 个失败。")
        return outcome
    }

    /// `存入 f.xlsx：就业培训一 2023-07 南昌县（14 个单元格）` and the replaced versions.
    static func line(_ result: Archive.AddResult) -> String {
        func names(_ returns: [Archive.AddResult.UnitReturn]) -> String {
            returns.map { "\($0.template) \($0.period) \($0.unit)" }.joined(separator: "、")
        }
        switch result.outcome {
        case .alreadyArchived:
            return "\(result.file) 已在档案库中（SHA-256 相同），没有变化。"
        case .unchanged:
            return "\(result.file) 的数据与档案库当前版本相同，没有变化。"
        case .added:
            var parts: [String] = []
            if !result.stored.isEmpty { parts.append("新存入 \(names(result.stored))") }
            for replaced in result.replaced {
                parts.append("替换 \(replaced.template) \(replaced.period) \(replaced.unit)（原版本来自 \(replaced.previousFile ?? "")，已保留）")
            }
            if !result.unchanged.isEmpty { parts.append("\(result.unchanged.count) 个单位没有变化") }
            if !result.markersOnly.isEmpty { parts.append("\(names(result.markersOnly)) 只有“-”“无”，未覆盖库中的数字") }
            return "存入 \(result.file)：" + parts.joined(separator: "；") + "（\(result.observations) 个单元格）。"
        }
    }
}
