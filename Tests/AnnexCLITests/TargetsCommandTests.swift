import Foundation
import XCTest
import AnnexTestSupport

/// `--targets` on `merge` and `check`: 社会保险一 states the annual targets (目标任务) of 社会保险二's
/// 机关事业单位养老保险 columns, which 社会保险二 prints without a 目标任务 column.
final class TargetsCommandTests: XCTestCase {
    static let samples = CLI.packageRoot.appendingPathComponent("samples")
    static let returns = samples.appendingPathComponent("returns/2023-07").path
    static let insurance1 = samples.appendingPathComponent("annexes/2023-07-社会保险一.xlsx").path
    static let insurance2 = samples.appendingPathComponent("annexes/2023-07-社会保险二.xlsx").path

    private func problems(_ report: URL) throws -> [[String: Any]] {
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        return try XCTUnwrap(object["problems"] as? [[String: Any]])
    }

    /// 全市's 机关事业单位 占全年任务 = 157526 ÷ 156500 and 100883 ÷ 100500 (社会保险一's targets), as the
    /// seed prints them; 失业保险 and 工伤保险 have no target and stay empty with the warning; 社会保险一's
    /// 南昌市 (a misprint of 南昌县) is ignored with an info line.
    func testMergeComputesTheCityRatiosFromTheTargetsOfSocialInsurance1() throws {
        let directory = try CLI.temporaryDirectory()
        let out = directory.appendingPathComponent("附件4.xlsx"), report = directory.appendingPathComponent("r.json")
        let result = try CLI.run(["merge", Self.returns, "--template", "social-insurance-2", "-o", out.path,
                                  "--report", report.path, "--targets", Self.insurance1])
        XCTAssertEqual(result.status, 0, result.stderr)
        try TestSupport.assertValidOOXML(out.path)

        let merged = try CLI.readBack(out.path)
        let seed = try CLI.readBack(Self.insurance2)
        for indicator in ["机关事业单位养老保险 / 参保人数(含离退休人数)", "机关事业单位养老保险 / 在职参保人数"] {
            let key = "全市|\(indicator)|占全年任务"
            XCTAssertEqual(merged[key], seed[key], key)
        }
        XCTAssertEqual(merged["全市|机关事业单位养老保险 / 参保人数(含离退休人数)|占全年任务"], "100.66|value")
        XCTAssertEqual(merged["全市|机关事业单位养老保险 / 在职参保人数|占全年任务"], "100.38|value")
        XCTAssertEqual(merged["全市|失业保险参保人数|占全年任务"], "|empty")
        XCTAssertEqual(merged["全市|工伤保险参保人数|占全年任务"], "|empty")

        let problems = try problems(report)
        let notComputed = try XCTUnwrap(problems.first { $0["kind"] as? String == "not-computed" })
        let message = try XCTUnwrap(notComputed["message"] as? String)
        XCTAssertTrue(message.contains("失业保险参保人数") && !message.contains("机关事业单位"), message)
        let ignored = problems.filter { $0["kind"] as? String == "unknown-target-unit" }
        XCTAssertEqual(ignored.map { $0["unit"] as? String }, ["南昌市"])
        XCTAssertEqual(ignored.first?["severity"] as? String, "info")
        XCTAssertTrue(result.stderr.contains("南昌市"), result.stderr)
    }

    /// The seed 社会保险二 agrees with 社会保险一's targets; a copy with 高新区's ratio typed 104.96 for
    /// 104.69 is a ratio-mismatch naming the target and where it came from.
    func testCheckVerifiesPrintedRatiosAgainstTheTargets() throws {
        let consistent = try CLI.run(["check", Self.insurance2, "--targets", Self.insurance1, "--format", "json"])
        let findings = try XCTUnwrap(JSONSerialization.jsonObject(with: consistent.stdoutData) as? [[String: Any]])
        XCTAssertEqual(findings.filter { $0["rule"] as? String == "ratio-mismatch" }.count, 0, consistent.stdout)
        XCTAssertTrue(consistent.stderr.contains("南昌市"), consistent.stderr)

        let directory = try CLI.temporaryDirectory()
        let wrong = directory.appendingPathComponent("2023-07-社会保险二.xlsx").path
        try TestSupport.python(["-c", """
            import openpyxl, sys
            book = openpyxl.load_workbook(sys.argv[1])
            sheet = book.active
            for row in sheet.iter_rows(min_row=7):
                if row[0].value == "高新区":
                    row[3].value = 1.0496
            book.save(sys.argv[2])
            """, Self.insurance2, wrong])
        let result = try CLI.run(["check", wrong, "--targets", Self.insurance1, "--format", "json"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let mismatches = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
            .filter { $0["rule"] as? String == "ratio-mismatch" }
        XCTAssertEqual(mismatches.count, 1, result.stdout)
        let mismatch = try XCTUnwrap(mismatches.first)
        XCTAssertEqual(mismatch["unit"] as? String, "高新区")
        XCTAssertEqual(mismatch["cell"] as? String, "D19")
        XCTAssertEqual(mismatch["expected"] as? String, "104.69")
        XCTAssertEqual(mismatch["actual"] as? String, "104.96")
        let message = try XCTUnwrap(mismatch["message"] as? String)
        XCTAssertTrue(message.contains("3540") && message.contains("社会保险一"), message)

        // Without targets the column has nothing to be checked against.
        let plain = try CLI.run(["check", wrong, "--format", "json"])
        XCTAssertFalse(plain.stdout.contains("ratio-mismatch"), plain.stdout)
    }

    /// A canonical file whose measure is 目标任务 serves as targets as well.
    func testCanonicalTargetsFile() throws {
        let directory = try CLI.temporaryDirectory()
        let targets = directory.appendingPathComponent("targets.csv")
        try """
            template,period,unit,indicator,measure,value,status
            social-insurance-1,2023,高新区,机关事业单位养老保险 / 参保人数(含离退休人数),目标任务,3600,value
            """.write(to: targets, atomically: true, encoding: .utf8)
        let result = try CLI.run(["check", Self.insurance2, "--targets", targets.path, "--format", "json"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let mismatches = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
            .filter { $0["rule"] as? String == "ratio-mismatch" }
        XCTAssertEqual(mismatches.map { $0["expected"] as? String }, ["102.94"])  // 3706 ÷ 3600 × 100

        let none = directory.appendingPathComponent("none.csv")
        try "template,period,unit,indicator,measure,value,status\nx,2023,高新区,a,累计完成,1,value\n"
            .write(to: none, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["check", Self.insurance2, "--targets", none.path])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("没有任何目标任务"), refused.stderr)
    }
}
