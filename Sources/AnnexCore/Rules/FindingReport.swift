/// How `annex check` prints findings: SPEC.md's JSON array, or Chinese text grouped by file and
/// sheet with the behind-schedule lists the way the monthly 通报 writes them. Findings about a
/// notice (`check --notice`) have no sheet and follow their file's line.
public enum FindingReport {
    /// SPEC.md's array: one object per finding, fields in SPEC order, one finding per line.
    public static func json(_ findings: [Finding]) -> String {
        guard !findings.isEmpty else { return "[]\n" }
        var out = "[\n"
        for (index, finding) in findings.enumerated() {
            out += "  {"
            out += Finding.fields.map { "\(JSONString.quoted($0)): \(JSONString.quoted(finding.field($0)))" }
                .joined(separator: ", ")
            out += index + 1 < findings.count ? "},\n" : "}\n"
        }
        return out + "]\n"
    }

    /// `12 个错误、3 个警告、40 条提示`.
    public static func summary(_ findings: [Finding]) -> String {
        "\(findings.count(of: .error)) 个错误、\(findings.count(of: .warning)) 个警告、\(findings.count(of: .info)) 条提示"
    }

    /// Text for people: per file, per sheet, each finding as `错误 社会保险一!E9 …`, expected and
    /// actual, the sentence; the behind-schedule findings gathered per indicator
    /// (`城镇人数新增就业：南昌县 56.24%、进贤县 51.26%`); a summary line at the end.
    public static func text(_ findings: [Finding], readings: [TableReading], files: [String]) -> String {
        var out = ""
        var sheetsOfFile: [String: [TableReading]] = [:]
        for reading in readings { sheetsOfFile[reading.file, default: []].append(reading) }
        for file in files {
            let inFile = findings.filter { $0.file == file }
            out += "文件 \(file)：\(inFile.isEmpty ? "未发现问题" : summary(inFile))\n"
            var sheets = (sheetsOfFile[file] ?? []).map { ($0.sheet, Optional($0)) }
            for finding in inFile where !sheets.contains(where: { $0.0 == finding.sheet }) {
                sheets.append((finding.sheet, nil))
            }
            for (sheet, reading) in sheets {
                let inSheet = inFile.filter { $0.sheet == sheet }
                // A notice (通报) has no sheets: its findings follow the file line.
                if sheet.isEmpty && reading == nil {
                    for finding in inSheet { out += "  " + line(finding) + "\n" }
                    continue
                }
                var title = "  工作表 \(sheet)"
                if let reading {
                    title += "（\(reading.template.name)，\(reading.template.id)，\(reading.period)）"
                }
                out += title + (inSheet.isEmpty ? "：未发现问题\n" : "\n")
                for finding in inSheet where finding.rule != .behindSchedule {
                    out += "    " + line(finding) + "\n"
                }
                out += schedule(inSheet.filter { $0.rule == .behindSchedule }, period: reading?.period)
            }
        }
        out += "共 \(summary(findings))\n"
        return out
    }

    /// One finding: `错误 社会保险一!O5 [cross-table-mismatch] 应为 42681，实为 42881。sentence`.
    public static func line(_ finding: Finding) -> String {
        var text = finding.severity.label + (finding.location.isEmpty ? "" : " " + finding.location) + " [\(finding.rule.rawValue)]"
        if !finding.expected.isEmpty || !finding.actual.isEmpty {
            text += " 应为 \(finding.expected.isEmpty ? "（空）" : finding.expected)，实为 \(finding.actual.isEmpty ? "（空）" : finding.actual)。"
        }
        return text + " " + finding.message
    }

    /// The 存在的问题 lists: per indicator, the units below the schedule with their percentages.
    static func schedule(_ findings: [Finding], period: String?) -> String {
        guard !findings.isEmpty else { return "" }
        let threshold = findings[0].expected
        let month = period.flatMap { $0.split(separator: "-").last }.flatMap { Int($0) }
        var out = "    未能按照进度完成目标任务（占全年任务低于时序进度 \(threshold)%\(month.map { "，\($0) 月" } ?? "")）：\n"
        var order: [String] = []
        var byIndicator: [String: [Finding]] = [:]
        for finding in findings {
            if byIndicator[finding.indicator] == nil { order.append(finding.indicator) }
            byIndicator[finding.indicator, default: []].append(finding)
        }
        // In column order, as the 通报 takes the indicators left to right.
        let column = { (indicator: String) in byIndicator[indicator]!.compactMap { $0.reference?.column }.min() ?? Int.max }
        for indicator in order.sorted(by: { column($0) < column($1) }) {
            let units = byIndicator[indicator]!.map { finding in
                "\(finding.unit) \(ExactDecimal(finding.actual)?.formatted(places: 2) ?? finding.actual)%"
            }
            out += "      \(indicator)：\(units.joined(separator: "、"))\n"
        }
        return out
    }
}
