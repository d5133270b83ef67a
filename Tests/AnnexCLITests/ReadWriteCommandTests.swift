import Foundation
import XCTest

/// `annex read` and `annex write` on the bundled samples and seed tables.
final class ReadWriteCommandTests: XCTestCase {
    func testReadRecognisesTheLayoutAndWritesCanonicalCSV() throws {
        let sample = CLI.packageRoot.appendingPathComponent("samples/2023-07-就业培训一二.xlsx").path
        let result = try CLI.run(["read", sample])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.lines
        XCTAssertEqual(lines.first, "template,period,unit,indicator,measure,value,status")
        XCTAssertTrue(lines.contains("employment-training-1,2023-07,全市,城镇人数新增就业,本月完成,3584,value"), result.text)
        XCTAssertTrue(lines.contains("employment-training-1,2023-07,全市,零就业家庭就业安置率,,100,value"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("employment-training-2,2023-07,市本级,") && $0.hasSuffix(",-,not_assigned") })

        let provenance = try CLI.run(["read", sample, "--provenance", "--sheet", "就业培训二"]).lines
        XCTAssertEqual(provenance.first, "template,period,unit,indicator,measure,value,status,source,sheet,cell")
        XCTAssertTrue(provenance.contains { $0.hasSuffix(",\(sample),就业培训二,B6") }, provenance.joined(separator: "\n"))
    }

    func testWriteThenReadGivesTheSameObservations() throws {
        let dir = try CLI.temporaryDirectory()
        let sample = CLI.packageRoot.appendingPathComponent("samples/2023-07-就业培训一二.xlsx").path
        let canonical = dir.appendingPathComponent("c.csv")
        XCTAssertEqual(try CLI.run(["read", sample, "--sheet", "就业培训一", "-o", canonical.path]).status, 0)
        let jsonl = dir.appendingPathComponent("c.jsonl")
        XCTAssertEqual(try CLI.run(["read", sample, "--sheet", "就业培训一", "-o", jsonl.path]).status, 0)
        let firstLine = try String(contentsOf: jsonl, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertEqual(firstLine, #"{"template": "employment-training-1", "period": "2023-07", "unit": "全市", "indicator": "城镇人数新增就业", "measure": "本月完成", "value": "3584", "status": "value"}"#)

        let annex = dir.appendingPathComponent("附件1.xlsx")
        let written = try CLI.run(["write", jsonl.path, "--template", "employment-training-1", "-o", annex.path])
        XCTAssertEqual(written.status, 0, written.stderr)
        let back = try CLI.run(["read", annex.path])
        XCTAssertEqual(back.status, 0, back.stderr)
        // Units the return did not hold are empty rows in the annex: compare the ones it held.
        let original = Set(try String(contentsOf: canonical, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n").map(String.init))
        let roundTrip = back.lines.filter { !$0.hasSuffix(",,empty") }
        XCTAssertEqual(Set(roundTrip), original)
    }

    func testWriteRefusesObservationsThatDoNotFit() throws {
        let dir = try CLI.temporaryDirectory()
        let canonical = dir.appendingPathComponent("c.csv")
        try Data("""
            template,period,unit,indicator,measure,value,status
            employment-training-1,2023-07,南昌市,城镇人数新增就业,本月完成,1,value
            employment-training-1,2023-07,全市,不存在的指标,本月完成,1,value

            """.utf8).write(to: canonical)
        let out = dir.appendingPathComponent("out.xlsx")
        let result = try CLI.run(["write", canonical.path, "--template", "employment-training-1", "-o", out.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("南昌市"), result.stderr)
        XCTAssertTrue(result.stderr.contains("不存在的指标"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testComputeFillsTotalsAndRatiosExactly() throws {
        let dir = try CLI.temporaryDirectory()
        let canonical = dir.appendingPathComponent("c.csv")
        // 社会保险一: 占全年任务 = 累计完成 / 目标任务 × 100, rounded half up (30695 / 27000 → 113.69).
        try Data("""
            template,period,unit,indicator,measure,value,status
            social-insurance-1,2023-07,东湖区,城镇职工基本养老保险 / 在职参保人数,累计完成,30695,value
            social-insurance-1,2023-07,东湖区,城镇职工基本养老保险 / 在职参保人数,目标任务,27000,value
            social-insurance-1,2023-07,西湖区,城镇职工基本养老保险 / 在职参保人数,累计完成,46853,value
            social-insurance-1,2023-07,西湖区,城镇职工基本养老保险 / 在职参保人数,目标任务,42000,value

            """.utf8).write(to: canonical)
        let out = dir.appendingPathComponent("out.xlsx")
        let written = try CLI.run(["write", canonical.path, "--template", "social-insurance-1", "-o", out.path, "--compute"])
        XCTAssertEqual(written.status, 0, written.stderr)
        let lines = try CLI.run(["read", out.path]).lines
        let path = "城镇职工基本养老保险 / 在职参保人数"
        XCTAssertTrue(lines.contains("social-insurance-1,2023-07,东湖区,\(path),占全年任务,113.69,value"), lines.joined(separator: "\n"))
        // 46853 / 42000 = 1.1155476…: 111.55 (the seed prints 111.56, which `check` reports).
        XCTAssertTrue(lines.contains("social-insurance-1,2023-07,西湖区,\(path),占全年任务,111.55,value"))
        XCTAssertTrue(lines.contains("social-insurance-1,2023-07,全市,\(path),累计完成,77548,value"))
        // The total's ratio comes from the computed totals: 77548 / 69000 = 1.12388…
        XCTAssertTrue(lines.contains("social-insurance-1,2023-07,全市,\(path),目标任务,69000,value"))
        XCTAssertTrue(lines.contains("social-insurance-1,2023-07,全市,\(path),占全年任务,112.39,value"))
    }
}
