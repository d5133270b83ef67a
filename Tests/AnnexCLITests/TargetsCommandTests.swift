import Foundation
import XCTest
import AnnexTestSupport

/// `--targets` on `merge` and `check`: 社会保险一 states the annual targets (目标任务) of 社会保险二's
/// 机关事业单位养老保险 columns, which 社会保险二 prints without a 目标任务 column; the province's
/// 年度就业工作目标任务分解表 states the city's (its 南昌 row) for 就业培训一/二 and 社会保险二's 失业保险.
final class TargetsCommandTests: XCTestCase {
    static let samples = CLI.packageRoot.appendingPathComponent("samples")
    static let returns = samples.appendingPathComponent("returns/2023-07").path
    static let insurance1 = samples.appendingPathComponent("annexes/2023-07-社会保险一.xlsx").path
    static let insurance2 = samples.appendingPathComponent("annexes/2023-07-社会保险二.xlsx").path
    static let training1 = samples.appendingPathComponent("annexes/2023-07-就业培训一.xlsx").path
    static let training2 = samples.appendingPathComponent("annexes/2023-07-就业培训二.xlsx").path
    static let employmentTargets2021 = samples.appendingPathComponent("annexes/2021-年度全省就业工作目标任务分解表.xlsx").path
    static let otherCities = ["上饶", "九江", "全省", "吉安", "宜春", "抚州", "新余", "景德镇", "萍乡", "赣州", "鹰潭"]

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

    // MARK: The employment-targets table

    /// A 2023 table as typed by another program (openpyxl): the city as 南昌市, figures in 万人 and
    /// 万元, chosen so that the seed annexes' printed 全市 ratios agree with them (37123 ÷ 59000 =
    /// 62.92 %, 1098977 ÷ 1119800 = 98.14 % …).
    private func employmentTargets2023(in directory: URL) throws -> String {
        try CLI.openpyxlWorkbook("""
            ws.append(["2023年全省就业工作目标任务分解表"])
            ws.append(["地区", "城镇新增就业人数(万人)", "城镇失业人员再就业人数(万人)", "就业困难人员就业人数(万人)",
                       "城镇登记失业率(≤%)", "零就业家庭安置率(%)", "新增农村劳动力转移(万人)",
                       "其中:省内新增农村劳动力转移(万人)", "创业培训(万人/次)", "失业保险参保人数(万人)",
                       "青年见习人数(万人)", "增加担保基金(万元)", "贷款发放任务(万元)", "到期贷款回收率(%)以上"])
            ws.append(["全省", 38.5, 13, 3, 4.5, 100, 52, 37, 12, 310, 1.1, 9000, 1250000, 95])
            ws.append(["南昌市", 5.9, 1.93, 0.52, 4.5, 100, 3.46, 3.1, 2.07, 111.98, 0.1657, 600, 135000, 95])
            ws.append(["九江市", 4.6, 1.5, 0.34, 4.5, 100, 5.74, 3.68, 1.3, 37, 0.11, 1300, 163700, 95])
            """, in: directory, name: "2023年全省就业工作目标任务分解表.xlsx").path
    }

