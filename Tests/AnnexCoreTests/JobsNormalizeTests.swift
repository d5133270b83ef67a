import Foundation
import XCTest
@testable import AnnexCore

/// `annex normalize` in the library: the walk, per-sheet failures, deterministic output, progress.
final class JobsNormalizeTests: XCTestCase {
    let library = JobsFixture.library

    /// A folder as a data office finds it: returns in subfolders, a CSV, a corrupt workbook, an
    /// unrelated workbook, a workbook with a second sheet in no layout, an Excel lock file, hidden files.
    func makeFolder() throws -> (URL, [String: URL]) {
        let root = try JobsFixture.temporaryDirectory("normalize")
        let fm = FileManager.default
        for folder in ["2023/07", "2023/06", ".git"] {
            try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        var files: [String: URL] = [:]
        let et1 = try library.template("employment-training-1")
        let si2 = try library.template("social-insurance-2")
        let et1Seed = try JobsFixture.seed(et1.id), si2Seed = try JobsFixture.seed(si2.id)

        files["csv"] = root.appendingPathComponent("2023/07/南昌县-就业培训一.csv")
        try JobsFixture.csvReturn(et1, period: "2023-07", rows: [et1Seed[2]]).write(to: files["csv"]!, atomically: true, encoding: .utf8)
        files["xlsx"] = root.appendingPathComponent("2023/07/b-社会保险二.xlsx")
        try JobsFixture.xlsxReturn(si2, period: "2023-07", rows: [si2Seed[2], si2Seed[3]], to: files["xlsx"]!)
        files["june"] = root.appendingPathComponent("2023/06/A-社会保险二.CSV")
        try JobsFixture.csvReturn(si2, period: "2023-06", rows: [si2Seed[4]]).write(to: files["june"]!, atomically: true, encoding: .utf8)
        // Two sheets: a return and a sheet of notes in no layout.
        let twoSheets = try TableRenderer.render([Observation(template: et1.id, period: "2023-07", unit: "西湖区", indicator: "零就业家庭就业安置率",
                                                              measure: "", value: "100", status: .value)], template: et1)
        let notes = Sheet(name: "填表说明", cells: [Cell(reference: CellReference("A1")!, value: .string("请于每月5日前报送"))])
        files["two"] = root.appendingPathComponent("2023/07/c-two-sheets.xlsx")
        try XLSXWriter.write(Workbook(sheets: [twoSheets, notes]), to: files["two"]!.path)
        files["corrupt"] = root.appendingPathComponent("2023/07/corrupt.xlsx")
        var bytes = try Data(contentsOf: files["xlsx"]!)
        bytes = bytes.prefix(bytes.count / 2)
        try bytes.write(to: files["corrupt"]!)
        files["unrelated"] = root.appendingPathComponent("2023/食堂采购.xlsx")
        let purchase = Sheet(name: "采购明细", cells: [
            Cell(reference: CellReference("A1")!, value: .string("序号")), Cell(reference: CellReference("B1")!, value: .string("品名")),
            Cell(reference: CellReference("C1")!, value: .string("金额（元）")),
            Cell(reference: CellReference("A2")!, value: .number("1")), Cell(reference: CellReference("B2")!, value: .string("大米")),
            Cell(reference: CellReference("C2")!, value: .number("1638")),
        ])
        try XLSXWriter.write(Workbook(sheets: [purchase]), to: files["unrelated"]!.path)
        files["lock"] = root.appendingPathComponent("2023/07/~$b-社会保险二.xlsx")
        try Data(repeating: 0x20, count: 165).write(to: files["lock"]!)
        try Data("x".utf8).write(to: root.appendingPathComponent("2023/07/.hidden.csv"))
        try Data("x".utf8).write(to: root.appendingPathComponent(".git/config.csv"))
        try Data("notes".utf8).write(to: root.appendingPathComponent("2023/07/readme.txt"))
        return (root, files)
    }

    func testWalkTakesSpreadsheetsSortedAndNotesLockFiles() throws {
        let (root, files) = try makeFolder()
        let walk = try FileWalk([root.path + "/", files["csv"]!.path], excluding: [root.appendingPathComponent("2023/食堂采购.xlsx").path])
        let base = root.path
        XCTAssertEqual(walk.files, [
            base + "/2023/06/A-社会保险二.CSV", base + "/2023/07/b-社会保险二.xlsx", base + "/2023/07/c-two-sheets.xlsx",
            base + "/2023/07/corrupt.xlsx", base + "/2023/07/南昌县-就业培训一.csv",
        ])
        XCTAssertEqual(walk.skipped.map(\.file), [base + "/2023/07/~$b-社会保险二.xlsx"])
        XCTAssertTrue(walk.skipped[0].reason.contains("锁定文件"))
        XCTAssertThrowsError(try FileWalk([base + "/nothing-here"])) { error in
            XCTAssertTrue("\(error)".contains("找不到"), "\(error)")
        }
    }

    func testEverySheetIsReadOrNamedWithItsReason() throws {
        let (root, files) = try makeFolder()
        let walk = try FileWalk([root.path])
        let normalizer = Normalizer(reader: AnnexReader(library: library), jobs: 3)
        var written: [Observation] = []
        let summary = try normalizer.run(files: walk.files) { written += $0 }
        XCTAssertEqual(summary.files, 6)
        XCTAssertEqual(summary.filesRead, 4)
        XCTAssertEqual(summary.sheetsRead, 4)
        XCTAssertEqual(summary.templates, ["employment-training-1": 2, "social-insurance-2": 2])
        XCTAssertEqual(summary.observations, written.count)
        // 南昌县 (19 cells), the rendered tables (14 rows × 19, 14 rows × 13), June (13).
        XCTAssertEqual(written.count, 19 + 14 * 19 + 14 * 13 + 13)
        let failures = summary.failures.map { "\($0.file.replacingOccurrences(of: root.path + "/", with: ""))|\($0.sheet)" }
        XCTAssertEqual(failures, ["2023/07/c-two-sheets.xlsx|填表说明", "2023/07/corrupt.xlsx|", "2023/食堂采购.xlsx|采购明细"])
        XCTAssertTrue(summary.failures[0].reason.contains("无法识别表格格式"), summary.failures[0].reason)
        XCTAssertFalse(summary.failures[1].reason.isEmpty)
        XCTAssertEqual(summary.filesWithFailures, 3)

        // Order: by path, then sheet, then cell (row-major); provenance on every observation.
        XCTAssertEqual(written.first?.extra["source"], files["june"]!.path)
        XCTAssertEqual(written.first?.period, "2023-06")
        XCTAssertEqual(written.last?.extra["source"], files["csv"]!.path)
        XCTAssertEqual(written.last?.unit, "南昌县")
        var previous: (String, Int, Int) = ("", -1, -1)
        for observation in written {
            let cell = try XCTUnwrap(CellReference(observation.extra["cell"] ?? ""))
            let key = (observation.extra["source"]!, cell.row, cell.column)
            if key.0 == previous.0 { XCTAssertTrue((key.1, key.2) > (previous.1, previous.2), "\(key) after \(previous)") }
            previous = key
        }
        let nanchang = written.first { $0.extra["source"] == files["csv"]!.path && $0.indicator == "城镇人数新增就业" && $0.measure == "累计完成" }
        XCTAssertEqual(nanchang?.value, "3290")
        XCTAssertEqual(nanchang?.extra["cell"], "C6")

        let json = summary.json(inputs: [root.path], output: "all.csv")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["files_read"] as? Int, 4)
        XCTAssertEqual(object["sheets_read"] as? Int, 4)
        XCTAssertEqual(object["observations"] as? Int, written.count)
        XCTAssertEqual((object["failures"] as? [[String: String]])?.map { $0["file"] ?? "" }, summary.failures.map(\.file))
    }

