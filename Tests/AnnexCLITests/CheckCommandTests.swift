import Foundation
import XCTest

/// `annex check` as a user runs it: the seed annexes of the July 2023 通报 exported to CSV the way
/// Excel does (Tests/Fixtures/seed_export.py), workbooks made by openpyxl, text and JSON output,
/// exit codes, and the annotated copies (`--annotate`), validated against the ECMA-376 schemas and
/// opened in LibreOffice.
final class CheckCommandTests: XCTestCase {
    static let monthly = [("employment-training-1", "就业培训一"), ("employment-training-2", "就业培训二"),
                          ("social-insurance-1", "社会保险一"), ("social-insurance-2", "社会保险二")]

    /// Runs a helper program and returns its output; fails the test on a non-zero exit.
    @discardableResult
    func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(program) \(arguments.joined(separator: " ")): \(output)")
        return output
    }

    /// The seed annex `id` as Excel exports it to CSV, named `<name>.csv` (so its sheet is `<name>`).
    func seed(_ id: String, as name: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent(name + ".csv").path
        try run("python3", [CLI.packageRoot.appendingPathComponent("Tests/Fixtures/seed_export.py").path, id, path])
        return path
    }

    func seeds(in directory: URL) throws -> [String] {
        try Self.monthly.map { try seed($0.0, as: $0.1, in: directory) }
    }

    // MARK: - text and JSON

    func testTextReportOnTheFourAnnexesOfTheNotice() throws {
        let dir = try CLI.temporaryDirectory()
        let files = try seeds(in: dir) + [seed("employment-targets", as: "年度全省就业工作目标任务分解表", in: dir)]
        let result = try CLI.run(["check"] + files)
        XCTAssertEqual(result.status, 1, result.stderr)
        let lines = result.lines
        XCTAssertEqual(lines.last, "共 23 个错误、1 个警告、61 条提示")
        XCTAssertTrue(lines.contains("文件 \(files[2])：8 个错误、1 个警告、0 条提示"), result.stdout)
        XCTAssertTrue(lines.contains("  工作表 社会保险一（社会保险一，social-insurance-1，2023-07）"), result.stdout)
        XCTAssertTrue(lines.contains("文件 \(files[3])：未发现问题"), result.stdout)
        XCTAssertTrue(lines.contains("    错误 社会保险一!A9 [unknown-unit] 应为 南昌县，实为 南昌市。 单位“南昌市”不在单位名录 nanchang-districts 中，请改为规范名称（本表缺少：南昌县）。"), result.stdout)
        XCTAssertTrue(lines.contains("    警告 社会保险一 [missing-unit] 应为 南昌县，实为 （空）。 本表缺少单位“南昌县”的行，请补报该单位的数据。"), result.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("    错误 社会保险一!O8 [cross-table-mismatch] 应为 42681，实为 42881。 市本级 机关事业单位养老保险 / 参保人数(含离退休人数) 累计完成 为 42881，而社会保险二（") }, result.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("    错误 社会保险一!M13 [ratio-mismatch] 应为 113.69，实为 113.68。") }, result.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("    错误 就业培训二!B18 [row-sum-mismatch] 应为 1551，实为 1351。 红谷滩区 新增创业担保贷款 本月完成 为 1351，应等于 扶持个人创业贷款占贷款总额达到60%以上 651 + 扶持小微企业贷款比例争取达到30% 900 = 1551，相差 -200，") }, result.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("    错误 就业培训二!B5 [total-mismatch] 应为 20146.9，实为 20346.9。") && $0.contains("超出四舍五入尾差（±1.3）") }, result.stdout)
        XCTAssertTrue(lines.contains("    提示 就业培训一!A19 [unknown-unit] 应为 红谷滩区，实为 红谷滩新区。 “红谷滩新区”是“红谷滩区”的别称或旧称，已按红谷滩区读取，建议改用规范名称。"), result.stdout)

        // behind-schedule: not one line per cell, but per indicator as the notice writes it, in column order.
        XCTAssertFalse(result.stdout.contains("[behind-schedule]"))
        let schedule = lines.filter { $0.hasPrefix("      ") }
        XCTAssertEqual(schedule, [
            "      城镇人数新增就业：南昌县 56.24%、进贤县 51.26%、青云谱区 47.39%、湾里管理局 56.07%、青山湖区 52.43%、经开区 54.72%",
            "      城镇失业人员再就业人数：新建区 54.22%、进贤县 43.59%、经开区 50.90%、高新区 52.02%",
            "      “4050”人员再就业人数：进贤县 40.89%、经开区 49.52%、高新区 48.75%",
            "      职业培训人数：南昌县 35.75%、新建区 53.75%、进贤县 57.84%、东湖区 47.00%、青云谱区 47.64%、湾里管理局 5.33%、青山湖区 55.44%、经开区 53.52%、红谷滩区 0.91%",
            "      职业技能培训人数：南昌县 36.21%、新建区 54.34%、进贤县 52.98%、东湖区 54.01%、青云谱区 50.53%、湾里管理局 13.33%、红谷滩区 2.15%",
            "      创业培训人数：南昌县 33.60%、新建区 50.80%、东湖区 11.67%、青云谱区 44.26%、湾里管理局 0.00%、青山湖区 0.00%、经开区 43.10%、高新区 47.16%、红谷滩区 0.00%",
            "      新增创业担保贷款：南昌县 52.90%、新建区 54.80%、湾里管理局 51.35%",
            "      扶持个人创业贷款占贷款总额达到60%以上：新建区 50.55%、青云谱区 55.57%、青山湖区 52.88%",
            "      扶持小微企业贷款比例争取达到30%：南昌县 39.20%、进贤县 57.75%、湾里管理局 0.00%",
            "      创业贷款新增担保基金：新建区 0.00%、安义县 0.00%、东湖区 0.00%、西湖区 0.00%、青云谱区 0.00%、湾里管理局 0.00%、青山湖区 0.00%、高新区 0.00%、红谷滩区 0.00%",
            "      青年见习人数：南昌县 45.41%、新建区 44.32%、湾里管理局 35.00%、青山湖区 29.60%",
        ])
        XCTAssertEqual(lines.filter { $0.hasPrefix("    未能按照进度完成目标任务") },
                       Array(repeating: "    未能按照进度完成目标任务（占全年任务低于时序进度 58.33%，7 月）：", count: 2))
    }

    func testJSONIsTheSpecArray() throws {
        let dir = try CLI.temporaryDirectory()
        let files = try seeds(in: dir)
        let result = try CLI.run(["check", "--format", "json"] + files)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("[\n  {\"rule\": \""), result.stdout)
        let array = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: String]])
        XCTAssertEqual(array.count, 21 + 1 + 61)
        let fields = ["rule", "severity", "file", "sheet", "cell", "unit", "indicator", "measure", "expected", "actual", "message"]
        XCTAssertTrue(array.allSatisfy { Set($0.keys) == Set(fields) })
        // Fields in SPEC order in every object.
        for line in result.lines.dropFirst().dropLast() {
            let positions = fields.map { line.range(of: "\"\($0)\": ")?.lowerBound }
            XCTAssertFalse(positions.contains(nil), line)
            XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted(), line)
        }
        let cross = try XCTUnwrap(array.first { $0["rule"] == "cross-table-mismatch" })
        XCTAssertEqual(cross, [
            "rule": "cross-table-mismatch", "severity": "error", "file": files[2], "sheet": "社会保险一", "cell": "O8",
            "unit": "市本级", "indicator": "机关事业单位养老保险 / 参保人数(含离退休人数)", "measure": "累计完成",
            "expected": "42681", "actual": "42881",
            "message": "市本级 机关事业单位养老保险 / 参保人数(含离退休人数) 累计完成 为 42881，而社会保险二（\(files[3]) 社会保险二!C8）为 42681，两表同一指标应一致，请核对后统一。",
        ])
        let behind = array.filter { $0["rule"] == "behind-schedule" }
        XCTAssertEqual(behind.count, 60)
        XCTAssertEqual(behind.first, [
            "rule": "behind-schedule", "severity": "info", "file": files[0], "sheet": "就业培训一", "cell": "D8",
            "unit": "南昌县", "indicator": "城镇人数新增就业", "measure": "占全年任务", "expected": "58.33", "actual": "56.24",
            "message": "南昌县 城镇人数新增就业 占全年任务 56.24% 低于时序进度 58.33%（7 月），未能按照进度完成目标任务。",
        ])
        let missing = try XCTUnwrap(array.first { $0["rule"] == "missing-unit" })
        XCTAssertEqual(missing["cell"], "")
        XCTAssertEqual(missing["severity"], "warning")
        // Rounding tails are findings, but not errors: the budget tables exit 0.
        let budget = try seed("budget-basic-expenditure", as: "一般公共预算基本支出表", in: dir)
        let tails = try CLI.run(["check", "--format", "json", budget])
        XCTAssertEqual(tails.status, 0, tails.stderr)
        let tailArray = try XCTUnwrap(JSONSerialization.jsonObject(with: tails.stdoutData) as? [[String: String]])
        XCTAssertEqual(tailArray.map { $0["severity"] }, ["info", "info"])
        XCTAssertEqual(tailArray.map { $0["rule"] }, ["row-sum-mismatch", "total-mismatch"])
        XCTAssertEqual(tailArray.map { $0["expected"] }, ["12282.32", "12282.32"])
        XCTAssertEqual(tailArray.map { $0["actual"] }, ["12282.31", "12282.31"])
    }

    // MARK: - exit codes

    func testExitCodes() throws {
        let dir = try CLI.temporaryDirectory()
        let clean = try seed("social-insurance-2", as: "社会保险二", in: dir)
        let ok = try CLI.run(["check", clean])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.lines.last, "共 0 个错误、0 个警告、0 条提示")
        XCTAssertEqual(try CLI.run(["check", "--format", "json", clean]).stdout, "[]\n")

        let missing = try CLI.run(["check", dir.appendingPathComponent("nothing.xlsx").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("nothing.xlsx"), missing.stderr)

        // One unusable file among others: reported, the rest still checked, exit 2.
        let notAnAnnex = dir.appendingPathComponent("notes.csv")
        try "a,b\n1,2\n".write(to: notAnAnnex, atomically: true, encoding: .utf8)
        let mixed = try CLI.run(["check", notAnAnnex.path, clean])
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(mixed.stderr.contains("notes.csv"), mixed.stderr)
        XCTAssertTrue(mixed.stdout.contains("文件 \(clean)：未发现问题"), mixed.stdout)

        XCTAssertEqual(try CLI.run(["check", "--template", "no-such-layout", clean]).status, 2)
        XCTAssertEqual(try CLI.run(["check", "--format", "xml", clean]).status, 2)
        XCTAssertEqual(try CLI.run(["check"]).status, 2)
        // The layout named explicitly is used; a wrong one is unusable input.
        XCTAssertEqual(try CLI.run(["check", "--template", "social-insurance-2", clean]).status, 0)
        XCTAssertEqual(try CLI.run(["check", "--template", "employment-training-1", clean]).status, 2)
    }

    // MARK: - --annotate

    /// 就业培训二 as a district might send it, made by openpyxl with its own styling: the seed figures
    /// (红谷滩区 1351 ≠ 651 + 900), one header cell retitled (a warning) and a figure with three decimals.
    func makeReturn(in dir: URL) throws -> URL {
        let csv = try seed("employment-training-2", as: "export", in: dir)
        return try CLI.openpyxlWorkbook("""
            import csv
            from openpyxl.styles import Font, Border, Side
            ws.title = '就业培训二'
            rows = list(csv.reader(open(\(String(reflecting: csv)), encoding='utf-8-sig')))
            for r, row in enumerate(rows, 1):
                for c, text in enumerate(row, 1):
                    if text == '':
                        continue
                    try:
                        value = float(text) if '.' in text else int(text)
                    except ValueError:
                        value = text
                    cell = ws.cell(row=r, column=c, value=value)
                    cell.font = Font(name='宋体', bold=r <= 5)
                    cell.border = Border(left=Side('thin'), right=Side('thin'), top=Side('thin'), bottom=Side('thin'))
            ws['C4'] = '累计'          # 累计完成 retitled: header-mismatch
            ws['D8'] = 54.805           # 新建区 占全年任务 with three decimals: decimals
            for rng in ['A1:Q1', 'A2:Q2', 'A3:A4', 'B3:D3', 'E3:G3', 'H3:J3', 'K3:M3', 'N3:N4', 'O3:Q3']:
                ws.merge_cells(rng)
            ws.column_dimensions['A'].width = 14
            wb.create_sheet('说明')['A1'] = '本工作簿由区县报送'
            """, in: dir, name: "2023-07-就业培训二.xlsx")
    }

    func testAnnotatedCopiesMarkEveryFlaggedCellAndLeaveInputsAlone() throws {
        let dir = try CLI.temporaryDirectory()
        let workbook = try makeReturn(in: dir)
        let csvInput = try seed("social-insurance-1", as: "社会保险一", in: dir)
        let before = try [Data(contentsOf: workbook), Data(contentsOf: URL(fileURLWithPath: csvInput))]
        let out = dir.appendingPathComponent("标注")
        let result = try CLI.run(["check", "--format", "json", "--annotate", out.path, workbook.path, csvInput])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(try [Data(contentsOf: workbook), Data(contentsOf: URL(fileURLWithPath: csvInput))], before, "inputs must not change")
        let copies = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        XCTAssertEqual(copies, ["2023-07-就业培训二.xlsx", "社会保险一.xlsx"])
        let findings = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: String]])
        XCTAssertTrue(findings.contains { $0["rule"] == "header-mismatch" && $0["cell"] == "C4" && $0["severity"] == "warning" })
        XCTAssertTrue(findings.contains { $0["rule"] == "decimals" && $0["cell"] == "D8" && $0["expected"] == "54.81" })

        // What openpyxl (another program) reads from the copies.
        let report = try run("python3", ["-c", """
            import openpyxl, sys, json
            out = {}
            for path in sys.argv[1:]:
                wb = openpyxl.load_workbook(path)
                sheets = {}
                for ws in wb.worksheets:
                    cells = {}
                    for row in ws.iter_rows():
                        for c in row:
                            if c.comment or c.hyperlink or (c.fill and c.fill.fill_type == 'solid'):
                                cells[c.coordinate] = {'value': c.value, 'fill': c.fill.fgColor.rgb if c.fill.fill_type == 'solid' else None,
                                                       'comment': c.comment.text if c.comment else None,
                                                       'link': c.hyperlink.location if c.hyperlink else None}
                    sheets[ws.title] = {'cells': cells, 'merged': sorted(str(r) for r in ws.merged_cells.ranges), 'rows': ws.max_row}
                out[path.split('/')[-1]] = sheets
            print(json.dumps(out, ensure_ascii=False))
            """] + copies.map { out.appendingPathComponent($0).path })
        let books = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: [String: [String: Any]]])
        let returnCopy = try XCTUnwrap(books["2023-07-就业培训二.xlsx"])
        XCTAssertEqual(Array(returnCopy.keys).sorted(), ["校验结果", "说明", "就业培训二"].sorted())
        let annex = try XCTUnwrap(returnCopy["就业培训二"]?["cells"] as? [String: [String: Any]])
        XCTAssertEqual(annex["B18"]?["value"] as? Int, 1351)
        XCTAssertEqual(annex["B18"]?["fill"] as? String, "FFFFC7CE")
        XCTAssertTrue((annex["B18"]?["comment"] as? String ?? "").contains("【错误】row-sum-mismatch：红谷滩区 新增创业担保贷款 本月完成 为 1351"))
        XCTAssertEqual(annex["B5"]?["fill"] as? String, "FFFFC7CE")
        XCTAssertEqual(annex["C4"]?["fill"] as? String, "FFFFEB9C")
        XCTAssertEqual(annex["C4"]?["value"] as? String, "累计")
        XCTAssertEqual(annex["D8"]?["fill"] as? String, "FFFFEB9C")
        XCTAssertTrue((annex["D8"]?["comment"] as? String ?? "").contains("【警告】decimals"))
        // Info (behind-schedule) gets a note and no fill.
        XCTAssertNil(annex["D7"]?["fill"] as? String)
        XCTAssertTrue((annex["D7"]?["comment"] as? String ?? "").contains("【提示】behind-schedule：南昌县"))
        XCTAssertEqual(returnCopy["就业培训二"]?["merged"] as? [String],
                       ["A1:Q1", "A2:Q2", "A3:A4", "B3:D3", "E3:G3", "H3:J3", "K3:M3", "N3:N4", "O3:Q3"].sorted())
        let results = try XCTUnwrap(returnCopy["校验结果"]?["cells"] as? [String: [String: Any]])
        let inReturn = findings.filter { $0["file"] == workbook.path }
        XCTAssertEqual(returnCopy["校验结果"]?["rows"] as? Int, inReturn.count + 2)
        // Findings in sheet order: the retitled header C4 first (a warning), then 全市 B5 (an error).
        XCTAssertEqual(results["D3"]?["link"] as? String, "'就业培训二'!C4")
        XCTAssertEqual(results["D3"]?["value"] as? String, "就业培训二!C4")
        XCTAssertEqual(results["B3"]?["fill"] as? String, "FFFFEB9C")
        XCTAssertEqual(results["D4"]?["link"] as? String, "'就业培训二'!B5")
        XCTAssertEqual(results["B4"]?["fill"] as? String, "FFFFC7CE")

        let csvCopy = try XCTUnwrap(books["社会保险一.xlsx"])
        let si = try XCTUnwrap(csvCopy["社会保险一"]?["cells"] as? [String: [String: Any]])
        XCTAssertEqual(Set(si.keys), ["K7", "O7", "C8", "Q8", "A9", "M13", "M14"], "the cross-table cell O8 needs 社会保险二 too")
        XCTAssertTrue(si.values.allSatisfy { $0["fill"] as? String == "FFFFC7CE" })
        XCTAssertEqual(si["A9"]?["value"] as? String, "南昌市")

        // Every copy is schema-valid and LibreOffice reads its notes and links.
        let validator = CLI.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/ooxml-schemas/validate.py")
        let validation = try run("python3", [validator.path] + copies.map { out.appendingPathComponent($0).path })
        XCTAssertTrue(validation.contains("2023-07-就业培训二.xlsx: VALID"), validation)
        XCTAssertTrue(validation.contains("社会保险一.xlsx: VALID"), validation)
        let profile = try CLI.temporaryDirectory()
        let converted = try CLI.temporaryDirectory()
        try run("soffice", ["-env:UserInstallation=file://\(profile.path)", "--headless", "--convert-to", "xlsx",
                            "--outdir", converted.path, out.appendingPathComponent(copies[0]).path])
        let reread = try run("python3", ["-c", """
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb['就业培训二']
            print(ws['B18'].value, ws['B18'].fill.fgColor.rgb, 'row-sum-mismatch' in (ws['B18'].comment.text if ws['B18'].comment else ''))
            print(wb['校验结果']['D3'].hyperlink.location if wb['校验结果']['D3'].hyperlink else None)
            """, converted.appendingPathComponent(copies[0]).path])
        XCTAssertEqual(reread.split(separator: "\n").map(String.init), ["1351 FFFFC7CE True", "'就业培训二'!C4"])
    }

    func testAnnotatingIntoTheInputsFolderNeverReplacesAnInput() throws {
        let dir = try CLI.temporaryDirectory()
        let workbook = try makeReturn(in: dir)
        let before = try Data(contentsOf: workbook)
        let result = try CLI.run(["check", "--annotate", dir.path, workbook.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(try Data(contentsOf: workbook), before)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("2023-07-就业培训二-校验.xlsx").path))
        // Again: the copy (an output) is replaced, the input still is not.
        XCTAssertEqual(try CLI.run(["check", "--annotate", dir.path, workbook.path]).status, 1)
        XCTAssertEqual(try Data(contentsOf: workbook), before)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".xlsx") }.sorted()
        XCTAssertEqual(names, ["2023-07-就业培训二-校验.xlsx", "2023-07-就业培训二.xlsx"])
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.hasPrefix(".annex-") })
    }
}
