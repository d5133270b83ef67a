import AnnexTestSupport
import Foundation
import XCTest

/// `annex archive add/query/list` and `--archive` on check, merge and normalize, on the two sample
/// months (samples/returns/2023-06 and 2023-07) and the July return with one wrong 本月完成.
final class ArchiveCommandTests: XCTestCase {
    static let returns = CLI.packageRoot.appendingPathComponent("samples/returns")

    var folder: URL!
    var database: String { folder.appendingPathComponent("archive.db").path }

    override func setUpWithError() throws {
        folder = try CLI.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func sample(_ path: String) -> String { Self.returns.appendingPathComponent(path).path }

    func findings(_ result: ProcessResult) throws -> [[String: String]] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: String]], result.stderr)
    }

    func archiveTwoMonths() throws {
        let added = try CLI.run(["archive", "add", sample("2023-06"), sample("2023-07"), "--db", database])
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertTrue(added.stderr.contains("52 个文件存入，1 个没有变化，0 个失败"), added.stderr)
    }

    func testTwoMonthsArchivedCheckFindsTheWrongFlowAndNothingElse() throws {
        try archiveTwoMonths()
        let list = try CLI.run(["archive", "list", "--db", database, "--format", "json"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let listing = try XCTUnwrap(JSONSerialization.jsonObject(with: list.stdoutData) as? [String: Any])
        let periods = try XCTUnwrap(listing["periods"] as? [[String: Any]])
        XCTAssertEqual(periods.map { "\($0["template"]!) \($0["period"]!) \(($0["units"] as! [String]).count)" },
                       ["employment-training-1 2023-06 13", "employment-training-1 2023-07 12",
                        "social-insurance-2 2023-06 13", "social-insurance-2 2023-07 13"])
        XCTAssertEqual((listing["files"] as? [Any])?.count, 53)

        let wrong = try CLI.run(["check", "--archive", database, "--format", "json", sample("2023-07-wrong/南昌县-就业培训一.xlsx")])
        XCTAssertEqual(wrong.status, 1)
        let monthOnMonth = try findings(wrong).filter { $0["rule"] == "month-on-month-mismatch" || $0["rule"] == "target-changed" }
        XCTAssertEqual(monthOnMonth.count, 1)
        let finding = try XCTUnwrap(monthOnMonth.first)
        XCTAssertEqual(finding["severity"], "error")
        XCTAssertEqual(finding["cell"], "B6")
        XCTAssertEqual(finding["unit"], "南昌县")
        XCTAssertEqual(finding["indicator"], "城镇人数新增就业")
        XCTAssertEqual(finding["measure"], "本月完成")
        XCTAssertEqual(finding["expected"], "546")
        XCTAssertEqual(finding["actual"], "564")
        XCTAssertTrue(finding["message"]!.contains("3290 − 上月（2023-06）累计完成 2744 = 546，表中为 564"), finding["message"]!)
        XCTAssertTrue(finding["message"]!.contains("samples/returns/2023-06/南昌县-就业培训一.xlsx 就业培训一!C6"), finding["message"]!)

        // Apart from it, the wrong return gets exactly the findings of the right one without an archive.
        let right = try CLI.run(["check", "--format", "json", sample("2023-07/南昌县-就业培训一.xlsx")])
        func others(_ list: [[String: String]]) -> [String] {
            list.filter { $0["rule"] != "month-on-month-mismatch" }.map { "\($0["rule"]!) \($0["cell"]!) \($0["actual"]!)" }
        }
        XCTAssertEqual(others(try findings(wrong)), others(try findings(right)))

        // Every July return agrees with June month on month, but for 青山湖区's first version, which its
        // correction replaced: 2850 typed for 2805.
        let july = try FileManager.default.contentsOfDirectory(atPath: sample("2023-07")).sorted().map { sample("2023-07/" + $0) }
        let all = try CLI.run(["check", "--archive", database, "--format", "json"] + july)
        let found = try findings(all).filter { $0["rule"] == "month-on-month-mismatch" || $0["rule"] == "target-changed" }
        XCTAssertEqual(found.map { "\($0["file"]!) \($0["cell"]!) \($0["expected"]!) \($0["actual"]!)" },
                       [sample("2023-07/青山湖区-就业培训一.xlsx") + " B6 368 323"])
    }

    func testJuneWithoutMayArchivedSaysSoOncePerTable() throws {
        try archiveTwoMonths()
        let june = try CLI.run(["check", "--archive", database, "--format", "json", sample("2023-06/南昌县-就业培训一.xlsx")])
        let notes = try findings(june).filter { $0["rule"] == "month-on-month-mismatch" }
        XCTAssertEqual(notes.map { $0["severity"]! }, ["info"])
        XCTAssertEqual(notes.first?["cell"], "")
        XCTAssertTrue(notes.first?["message"]?.contains("档案库中没有 2023-05 的就业培训一") == true)
    }

    func testQueryGivesCurrentVersionsAsCanonicalCSVAndJSONLines() throws {
        try archiveTwoMonths()
        let csv = folder.appendingPathComponent("q.csv").path
        let query = try CLI.run(["archive", "query", "--db", database, "--template", "employment-training-1",
                                 "--period", "2023-07", "--unit", "青山湖区", "-o", csv])
        XCTAssertEqual(query.status, 0, query.stderr)
        let lines = try String(contentsOfFile: csv, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 20)
        guard lines.count == 20 else { return }
        XCTAssertEqual(lines[0], "template,period,unit,indicator,measure,value,status,source,sheet,cell,archived_at,source_sha256")
        // The correction (2805) is current; the first version (2850) is kept but not queried.
        XCTAssertTrue(lines[2].hasPrefix("employment-training-1,2023-07,青山湖区,城镇人数新增就业,累计完成,2805,value,"
                                         + sample("2023-07/青山湖区-就业培训一（更正）.xlsx") + ",就业培训一,C6,"), lines[2])
        let list = try CLI.run(["archive", "list", "--db", database])
        XCTAssertTrue(list.stdout.contains("employment-training-1 2023-07：12 个单位，12 个文件，另有 1 个被替换的版本"), list.stdout)

        let jsonl = try CLI.run(["archive", "query", "--db", database, "--period", "2023-06", "--unit", "南昌县", "-o",
                                 folder.appendingPathComponent("q.jsonl").path])
        XCTAssertEqual(jsonl.status, 0, jsonl.stderr)
        let records = try String(contentsOfFile: folder.appendingPathComponent("q.jsonl").path, encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: String] }
        XCTAssertEqual(records.count, 19 + 13)
        XCTAssertEqual(records.first { $0["indicator"] == "城镇人数新增就业" && $0["measure"] == "累计完成" }?["value"], "2744")

        let badPeriod = try CLI.run(["archive", "query", "--db", database, "--period", "2023-7"])
        XCTAssertEqual(badPeriod.status, 2)
        XCTAssertTrue(badPeriod.stderr.contains("--period 应为 YYYY-MM 或 YYYY"), badPeriod.stderr)
    }

    func testAddingAgainChangesNothingAndUnreadableFilesDoNotStopTheOthers() throws {
        let first = try CLI.run(["archive", "add", sample("2023-07/南昌县-就业培训一.xlsx"), "--db", database])
        XCTAssertEqual(first.status, 0, first.stderr)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: database))
        let again = try CLI.run(["archive", "add", sample("2023-07/南昌县-就业培训一.xlsx"), "--db", database])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("已在档案库中（SHA-256 相同），没有变化"), again.stderr)
        let list = try CLI.run(["archive", "list", "--db", database, "--format", "json"])
        XCTAssertEqual(((try JSONSerialization.jsonObject(with: list.stdoutData) as? [String: Any])?["files"] as? [Any])?.count, 1)
        XCTAssertFalse(bytes.isEmpty)

        let junk = folder.appendingPathComponent("notes.csv")
        try "这不是报表\n".write(to: junk, atomically: true, encoding: .utf8)
        let mixed = try CLI.run(["archive", "add", junk.path, sample("2023-07/新建区-就业培训一.xlsx"), "--db", database])
        XCTAssertEqual(mixed.status, 1, mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("notes.csv"), mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("1 个文件存入，0 个没有变化，1 个失败"), mixed.stderr)
        XCTAssertEqual(try CLI.run(["archive", "add", junk.path, "--db", database]).status, 2)
    }

    func testCheckAndQueryRefuseAMissingArchiveWithoutCreatingIt() throws {
        let check = try CLI.run(["check", "--archive", database, sample("2023-07/南昌县-就业培训一.xlsx")])
        XCTAssertEqual(check.status, 2)
        XCTAssertTrue(check.stderr.contains("档案库不存在"), check.stderr)
        XCTAssertEqual(try CLI.run(["archive", "list", "--db", database]).status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }

    func testArchiveHeldByAnotherProcessGivesAClearMessageWithinTheWait() throws {
        XCTAssertEqual(try CLI.run(["archive", "add", sample("2023-06/南昌县-就业培训一.xlsx"), "--db", database]).status, 0)
        let holder = Process()
        let input = Pipe(), output = Pipe()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["timeout", "30", "python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            sys.stdin.read()
            """, database]
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        var said = Data()
        while !said.contains(UInt8(ascii: "\n")) {
            let more = output.fileHandleForReading.availableData
            if more.isEmpty { break }
            said += more
        }
        XCTAssertEqual(String(decoding: said, as: UTF8.self), "locked\n")

        let started = Date()
        let blocked = try CLI.run(["archive", "add", sample("2023-07/南昌县-就业培训一.xlsx"), "--db", database, "--wait", "1"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(blocked.status, 2)
        XCTAssertTrue(blocked.stderr.contains("档案库正被另一个程序使用"), blocked.stderr)
        XCTAssertTrue(blocked.stderr.contains("等待 1 秒后仍未释放"), blocked.stderr)
        // Reading is not blocked (WAL): check --archive still runs.
        let check = try CLI.run(["check", "--archive", database, sample("2023-07/南昌县-就业培训一.xlsx")])
        XCTAssertEqual(check.status, 1, check.stderr)
    }

    func testTwoProcessesAddingAtOnceBothSucceedOneWaitingForTheOther() throws {
        func start(_ folder: String) throws -> Process {
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["archive", "add", sample(folder), "--db", database]
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        let june = try start("2023-06"), july = try start("2023-07")
        june.waitUntilExit()
        july.waitUntilExit()
        XCTAssertEqual([june.terminationStatus, july.terminationStatus], [0, 0])
        let list = try CLI.run(["archive", "list", "--db", database, "--format", "json"])
        let listing = try XCTUnwrap(JSONSerialization.jsonObject(with: list.stdoutData) as? [String: Any])
        XCTAssertEqual((listing["periods"] as? [[String: Any]])?.map { "\($0["template"]!) \($0["period"]!)" },
                       ["employment-training-1 2023-06", "employment-training-1 2023-07",
                        "social-insurance-2 2023-06", "social-insurance-2 2023-07"])
        XCTAssertEqual((listing["files"] as? [Any])?.count, 53)
    }

    func testMergeAndNormalizeWithAnArchiveStoreWhatTheyRead() throws {
        let normalize = try CLI.run(["normalize", sample("2023-06"), "-o", folder.appendingPathComponent("june.csv").path,
                                     "--archive", database])
        XCTAssertEqual(normalize.status, 0, normalize.stderr)
        XCTAssertTrue(normalize.stderr.contains("26 个文件存入"), normalize.stderr)

        let report = folder.appendingPathComponent("merge.json").path
        let merge = try CLI.run(["merge", sample("2023-07"), "--template", "social-insurance-2", "-o",
                                 folder.appendingPathComponent("附件4.xlsx").path, "--report", report, "--archive", database])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        let mergedFindings = try XCTUnwrap(json["findings"] as? [[String: Any]])
        XCTAssertFalse(mergedFindings.contains { ($0["rule"] as? String) == "month-on-month-mismatch" })
        // Only the returns used are stored (安义县's CSV repeats its xlsx; the 就业培训一 returns are not this layout).
        XCTAssertTrue(merge.stderr.contains("13 个文件存入"), merge.stderr)
        let query = try CLI.run(["archive", "query", "--db", database, "--template", "social-insurance-2", "--period", "2023-07"])
        XCTAssertEqual(query.lines.count, 1 + 13 * 13)
    }
}