    /// The same bytes whatever the number of workers, CSV and JSON Lines; the CSV reads back.
    /// A long list in no layout (a person-level register) is refused from its first rows: the bytes on
    /// line 40001 are invalid in every encoding, so reading the whole file would fail there instead.
    /// (The file is large enough for the two-thread CSV reader, which must stop when told.)
    /// A recognised layout longer than the first rows is still read whole (the 16-project form of
    /// FormTemplateTests spans more than 300 rows).
    func testLongSheetInNoLayoutIsRefusedFromItsFirstRows() throws {
        let root = try JobsFixture.temporaryDirectory("long-list")
        var bytes = Array("序号,姓名,金额\n".utf8)
        for n in 1..<40_000 { bytes += Array("\(n),张三,1638\n".utf8) }
        bytes += [0x78, 0x2C, 0xFF, 0x2C, 0x31, 0x0A]
        let file = root.appendingPathComponent("人员名单.csv")
        try Data(bytes).write(to: file)
        let reader = AnnexReader(library: library)
        XCTAssertThrowsError(try reader.read(file: file.path)) { error in
            XCTAssertTrue((error as? AnnexError)?.reason.hasPrefix("无法识别表格格式") ?? false, "\(error)")
        }
        let outcomes = reader.readEverySheet(file: file.path)
        XCTAssertEqual(outcomes.count, 1)
        guard case .failed(let error)? = outcomes.first?.outcome else { return XCTFail("\(outcomes)") }
        XCTAssertTrue(error.reason.hasPrefix("无法识别表格格式"), error.reason)
        // Named explicitly, the whole file is read, and its bad bytes are found.
        XCTAssertThrowsError(try reader.read(file: file.path, templateID: "social-insurance-2")) { error in
            XCTAssertEqual((error as? AnnexError)?.location, "第 40001 行", "\(error)")
        }
    }

