import Foundation
import XCTest

/// `annex read` and `annex write` on the bundled samples and seed tables.
final class ReadWriteCommandTests: XCTestCase {
    func testReadRecognisesTheLayoutAndWritesCanonicalCSV() throws {
        let sample = CLI.packageRoot.appendingPathComponent("samples/annexes/2023-07-就业培训一.xlsx").path
        let result = try CLI.run(["read", sample])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.lines
        XCTAssertEqual(lines.first, "template,period,unit,indicator,measure,value,status")
        XCTAssertTrue(lines.contains("employment-training-1,2023-07,全市,城镇人数新增就业,本月完成,3584,value"), result.stdout)
        XCTAssertTrue(lines.contains("employment-training-1,2023-07,全市,零就业家庭就业安置率,,100,value"))
        XCTAssertTrue(lines.contains("employment-training-1,2023-07,市本级,城镇人数新增就业,本月完成,-,not_assigned"))
        XCTAssertEqual(lines.count, 1 + 14 * 19)

        let provenance = try CLI.run(["read", sample, "--provenance"]).lines
        XCTAssertEqual(provenance.first, "template,period,unit,indicator,measure,value,status,source,sheet,cell")
        XCTAssertTrue(provenance.contains { $0.hasPrefix("employment-training-1,2023-07,全市,城镇人数新增就业,本月完成,3584,value,\(sample),") && $0.hasSuffix(",B6") },
                      provenance.prefix(3).joined(separator: "\n"))
    }

    func testWriteThenReadGivesTheSameObservations() throws {
        let dir = try CLI.temporaryDirectory()
        let sample = CLI.packageRoot.appendingPathComponent("samples/annexes/2023-07-就业培训一.xlsx").path
        let canonical = dir.appendingPathComponent("c.csv")
        XCTAssertEqual(try CLI.run(["read", sample, "-o", canonical.path]).status, 0)
        let jsonl = dir.appendingPathComponent("c.jsonl")
        XCTAssertEqual(try CLI.run(["read", sample, "-o", jsonl.path]).status, 0)
        let firstLine = try String(contentsOf: jsonl, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertEqual(firstLine, #"{"template": "employment-training-1", "period": "2023-07", "unit": "全市", "indicator": "城镇人数新增就业", "measure": "本月完成", "value": "3584", "status": "value"}"#)

        let annex = dir.appendingPathComponent("附件1.xlsx")
        let written = try CLI.run(["write", jsonl.path, "--template", "employment-training-1", "-o", annex.path])
        XCTAssertEqual(written.status, 0, written.stderr)
        let back = try CLI.run(["read", annex.path])
        XCTAssertEqual(back.status, 0, back.stderr)
        let original = try String(contentsOf: canonical, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(back.lines, original)
    }

    /// Canonical files are data: a form's 指标值 `=100%` is written exactly, never `'=100%`, and reads
    /// back the same; a CSV of the layout for people (`write … .csv`) is protected unless asked not to be.
    func testCanonicalValuesAreExactAndOnlyPeoplesCSVIsProtected() throws {
        let dir = try CLI.temporaryDirectory()
        let sample = CLI.packageRoot.appendingPathComponent("samples/annexes/2024-项目支出绩效目标表.xlsx")
        let canonical = dir.appendingPathComponent("form.csv")
        XCTAssertEqual(try CLI.run(["read", sample.path, "-o", canonical.path]).status, 0)
        let text = try String(contentsOf: canonical, encoding: .utf8)
        XCTAssertTrue(text.contains(",指标值,=100%,value,"), text)
        XCTAssertFalse(text.contains("'="), text)
        let jsonl = dir.appendingPathComponent("form.jsonl")
        XCTAssertEqual(try CLI.run(["read", sample.path, "-o", jsonl.path]).status, 0)
        XCTAssertTrue(try String(contentsOf: jsonl, encoding: .utf8).contains("\"value\": \"=100%\""))

        // canonical → annex → canonical: the same text.
        let annex = dir.appendingPathComponent("form.xlsx"), again = dir.appendingPathComponent("again.csv")
        XCTAssertEqual(try CLI.run(["write", canonical.path, "--template", "project-performance", "-o", annex.path]).status, 0)
        XCTAssertEqual(try CLI.run(["read", annex.path, "-o", again.path]).status, 0)
        XCTAssertEqual(try String(contentsOf: again, encoding: .utf8), text)

        let forPeople = dir.appendingPathComponent("people.csv"), forPrograms = dir.appendingPathComponent("programs.csv")
        XCTAssertEqual(try CLI.run(["write", canonical.path, "--template", "project-performance", "-o", forPeople.path]).status, 0)
        XCTAssertTrue(try String(contentsOf: forPeople, encoding: .utf8).contains(",'=100%"))
        XCTAssertEqual(try CLI.run(["write", canonical.path, "--template", "project-performance", "-o", forPrograms.path,
                                    "--no-formula-protection"]).status, 0)
        let plain = try String(contentsOf: forPrograms, encoding: .utf8)
        XCTAssertTrue(plain.contains(",=100%") && !plain.contains("'="), plain)
    }

    /// Every bundled sample is recognised without --template and without --period (部门支出总表 and 三公
    /// print no year: their file names give it).
    func testEverySampleIsRecognised() throws {
        let expected: [String: String] = [
            "2021-年度全省就业工作目标任务分解表.xlsx": "employment-targets", "2023-07-就业培训一.xlsx": "employment-training-1",
            "2023-07-就业培训二.xlsx": "employment-training-2", "2023-07-社会保险一.xlsx": "social-insurance-1",
            "2023-07-社会保险二.xlsx": "social-insurance-2", "2024-一般公共预算基本支出表.xlsx": "budget-basic-expenditure",
            "2024-一般公共预算支出表.xlsx": "budget-general-expenditure", "2024-财政拨款三公经费支出表.xlsx": "budget-three-public",
            "2024-部门支出总表.xlsx": "budget-expenditure", "2024-部门整体支出绩效目标表.xlsx": "department-performance",
            "2024-项目支出绩效目标表.xlsx": "project-performance",
            "2023-07-messy-社会保险一.xlsx": "social-insurance-1", "2023-07-南昌县-就业培训一.xlsx": "employment-training-1",
            "2023-07-就业培训二-gb18030.csv": "employment-training-2", "2023-07-就业培训二-utf8-bom.csv": "employment-training-2",
        ]
        var seen = 0
        for folder in ["samples/annexes", "samples/district-returns"] {
            let directory = CLI.packageRoot.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
                let result = try CLI.run(["read", directory.appendingPathComponent(name).path])
                XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
                let templates = Set(result.lines.dropFirst().map { String($0.prefix { $0 != "," }) })
                XCTAssertEqual(templates, [expected[name] ?? "?"], name)
                let periods = Set(result.lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] })
                XCTAssertEqual(periods.count, 1, name)
                XCTAssertTrue(name.hasPrefix(String(periods.first ?? "?")), "\(name): \(periods)")
                seen += 1
            }
        }
        XCTAssertEqual(seen, expected.count)
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
