import Foundation
import XCTest
import AnnexTestSupport

/// Where a table's period comes from when its title prints none (SPEC.md, "The canonical model"): the
/// sheet name, the workbook's other sheets, the file name, the `annex.period` property that `annex
/// write` records, then `--period`. 部门支出总表 prints no year.
final class PeriodSourcesTests: XCTestCase {
    private static let sample = CLI.packageRoot.appendingPathComponent("samples/annexes/2024-部门支出总表.xlsx")

    private func periods(_ result: ProcessResult) -> Set<String> {
        Set(result.lines.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[1]) })
    }

    func testWriteRecordsThePeriodAndReadTakesItBack() throws {
        let dir = try CLI.temporaryDirectory()
        let canonical = dir.appendingPathComponent("2024.csv")
        XCTAssertEqual(try CLI.run(["read", Self.sample.path, "-o", canonical.path]).status, 0)
        // A name that says nothing: only the recorded property can date it.
        let written = dir.appendingPathComponent("支出表.xlsx")
        let write = try CLI.run(["write", canonical.path, "--template", "budget-expenditure", "-o", written.path])
        XCTAssertEqual(write.status, 0, write.stderr)
        try TestSupport.assertValidOOXML(written.path)
        let back = try CLI.run(["read", written.path])
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertEqual(periods(back), ["2024"])
        XCTAssertEqual(back.lines, try CLI.run(["read", Self.sample.path]).lines)
        // The property is a plain custom document property that other programs read too.
        let property = try TestSupport.python(["-c", """
            import sys, zipfile, re
            xml = zipfile.ZipFile(sys.argv[1]).read('docProps/custom.xml').decode()
            print(dict(re.findall(r'name="([^"]+)"><vt:lpwstr>([^<]*)<', xml)))
            """, written.path])
        XCTAssertEqual(property.stdout, "{'annex.template': 'budget-expenditure', 'annex.period': '2024'}\n")
    }

    /// Saved as .xls by LibreOffice (as a user re-saves annex's xlsx), the workbook keeps the
    /// property in DocumentSummaryInformation, and reading the .xls takes the period from it.
    func testThePeriodSurvivesSavingAsXLS() throws {
        let dir = try CLI.temporaryDirectory()
        let canonical = dir.appendingPathComponent("2024.csv")
        XCTAssertEqual(try CLI.run(["read", Self.sample.path, "-o", canonical.path]).status, 0)
        let written = dir.appendingPathComponent("支出表.xlsx")
        XCTAssertEqual(try CLI.run(["write", canonical.path, "--template", "budget-expenditure", "-o", written.path]).status, 0)
        let profile = try CLI.temporaryDirectory()
        let conversion = try TestSupport.run("soffice", ["-env:UserInstallation=file://" + profile.path, "--headless",
                                                         "--convert-to", "xls:MS Excel 97", "--outdir", dir.path, written.path])
        let xls = dir.appendingPathComponent("支出表.xls").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: xls), "soffice did not write \(xls): \(conversion.stderr)")
        let back = try CLI.run(["read", xls])
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertEqual(periods(back), ["2024"])
        XCTAssertEqual(back.lines, try CLI.run(["read", Self.sample.path]).lines)
    }

    func testFileNameThenOptionThenAClearError() throws {
        let dir = try CLI.temporaryDirectory()
        let undated = dir.appendingPathComponent("部门支出总表.xlsx")
        try FileManager.default.copyItem(at: Self.sample, to: undated)
        let refused = try CLI.run(["read", undated.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("部门支出总表.xlsx") && refused.stderr.contains("--period"), refused.stderr)
        XCTAssertEqual(periods(try CLI.run(["read", undated.path, "--period", "2025"])), ["2025"])

        let named = dir.appendingPathComponent("南昌市人社局2023年部门预算.xlsx")
        try FileManager.default.copyItem(at: Self.sample, to: named)
        XCTAssertEqual(periods(try CLI.run(["read", named.path])), ["2023"])
        // The file name comes before --period.
        XCTAssertEqual(periods(try CLI.run(["read", named.path, "--period", "2025"])), ["2023"])
    }

    /// A budget document: 一般公共预算支出表 states 2024 in its title, 部门支出总表 beside it states none
    /// and takes the workbook's year before the file name's; a sheet named for its year dates itself.
    func testOtherSheetsOfTheWorkbookAndTheSheetName() throws {
        let dir = try CLI.temporaryDirectory()
        let book = dir.appendingPathComponent("2019年旧文件名.xlsx")
        try TestSupport.python(["-c", """
            import sys, openpyxl
            from copy import copy
            out = openpyxl.Workbook(); out.remove(out.active)
            for path, name in ((sys.argv[1], '总表'), (sys.argv[2], '一般公共预算支出表')):
                src = openpyxl.load_workbook(path).active
                ws = out.create_sheet(name)
                for row in src.iter_rows():
                    for c in row:
                        if type(c).__name__ != 'MergedCell':
                            ws[c.coordinate] = c.value
                for r in src.merged_cells.ranges:
                    ws.merge_cells(str(r))
            out.save(sys.argv[3])
            """, Self.sample.path, CLI.packageRoot.appendingPathComponent("samples/annexes/2024-一般公共预算支出表.xlsx").path, book.path])
        let read = try CLI.run(["read", book.path])
        XCTAssertEqual(read.status, 0, read.stderr)
        let byTemplate = Dictionary(grouping: read.lines.dropFirst()) { String($0.prefix { $0 != "," }) }
            .mapValues { Set($0.map { String($0.split(separator: ",", omittingEmptySubsequences: false)[1]) }) }
        XCTAssertEqual(byTemplate["budget-expenditure"], ["2024"])
        XCTAssertEqual(byTemplate["budget-general-expenditure"], ["2024"])

        // normalize reads sheet by sheet the same way.
        let dataset = dir.appendingPathComponent("all.csv")
        let normalized = try CLI.run(["normalize", book.path, "-o", dataset.path])
        XCTAssertEqual(normalized.status, 0, normalized.stderr)
        let rows = try String(contentsOf: dataset, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(rows.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[1] == "2024" })

        let sheetNamed = dir.appendingPathComponent("无年份.xlsx")
        try TestSupport.python(["-c", """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1]); wb.active.title = '2022年部门支出总表'; wb.save(sys.argv[2])
            """, Self.sample.path, sheetNamed.path])
        XCTAssertEqual(periods(try CLI.run(["read", sheetNamed.path])), ["2022"])
    }
}