    func testOutputIsTheSameBytesWhateverTheScheduling() throws {
        let (root, _) = try makeFolder()
        // More files, so that workers really overtake each other.
        let et1 = try library.template("employment-training-1")
        for (index, row) in try JobsFixture.seed(et1.id).dropFirst().enumerated() {
            try JobsFixture.csvReturn(et1, period: "2023-07", rows: [row])
                .write(to: root.appendingPathComponent("2023/07/et1-\(index).csv"), atomically: true, encoding: .utf8)
        }
        let walk = try FileWalk([root.path])
        let out = try JobsFixture.temporaryDirectory("out")
        var outputs: [String: Data] = [:]
        for jobs in [1, 2, 8] {
            for suffix in ["csv", "jsonl"] {
                let path = out.appendingPathComponent("all-\(jobs).\(suffix)").path
                let stream = try CanonicalStream(path: path)
                _ = try Normalizer(reader: AnnexReader(library: library), jobs: jobs).run(files: walk.files) { try stream.write($0) }
                try stream.commit()
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                if let first = outputs[suffix] { XCTAssertEqual(first, data, "--jobs \(jobs) \(suffix)") } else { outputs[suffix] = data }
            }
        }
        let back = try CanonicalFiles.read(path: out.appendingPathComponent("all-2.csv").path)
        XCTAssertEqual(back.count, 19 + 14 * 19 + 14 * 13 + 13 + 13 * 19)
        XCTAssertEqual(String(decoding: outputs["csv"]!.prefix(200), as: UTF8.self).split(separator: "\r\n").first,
                       "template,period,unit,indicator,measure,value,status,unit_name,department,department_name,instance,source,sheet,cell")
        let jsonLine = String(decoding: outputs["jsonl"]!, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(jsonLine.hasPrefix("{\"template\": \"social-insurance-2\", \"period\": \"2023-06\""), jsonLine)
    }

    /// A sink that fails stops the run: the error comes back once the workers have stopped, and
    /// the files before it were handed over in order, each once, whoever read them.
    func testASinkErrorStopsTheRunAfterTheFilesBeforeIt() throws {
        struct DiskFull: Error {}
        let (root, _) = try makeFolder()
        let walk = try FileWalk([root.path])
        for jobs in [1, 2, 4] {
            var sources: [String] = []
            XCTAssertThrowsError(try Normalizer(reader: AnnexReader(library: library), jobs: jobs).run(files: walk.files) { observations in
                if sources.count == 2 { throw DiskFull() }
                sources.append(observations.first?.extra["source"] ?? "")
            }) { error in
                XCTAssertTrue(error is DiskFull, "\(error)")
            }
            XCTAssertEqual(sources, Array(walk.files.prefix(2)), "--jobs \(jobs)")
        }
    }

    /// `--period` is for sheets that state none; a sheet's own title wins.
    func testThePeriodOptionIsAFallback() throws {
        let directory = try JobsFixture.temporaryDirectory("fallback")
        let template = try library.template("social-insurance-2")
        let row = try JobsFixture.seed(template.id)[1]
        let june = directory.appendingPathComponent("a.csv"), untitled = directory.appendingPathComponent("b.csv")
        try JobsFixture.csvReturn(template, period: "2023-06", rows: [row]).write(to: june, atomically: true, encoding: .utf8)
        try JobsFixture.csvReturn(template, period: "2023-06", rows: [row], lines: ["社会保险二", "单位：人、%"])
            .write(to: untitled, atomically: true, encoding: .utf8)
        var observations: [Observation] = []
        let withOption = Normalizer(reader: AnnexReader(library: library, options: .init(period: "2023-07")), jobs: 2)
        var summary = try withOption.run(files: [june.path, untitled.path]) { observations += $0 }
        XCTAssertEqual(summary.failures, [])
        XCTAssertEqual(Set(observations.filter { $0.extra["source"] == june.path }.map(\.period)), ["2023-06"])
        XCTAssertEqual(Set(observations.filter { $0.extra["source"] == untitled.path }.map(\.period)), ["2023-07"])
        // Without the option the untitled sheet cannot be placed in time: a failure naming why.
        summary = try Normalizer(reader: AnnexReader(library: library), jobs: 1).run(files: [june.path, untitled.path]) { _ in }
        XCTAssertEqual(summary.failures.map(\.file), [untitled.path])
        XCTAssertTrue(summary.failures[0].reason.contains("统计期"), summary.failures[0].reason)
    }

    func testProgressDrawsOnlyWhenEnabled() {
        final class Sink: @unchecked Sendable {
            var text = ""
            let lock = NSLock()
            func append(_ s: String) { lock.lock(); text += s; lock.unlock() }
        }
        let silent = Sink()
        let off = ProgressMeter(total: 3, enabled: false, write: { silent.append($0) })
        off.advance(); off.advance(failed: true); off.advance(); off.finish()
        XCTAssertEqual(silent.text, "")

        let shown = Sink()
        let on = ProgressMeter(total: 2, enabled: true, write: { shown.append($0) })
        on.advance(failed: true)
        on.advance()
        on.finish()
        XCTAssertTrue(shown.text.hasPrefix("\r[--------------------] 0/2 个文件"), shown.text)
        XCTAssertTrue(shown.text.contains("[####################] 2/2 个文件"), shown.text)
        XCTAssertTrue(shown.text.contains("失败 1"), shown.text)
        XCTAssertTrue(shown.text.hasSuffix("\r\u{1B}[K"), shown.text)

        XCTAssertEqual(ProgressMeter.line(done: 37, total: 120, failed: 2, elapsed: 3),
                       "[######--------------] 37/120 个文件  12 个/秒  剩余约 7 秒  失败 2")
        XCTAssertEqual(ProgressMeter.line(done: 1, total: 4, failed: 0, elapsed: 2),
                       "[#####---------------] 1/4 个文件  0.5 个/秒  剩余约 6 秒")
    }
}
