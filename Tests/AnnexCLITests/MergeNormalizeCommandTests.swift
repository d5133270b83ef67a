import Foundation
import XCTest

/// `annex merge` and `annex normalize` as a user runs them, on samples/returns/2023-07 (made by
/// samples/returns/make_returns.py) and on folders with broken and unrelated files.
final class MergeNormalizeCommandTests: XCTestCase {
    static let returns = CLI.packageRoot.appendingPathComponent("samples/returns/2023-07")

    private func json(_ url: URL) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    // MARK: merge

    func testMergeTheFolderOfReturnsForSocialInsurance2() throws {
        let directory = try CLI.temporaryDirectory()
        let out = directory.appendingPathComponent("附件4.xlsx"), report = directory.appendingPathComponent("r.json")
        let result = try CLI.run(["merge", Self.returns.path, "--template", "social-insurance-2", "-o", out.path, "--report", report.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("已写出"), result.stderr)
        XCTAssertFalse(result.stderr.contains("\r"))

        let object = try json(report)
        XCTAssertEqual(object["written"] as? Bool, true)
        XCTAssertEqual(object["period"] as? String, "2023-07")
        XCTAssertEqual(object["missing"] as? [String], [])
        let problems = try XCTUnwrap(object["problems"] as? [[String: Any]])
        let identical = problems.filter { $0["kind"] as? String == "identical-returns" }
        XCTAssertEqual(identical.map { $0["unit"] as? String }, ["安义县"])
        XCTAssertEqual((identical.first?["files"] as? [String])?.count, 2)
        XCTAssertEqual(problems.filter { $0["kind"] as? String == "other-layout" }.count, 13)
        let returns = try XCTUnwrap(object["returns"] as? [[String: Any]])
        XCTAssertEqual(returns.filter { $0["status"] as? String == "used" }.count, 13)
        XCTAssertEqual(returns.filter { $0["status"] as? String == "duplicate" }.count, 1)
        XCTAssertEqual(object["findings"] as? [[String: Any]] != nil, true)

        let cells = try CLI.readBack(out.path)
        // 全市 computed from the 13 units; every unit as sent (经开区 typed its percentages three ways).
        XCTAssertEqual(cells["全市|机关事业单位养老保险 / 参保人数(含离退休人数)|累计完成"], "157526|value")
        XCTAssertEqual(cells["全市|失业保险参保人数|本月完成"], "11382|value")
        XCTAssertEqual(cells["全市|工伤保险参保人数|占全年任务"], "|empty")  // no 目标任务 column: reported, left empty
        XCTAssertEqual(cells["经开区|机关事业单位养老保险 / 参保人数(含离退休人数)|占全年任务"], "101.92|value")
        XCTAssertEqual(cells["经开区|机关事业单位养老保险 / 在职参保人数|占全年任务"], "101.2|value")
        XCTAssertEqual(cells["经开区|失业保险参保人数|占全年任务"], "97.35|value")
        XCTAssertEqual(cells["红谷滩区|工伤保险参保人数|累计完成"], "47633|value")
        XCTAssertEqual(cells["青山湖区|失业保险参保人数|累计完成"], "29152|value")
    }

    /// The sample month in one command: 青山湖区's corrected 就业培训一 return replaces its first one
    /// (said as info, naming both files); 湾里管理局 sent none, so the annex is written with exit 1.
    func testMergeTakesTheCorrectedReturn() throws {
        let directory = try CLI.temporaryDirectory()
        let out = directory.appendingPathComponent("附件1.xlsx"), report = directory.appendingPathComponent("r.json")
        let result = try CLI.run(["merge", Self.returns.path, "--template", "employment-training-1", "-o", out.path, "--report", report.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.path))
        XCTAssertTrue(result.stderr.contains("[correction]") && result.stderr.contains("青山湖区-就业培训一（更正）.xlsx"), result.stderr)

        let object = try json(report)
        XCTAssertEqual(object["written"] as? Bool, true)
        XCTAssertEqual(object["missing"] as? [String], ["湾里管理局"])
        let problems = try XCTUnwrap(object["problems"] as? [[String: Any]])
        XCTAssertNil(problems.first { $0["kind"] as? String == "conflicting-returns" })
        let correction = try XCTUnwrap(problems.first { $0["kind"] as? String == "correction" })
        XCTAssertEqual((correction["files"] as? [String])?.map { URL(fileURLWithPath: $0).lastPathComponent },
                       ["青山湖区-就业培训一（更正）.xlsx", "青山湖区-就业培训一.xlsx"])
        let statuses = (object["returns"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
            $0[URL(fileURLWithPath: $1["file"] as! String).lastPathComponent] = $1["status"] as? String
        }
        XCTAssertEqual(statuses["青山湖区-就业培训一.xlsx"], "superseded")
        XCTAssertEqual(statuses["青山湖区-就业培训一（更正）.xlsx"], "used")
        XCTAssertEqual(try CLI.readBack(out.path)["青山湖区|城镇人数新增就业|累计完成"], "2805|value")
    }

    /// Two unmarked, different returns of 青山湖区: a conflict that leaves its row empty (exit 1, the
    /// annex written); `--prefer` with the file name settles it.
    func testMergeConflictLeavesTheRowEmptyUntilPreferChooses() throws {
        let directory = try CLI.temporaryDirectory()
        let folder = directory.appendingPathComponent("returns")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.returns.path) where name.contains("就业培训一") {
            let target = name == "青山湖区-就业培训一（更正）.xlsx" ? "青山湖区-就业培训一-第二份.xlsx" : name
            try FileManager.default.copyItem(at: Self.returns.appendingPathComponent(name), to: folder.appendingPathComponent(target))
        }
        let out = directory.appendingPathComponent("附件1.xlsx"), report = directory.appendingPathComponent("r.json")
        let conflicted = try CLI.run(["merge", folder.path, "--template", "employment-training-1", "-o", out.path, "--report", report.path])
        XCTAssertEqual(conflicted.status, 1, conflicted.stderr)
        XCTAssertTrue(conflicted.stderr.contains("2850") && conflicted.stderr.contains("2805"), conflicted.stderr)
        let conflict = try XCTUnwrap((try json(report)["problems"] as? [[String: Any]])?.first { $0["kind"] as? String == "conflicting-returns" })
        XCTAssertEqual(conflict["unit"] as? String, "青山湖区")
        let difference = try XCTUnwrap((conflict["differences"] as? [[String: Any]])?.first)
        XCTAssertEqual((difference["values"] as? [[String: String]])?.map { $0["value"] }, ["2805", "2850"])
        let empty = try CLI.readBack(out.path)
        XCTAssertEqual(empty["青山湖区|城镇人数新增就业|累计完成"], "|empty")

        let preferred = try CLI.run(["merge", folder.path, "--template", "employment-training-1", "-o", out.path,
                                     "--prefer", "青山湖区-就业培训一-第二份.xlsx"])
        XCTAssertEqual(preferred.status, 1, preferred.stderr)  // 湾里管理局 is still missing
        XCTAssertTrue(preferred.stderr.contains("[preferred]"), preferred.stderr)
        XCTAssertEqual(try CLI.readBack(out.path)["青山湖区|城镇人数新增就业|累计完成"], "2805|value")
    }

    /// Without the wrong version the annex is written, in the template's row order, 全市 summed;
    /// 湾里管理局 is still missing (exit 1) and the findings of `annex check` are in the report.
    func testMergeWithTheCorrectedReturnWritesTheAnnex() throws {
        let directory = try CLI.temporaryDirectory()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.returns.path)
            .filter { $0.contains("就业培训一") && $0 != "青山湖区-就业培训一.xlsx" }.sorted()
            .map { Self.returns.appendingPathComponent($0).path }
        XCTAssertEqual(files.count, 12)
        let out = directory.appendingPathComponent("附件1.xlsx"), report = directory.appendingPathComponent("r.json")
        let result = try CLI.run(["merge"] + files.reversed() + ["--template", "employment-training-1", "-o", out.path, "--report", report.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("湾里管理局"), result.stderr)

        let cells = try CLI.readBack(out.path)
        XCTAssertEqual(cells["全市|城镇人数新增就业|累计完成"], "36366|value")  // 37123 without 湾里管理局's 757
        XCTAssertEqual(cells["湾里管理局|城镇人数新增就业|累计完成"], "|empty")
        XCTAssertEqual(cells["青山湖区|城镇人数新增就业|累计完成"], "2805|value")
        // The messy return: former name, moved table, full-width digits, 99.39%.
        XCTAssertEqual(cells["红谷滩区|城镇人数新增就业|本月完成"], "198|value")
        XCTAssertEqual(cells["红谷滩区|城镇人数新增就业|占全年任务"], "99.39|value")
        // 市本级's dashes, from its own return (新建区's whole-table copy only repeats them).
        XCTAssertEqual(cells["市本级|城镇人数新增就业|本月完成"], "-|not_assigned")
        XCTAssertEqual(cells["市本级|职业培训人数|累计完成"], "3613|value")

        let dump = try CLI.run(["dump", out.path, "--format", "csv"])
        let units = dump.lines.dropFirst(5).prefix(14).map { $0.split(separator: ",").first.map(String.init) ?? "" }
        XCTAssertEqual(units, ["全市", "市本级", "南昌县", "新建区", "进贤县", "安义县", "东湖区", "西湖区", "青云谱区", "湾里管理局",
                               "青山湖区", "经开区", "高新区", "红谷滩区"])
        let object = try json(report)
        let findings = try XCTUnwrap(object["findings"] as? [[String: String]])
        XCTAssertTrue(findings.contains { $0["rule"] == "behind-schedule" && $0["unit"] == "南昌县" })
        XCTAssertTrue(findings.allSatisfy { $0["file"] == out.path })
    }

    func testMergeCommandLineProblemsExitTwo() throws {
        let directory = try CLI.temporaryDirectory()
        let out = directory.appendingPathComponent("o.xlsx").path
        var result = try CLI.run(["merge", directory.appendingPathComponent("none").path, "--template", "social-insurance-2", "-o", out])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("找不到"), result.stderr)
        result = try CLI.run(["merge", Self.returns.path, "--template", "no-such-layout", "-o", out])
        XCTAssertEqual(result.status, 2)
        result = try CLI.run(["merge", Self.returns.path, "--template", "social-insurance-2", "-o", out, "--period", "July"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("--period"), result.stderr)
        // Nothing in the layout: no annex, exit 2, the report still says why.
        let report = directory.appendingPathComponent("r.json")
        result = try CLI.run(["merge", Self.returns.appendingPathComponent("东湖区-社会保险二.csv").path,
                              "--template", "employment-training-1", "-o", out, "--report", report.path])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let object = try json(report)
        XCTAssertEqual(object["written"] as? Bool, false)
        XCTAssertEqual((object["returns"] as? [[String: Any]])?.first?["status"] as? String, "other-layout")
        XCTAssertTrue(result.stderr.contains("未写出附件"), result.stderr)
        let help = try CLI.run(["merge", "--help"])
        XCTAssertTrue(help.stdout.contains("退出码"), help.stdout)
    }

    // MARK: normalize

    /// A folder with returns, a CSV, a corrupt workbook, an unrelated workbook and a lock file: the
    /// dataset holds every readable sheet, the report names the bad files with their reasons, exit 1.
    func testNormalizeReportsBadFilesAndWritesTheRest() throws {
        let directory = try CLI.temporaryDirectory()
        let folder = directory.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for name in ["南昌县-就业培训一.xlsx", "东湖区-社会保险二.csv", "红谷滩区-就业培训一.xlsx"] {
            try FileManager.default.copyItem(at: Self.returns.appendingPathComponent(name), to: folder.appendingPathComponent("sub/" + name))
        }
        try FileManager.default.copyItem(at: Self.returns.appendingPathComponent("东湖区-就业培训一.csv"),
                                         to: folder.appendingPathComponent("东湖区-就业培训一.csv"))
        let source = try Data(contentsOf: Self.returns.appendingPathComponent("南昌县-社会保险二.xlsx"))
        try source.prefix(source.count / 2).write(to: folder.appendingPathComponent("corrupt.xlsx"))
        _ = try CLI.openpyxlWorkbook("ws.title = '采购明细'\nws.append(['序号', '品名', '金额（元）'])\nws.append([1, '大米', 1638])",
                                     in: folder, name: "食堂采购.xlsx")
        try Data(repeating: 0x20, count: 165).write(to: folder.appendingPathComponent("sub/~$南昌县-就业培训一.xlsx"))

        var outputs: [Data] = []
        for jobs in ["1", "2"] {
            let out = directory.appendingPathComponent("all-\(jobs).csv"), report = directory.appendingPathComponent("r-\(jobs).json")
            let result = try CLI.run(["normalize", folder.path, "-o", out.path, "--report", report.path, "--jobs", jobs])
            XCTAssertEqual(result.status, 1, result.stderr)
            XCTAssertFalse(result.stderr.contains("\r"), "no progress bar when stderr is not a terminal")
            XCTAssertTrue(result.stderr.contains("corrupt.xlsx") && result.stderr.contains("食堂采购.xlsx"), result.stderr)
            outputs.append(try Data(contentsOf: out))

            let object = try json(report)
            XCTAssertEqual(object["files"] as? Int, 6)
            XCTAssertEqual(object["files_read"] as? Int, 4)
            XCTAssertEqual(object["sheets_read"] as? Int, 4)
            XCTAssertEqual(object["observations"] as? Int, 19 + 13 + 19 + 19)
            let failures = try XCTUnwrap(object["failures"] as? [[String: String]])
            XCTAssertEqual(failures.map { URL(fileURLWithPath: $0["file"]!).lastPathComponent }, ["corrupt.xlsx", "食堂采购.xlsx"])
            XCTAssertEqual(failures.map { $0["sheet"] }, ["", "采购明细"])
            XCTAssertTrue(failures[1]["reason"]!.contains("无法识别表格格式"), failures[1]["reason"]!)
            XCTAssertFalse(failures[0]["reason"]!.isEmpty)
            let skipped = try XCTUnwrap(object["skipped"] as? [[String: String]])
            XCTAssertEqual(skipped.map { URL(fileURLWithPath: $0["file"]!).lastPathComponent }, ["~$南昌县-就业培训一.xlsx"])
        }
        XCTAssertEqual(outputs[0], outputs[1], "--jobs 1 and --jobs 2 give the same bytes")

        let text = String(decoding: outputs[0], as: UTF8.self)
        let lines = text.split(separator: "\r\n").map(String.init)
        XCTAssertEqual(lines[0], "template,period,unit,indicator,measure,value,status,unit_name,department,department_name,instance,source,sheet,cell")
        XCTAssertEqual(lines.count, 1 + 19 + 13 + 19 + 19)
        // Sorted by path, byte by byte in UTF-8: sub/ (ASCII) before the top-level Chinese names.
        let sources = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[11] }
        var order: [Substring] = []
        for source in sources where order.last != source { order.append(source) }
        XCTAssertEqual(order.map { $0.split(separator: "/").last.map(String.init) ?? "" },
                       ["东湖区-社会保险二.csv", "南昌县-就业培训一.xlsx", "红谷滩区-就业培训一.xlsx", "东湖区-就业培训一.csv"])
        XCTAssertTrue(lines.contains { $0.hasPrefix("employment-training-1,2023-07,红谷滩区,城镇人数新增就业,占全年任务,99.39,value,") && $0.hasSuffix(",Sheet1,E8") },
                      lines.filter { $0.contains("红谷滩区") }.prefix(3).joined(separator: "\n"))

        // JSON Lines with the same content.
        let jsonl = directory.appendingPathComponent("all.jsonl")
        XCTAssertEqual(try CLI.run(["normalize", folder.path, "-o", jsonl.path]).status, 1)
        let records = try String(contentsOf: jsonl, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(records.count, 19 + 13 + 19 + 19)
        let first = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(records[0].utf8)) as? [String: String])
        XCTAssertEqual(first["unit"], "东湖区")
        XCTAssertEqual(first["cell"], "B7")
    }

    /// Full annexes, the 2021 table and two months of returns (CSV among them) in nested folders,
    /// some under Chinese folder names: one, two and three jobs write the same dataset and the same
    /// report, byte for byte.
    func testNormalizeANestedFolderGivesTheSameBytesWhateverTheJobs() throws {
        let directory = try CLI.temporaryDirectory()
        let folder = directory.appendingPathComponent("in")
        let fm = FileManager.default
        let annexes = CLI.packageRoot.appendingPathComponent("samples/annexes")
        var copies: [(from: URL, to: String)] = []
        for name in try fm.contentsOfDirectory(atPath: annexes.path) where name.hasPrefix("2023-07-") || name.hasPrefix("2021-") {
            copies.append((annexes.appendingPathComponent(name), (name.hasPrefix("2021-") ? "2021/目标/" : "2023/07/附件/") + name))
            copies.append((annexes.appendingPathComponent(name), "旧/副本/" + name))
        }
        for month in ["2023-06", "2023-07"] {
            let returns = CLI.packageRoot.appendingPathComponent("samples/returns/" + month)
            for name in try fm.contentsOfDirectory(atPath: returns.path) {
                copies.append((returns.appendingPathComponent(name), "2023/\(month.suffix(2))/区县/\(name.split(separator: "-")[0])/" + name))
            }
        }
        for (from, to) in copies {
            let target = folder.appendingPathComponent(to)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: from, to: target)
        }
        let out = directory.appendingPathComponent("all.csv"), report = directory.appendingPathComponent("report.json")
        var outputs: [(csv: Data, report: Data)] = []
        for jobs in ["1", "2", "3"] {
            let result = try CLI.run(["normalize", folder.path, "-o", out.path, "--report", report.path, "--jobs", jobs])
            XCTAssertEqual(result.status, 0, result.stderr)
            outputs.append((try Data(contentsOf: out), try Data(contentsOf: report)))
        }
        for index in 1..<outputs.count {
            XCTAssertEqual(outputs[index].csv, outputs[0].csv, "the dataset of --jobs \(index + 1)")
            XCTAssertEqual(outputs[index].report, outputs[0].report, "the report of --jobs \(index + 1)")
        }
        let object = try json(report)
        XCTAssertEqual(object["files"] as? Int, copies.count)
        XCTAssertEqual(object["files_read"] as? Int, copies.count)
        XCTAssertEqual((object["templates"] as? [String: Int])?.keys.sorted(),
                       ["employment-targets", "employment-training-1", "employment-training-2", "social-insurance-1", "social-insurance-2"])
    }

    func testNormalizeTheSampleReturnsReadsEverything() throws {
        let directory = try CLI.temporaryDirectory()
        let out = directory.appendingPathComponent("all.csv")
        let result = try CLI.run(["normalize", Self.returns.path, "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("845 条观测"), result.stderr)
        // Rerunning gives the same bytes.
        let again = directory.appendingPathComponent("again.csv")
        XCTAssertEqual(try CLI.run(["normalize", Self.returns.path, "-o", again.path, "--jobs", "3"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: out), try Data(contentsOf: again))
    }

    func testNormalizeWithNothingUsableExitsTwo() throws {
        let directory = try CLI.temporaryDirectory()
        let folder = directory.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var result = try CLI.run(["normalize", folder.path, "-o", directory.appendingPathComponent("o.csv").path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("没有找到"), result.stderr)

        try Data("garbage".utf8).write(to: folder.appendingPathComponent("bad.xlsx"))
        let out = directory.appendingPathComponent("o.csv"), report = directory.appendingPathComponent("r.json")
        result = try CLI.run(["normalize", folder.path, "-o", out.path, "--report", report.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        XCTAssertEqual(((try json(report))["failures"] as? [Any])?.count, 1)

        result = try CLI.run(["normalize", directory.appendingPathComponent("missing").path, "-o", out.path])
        XCTAssertEqual(result.status, 2)
        result = try CLI.run(["normalize", folder.path, "-o", out.path, "--jobs", "0"])
        XCTAssertEqual(result.status, 2)
        let help = try CLI.run(["normalize", "--help"])
        XCTAssertTrue(help.stdout.contains("退出码") && help.stdout.contains("--jobs"), help.stdout)
    }
}