    private func findings(_ result: ProcessResult, rule: String) throws -> [[String: Any]] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
            .filter { $0["rule"] as? String == rule }
    }

    /// The seed table (2021) as targets of the July returns: 全市's 占全年任务 = 累计完成 ÷ (万人 × 10000),
    /// where 就业培训一 prints no 目标任务 column; “4050”人员 has no target there (就业困难人员 is another
    /// indicator) and stays empty with the warning; the other cities and 全省 are ignored (info).
    func testMergeComputesTheCityRatiosFromTheEmploymentTargetsTable() throws {
        let directory = try CLI.temporaryDirectory()
        let out = directory.appendingPathComponent("附件1.xlsx"), report = directory.appendingPathComponent("r.json")
        let result = try CLI.run(["merge", Self.returns, "--template", "employment-training-1", "-o", out.path,
                                  "--report", report.path, "--targets", Self.employmentTargets2021])
        XCTAssertEqual(result.status, 1, result.stderr)  // 湾里管理局 sent no return
        try TestSupport.assertValidOOXML(out.path)

        let merged = try CLI.readBack(out.path)
        XCTAssertEqual(merged["全市|城镇人数新增就业|累计完成"], "36366|value")
        XCTAssertEqual(merged["全市|城镇人数新增就业|占全年任务"], "62.16|value")        // 36366 ÷ 58500 = 62.164…
        XCTAssertEqual(merged["全市|城镇失业人员再就业人数|占全年任务"], "60.92|value")  // 12245 ÷ 20100 = 60.920…
        XCTAssertEqual(merged["全市|创业培训人数|占全年任务"], "72.61|value")            // 12343 ÷ 17000 = 72.605…
        XCTAssertEqual(merged["全市|“4050”人员再就业人数|占全年任务"], "|empty")

        let problems = try problems(report)
        let notComputed = try XCTUnwrap(problems.first { $0["kind"] as? String == "not-computed" })
        let message = try XCTUnwrap(notComputed["message"] as? String)
        XCTAssertTrue(message.contains("“4050”人员再就业人数") && !message.contains("城镇人数新增就业"), message)
        let ignored = problems.filter { $0["kind"] as? String == "unknown-target-unit" }
        XCTAssertEqual(ignored.compactMap { $0["unit"] as? String }, Self.otherCities)
        XCTAssertEqual(Set(ignored.compactMap { $0["severity"] as? String }), ["info"])
        XCTAssertFalse(problems.contains { $0["kind"] as? String == "conflicting-targets" })
        // A 2021 table for a 2023 annex: used, and said once, as a warning naming the file.
        let otherYear = problems.filter { $0["kind"] as? String == "targets-of-another-year" }
        XCTAssertEqual(otherYear.count, 1)
        XCTAssertEqual(otherYear.first?["severity"] as? String, "warning")
        XCTAssertEqual(otherYear.first?["files"] as? [String], [Self.employmentTargets2021])
        XCTAssertTrue((otherYear.first?["message"] as? String ?? "").contains("是 2021 年的目标任务，而本表是 2023 年的"))

        // 社会保险二's 失业保险参保人数 has no target in 社会保险一; the table gives it (66.39 万人).
        let insurance = directory.appendingPathComponent("附件4.xlsx")
        let both = try CLI.run(["merge", Self.returns, "--template", "social-insurance-2", "-o", insurance.path,
                                "--targets", Self.insurance1, "--targets", Self.employmentTargets2021])
        XCTAssertEqual(both.status, 0, both.stderr)
        let sheet = try CLI.readBack(insurance.path)
        XCTAssertEqual(sheet["全市|失业保险参保人数|占全年任务"], "165.53|value")  // 1098977 ÷ 663900 = 165.533…
        XCTAssertEqual(sheet["全市|机关事业单位养老保险 / 参保人数(含离退休人数)|占全年任务"], "100.66|value")
        XCTAssertEqual(sheet["全市|工伤保险参保人数|占全年任务"], "|empty")
    }

    /// check holds the seed annexes' printed 全市 ratios against a 2023 table made by openpyxl (they
    /// agree) and against the seed's 2021 table (they do not: each mismatch names the target and its cell).
    func testCheckVerifiesPrintedRatiosAgainstAnEmploymentTargetsTable() throws {
        let directory = try CLI.temporaryDirectory()
        let table2023 = try employmentTargets2023(in: directory)
        let agreeing = try CLI.run(["check", Self.training1, Self.training2, Self.insurance2, "--targets", table2023,
                                    "--format", "json"])
        XCTAssertEqual(try findings(agreeing, rule: "ratio-mismatch").count, 0, agreeing.stdout)
        XCTAssertTrue(agreeing.stderr.contains("提示：目标任务中的单位“全省”") && agreeing.stderr.contains("“九江”"), agreeing.stderr)
        XCTAssertFalse(agreeing.stderr.contains("“南昌"), agreeing.stderr)
        XCTAssertFalse(agreeing.stderr.contains("年的目标任务"), agreeing.stderr)

        let result = try CLI.run(["check", Self.training1, "--targets", Self.employmentTargets2021, "--format", "json"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.stderr.components(separatedBy: "是 2021 年的目标任务，而本表是 2023 年的").count, 2, result.stderr)
        let mismatches = try findings(result, rule: "ratio-mismatch")
        XCTAssertEqual(mismatches.compactMap { $0["unit"] as? String }, ["全市", "全市", "全市"], result.stdout)
        XCTAssertEqual(mismatches.compactMap { $0["cell"] as? String }, ["D6", "G6", "T6"])
        XCTAssertEqual(mismatches.compactMap { $0["expected"] as? String }, ["63.46", "62.53", "72.61"])
        XCTAssertEqual(mismatches.compactMap { $0["actual"] as? String }, ["62.92", "65.12", "59.63"])
        let message = try XCTUnwrap(mismatches.first?["message"] as? String)
        XCTAssertTrue(message.contains("目标任务 58500（\(Self.employmentTargets2021) B4）"), message)
    }

    /// Two targets files with different figures for one unit and indicator: a warning naming both
    /// files and figures, and the first given on the command line is used; the same figure twice is silent.
    func testTargetsFilesThatDisagreeAreAWarningAndTheFirstGivenWins() throws {
        let directory = try CLI.temporaryDirectory()
        let table2023 = try employmentTargets2023(in: directory)
        let out = directory.appendingPathComponent("附件4.xlsx"), report = directory.appendingPathComponent("r.json")
        func merge(_ targets: [String]) throws -> (ProcessResult, [String: String]) {
            let result = try CLI.run(["merge", Self.returns, "--template", "social-insurance-2", "-o", out.path, "--report",
                                      report.path] + targets.flatMap { ["--targets", $0] })
            XCTAssertEqual(result.status, 0, result.stderr)
            return (result, try CLI.readBack(out.path))
        }

        let (first2023, merged2023) = try merge([table2023, Self.employmentTargets2021])
        XCTAssertEqual(merged2023["全市|失业保险参保人数|占全年任务"], "98.14|value")  // 1098977 ÷ 1119800
        let conflicts = try problems(report).filter { $0["kind"] as? String == "conflicting-targets" }
        XCTAssertEqual(conflicts.count, 1, "\(conflicts)")
        let conflict = try XCTUnwrap(conflicts.first)
        XCTAssertEqual(conflict["severity"] as? String, "warning")
        XCTAssertEqual(conflict["unit"] as? String, "全市")
        XCTAssertEqual(conflict["files"] as? [String], [table2023, Self.employmentTargets2021])
        XCTAssertEqual(conflict["message"] as? String,
                       "全市 失业保险参保人数 的目标任务在 --targets 中不一致：\(table2023) J4 为 1119800，"
                       + "\(Self.employmentTargets2021) J4 为 663900；采用先给出的 \(table2023) J4（1119800）。")
        XCTAssertTrue(first2023.stderr.contains("警告 [conflicting-targets] 全市 失业保险参保人数"), first2023.stderr)

        let (_, merged2021) = try merge([Self.employmentTargets2021, table2023])
        XCTAssertEqual(merged2021["全市|失业保险参保人数|占全年任务"], "165.53|value")

        let (same, _) = try merge([table2023, table2023])
        XCTAssertFalse(same.stderr.contains("不一致"), same.stderr)
        XCTAssertFalse(try problems(report).contains { $0["kind"] as? String == "conflicting-targets" })

        // check says it once per unit and indicator, on standard error, and uses the first file.
        let checked = try CLI.run(["check", Self.training1, Self.insurance2, "--targets", table2023,
                                   "--targets", Self.employmentTargets2021, "--format", "json"])
        XCTAssertEqual(try findings(checked, rule: "ratio-mismatch").count, 0, checked.stdout)
        let warnings = checked.stderr.split(separator: "\n").filter { $0.hasPrefix("警告：") && $0.contains("不一致") }
        XCTAssertEqual(warnings.count, 4, checked.stderr)  // 城镇新增就业, 再就业, 创业培训, 失业保险
        XCTAssertEqual(checked.stderr.components(separatedBy: "是 2021 年的目标任务").count, 2, checked.stderr)
        XCTAssertTrue(warnings.contains { $0.contains("全市 城镇人数新增就业") && $0.contains("59000") && $0.contains("58500") },
                      checked.stderr)
    }
}
