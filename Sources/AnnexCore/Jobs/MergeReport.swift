/// How `annex merge` reports: Chinese text for standard error, and the `--report` JSON.
extension MergeResult {
    /// The report JSON: the annex, every return and what became of it, the units without a return,
    /// the problems of the merge and the findings of `annex check` on the merged annex (SPEC.md's
    /// finding objects).
    public func json(output: String) -> String {
        func q(_ text: String) -> String { JSONString.quoted(text) }
        func list(_ items: [String], indent: String) -> String {
            items.isEmpty ? "[]" : "[\n" + items.map { indent + "  " + $0 }.joined(separator: ",\n") + "\n" + indent + "]"
        }
        var out = "{\n"
        out += "  \"template\": \(q(template.id)),\n"
        out += "  \"period\": \(q(period)),\n"
        out += "  \"output\": \(q(output)),\n"
        out += "  \"written\": \(written),\n"
        out += "  \"returns\": " + list(returns.map { entry in
            "{\"file\": \(q(entry.file)), \"sheet\": \(q(entry.sheet)), \"template\": \(q(entry.template ?? "")), "
                + "\"period\": \(q(entry.period ?? "")), \"status\": \(q(entry.status.rawValue)), "
                + "\"units\": [\(entry.units.map(q).joined(separator: ", "))]}"
        }, indent: "  ") + ",\n"
        out += "  \"missing\": [\(missing.map(q).joined(separator: ", "))],\n"
        out += "  \"problems\": " + list(problems.map { problem in
            var item = "{\"kind\": \(q(problem.kind.rawValue)), \"severity\": \(q(problem.severity.rawValue)), "
                + "\"unit\": \(q(problem.unit)), \"files\": [\(problem.files.map(q).joined(separator: ", "))], "
                + "\"cells\": [\(problem.cells.map(q).joined(separator: ", "))], \"message\": \(q(problem.message))"
            if !problem.differences.isEmpty {
                item += ", \"differences\": [" + problem.differences.map { difference in
                    "{\"indicator\": \(q(difference.indicator)), \"measure\": \(q(difference.measure)), \"values\": ["
                        + difference.values.map { "{\"file\": \(q($0.file)), \"cell\": \(q($0.cell)), \"value\": \(q($0.value))}" }
                            .joined(separator: ", ") + "]}"
                }.joined(separator: ", ") + "]"
            }
            return item + "}"
        }, indent: "  ") + ",\n"
        out += "  \"findings\": " + list(findings.map { finding in
            "{" + Finding.fields.map { "\(q($0)): \(q(finding.field($0)))" }.joined(separator: ", ") + "}"
        }, indent: "  ") + "\n"
        return out + "}\n"
    }

    /// Text for people: the problems of the merge (errors first), the findings on the merged annex
    /// grouped as `annex check` prints them, and a closing summary line.
    public func text(output: String) -> String {
        var out = ""
        let ordered = Finding.Severity.allCases.flatMap { severity in problems.filter { $0.severity == severity } }
        for problem in ordered where problem.kind != .otherLayout {
            out += "\(problem.severity.label) [\(problem.kind.rawValue)] \(problem.message)\n"
        }
        // Returns of the other annexes (a folder holds them all): one line per layout.
        var otherLayouts: [String: [String]] = [:]
        for entry in returns where entry.status == .otherLayout {
            otherLayouts[entry.template ?? "", default: []].append(entry.file.split(separator: "/").last.map(String.init) ?? entry.file)
        }
        for id in otherLayouts.keys.sorted() {
            let files = otherLayouts[id]!
            out += "\(Finding.Severity.info.label) [other-layout] \(files.count) 份报表是 \(id) 格式，未合并：\(files.joined(separator: "、"))\n"
        }
        if let merged {
            out += FindingReport.text(findings, readings: [merged], files: [output])
        }
        let units = Set(returns.flatMap(\.units)).count
        let inLayout = returns.filter { $0.template == template.id }.count
        let used = returns.filter { $0.status == .used }.count
        let files = Set(returns.map(\.file)).count
        out += "合并\(template.name)（\(template.id)，\(period)）：\(files) 个文件中有 \(inLayout) 份本格式的报表，采用 \(used) 份，"
        out += "\(units) 个单位有数据"
        if !missing.isEmpty { out += "，缺报 \(missing.count) 个（\(missing.joined(separator: "、"))）" }
        if !conflicts.isEmpty {
            out += "，\(conflicts.count) 个单位的报表互相矛盾（\(conflicts.map(\.unit).joined(separator: "、"))，附件中为空）"
        }
        if written {
            out += "，已写出 \(output)"
        } else {
            out += "，没有可合并的数据，未写出附件"
        }
        let errors = problems.filter { $0.severity == .error }.count + findings.count(of: .error)
        let warnings = problems.filter { $0.severity == .warning }.count + findings.count(of: .warning)
        out += "；共 \(errors) 个错误、\(warnings) 个警告。\n"
        return out
    }
}
