import Foundation

extension AnnualTargets {
    /// Reads the `--targets` files, in the order given (the first wins where two disagree): a
    /// canonical `.jsonl`, a canonical `.csv` (its header names `template`, `unit`, `indicator`, …),
    /// or any annex or table the reader recognises. Throws (naming the file) when a file cannot be
    /// read or states no target at all.
    public static func load(_ files: [String], reader: AnnexReader) throws -> AnnualTargets {
        var targets = AnnualTargets()
        for file in files {
            let observations = restated(try observations(in: file, reader: reader), library: reader.library)
            guard observations.contains(where: { $0.status == .value && isTargetMeasure($0.measure) }) else {
                throw AnnexError(file: file, reason: "没有任何目标任务（表中没有“目标任务”列，也不是目标任务分解表；标准数据中没有 measure 为 目标任务 的观测），不能用作 --targets")
            }
            targets.add(observations, source: file)
        }
        return targets
    }

    /// The figures of a table whose template declares `annualTargets` (年度全省就业工作目标任务分解表),
    /// read or canonical, become the 目标任务 of the layouts' indicators; its other columns are left
    /// out. Observations of other templates are kept as they are.
    private static func restated(_ observations: [Observation], library: TemplateLibrary) -> [Observation] {
        observations.compactMap { observation in
            guard let table = library.templates.first(where: { $0.id == observation.template })?.annualTargets else {
                return observation
            }
            return table.target(observation)
        }
    }

    private static func observations(in file: String, reader: AnnexReader) throws -> [Observation] {
        let lowered = file.lowercased()
        if lowered.hasSuffix(".jsonl") { return try CanonicalFiles.read(path: file) }
        if lowered.hasSuffix(".csv"), isCanonicalCSV(file) { return try CanonicalFiles.read(path: file) }
        return try reader.read(file: file).flatMap(\.observations)
    }

    /// A canonical CSV starts with the fixed field `template`; an annex saved as CSV starts with its title.
    private static func isCanonicalCSV(_ file: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: file) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 64)) ?? Data(), as: UTF8.self)
        return head.trimmingPrefix("\u{FEFF}").hasPrefix("template,")
    }
}
