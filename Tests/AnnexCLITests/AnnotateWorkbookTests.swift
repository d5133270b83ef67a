import Foundation
import XCTest
import AnnexTestSupport

/// `check --annotate` on workbooks as districts send them, made by openpyxl, XlsxWriter and LibreOffice
/// (Tests/Fixtures/make_annotate_fixtures.py: styled, merged, two sheets, print titles, a theme, a
/// defined name, a data validation, notes on A1 and on the flagged B18). The copy must be the same
/// workbook with the marks added: compared part by part and cell by cell with the original
/// (Tests/Fixtures/compare_marked_copy.py), schema-valid, and printed by LibreOffice on as many pages.
final class AnnotateWorkbookTests: XCTestCase {
    static let fixtures = CLI.packageRoot.appendingPathComponent("Tests/Fixtures")

    /// The three workbooks, made once per run.
    static let workbooks: Result<URL, Error> = Result {
        let dir = try CLI.temporaryDirectory()
        let seed = dir.appendingPathComponent("seed.csv").path
        try TestSupport.python([fixtures.appendingPathComponent("seed_export.py").path, "employment-training-2", seed])
        try TestSupport.python([fixtures.appendingPathComponent("make_annotate_fixtures.py").path, seed, dir.path])
        return dir
    }

    /// pdfinfo and pdftotext (poppler-utils) count LibreOffice's pages.
    static let canCountPages = ["pdfinfo", "pdftotext"].allSatisfy { tool in
        (try? TestSupport.run("sh", ["-c", "command -v \(tool)"]).status) == 0
    }

    /// Marks the workbook made by `maker` and returns what changed, as compare_marked_copy.py reports it.
    func markedCopy(_ maker: String) throws -> (copy: String, report: [String: Any]) {
        let original = try Self.workbooks.get().appendingPathComponent("\(maker).xlsx").path
        let before = try Data(contentsOf: URL(fileURLWithPath: original))
        let out = try CLI.temporaryDirectory()
        let result = try CLI.run(["check", "--annotate", out.path, original])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: original)), before, "the input must not change")
        let copy = out.appendingPathComponent("\(maker).xlsx").path
        let pages = Self.canCountPages ? ["--pages", "\(maker).xlsx："] : []
        let compared = try TestSupport.python([Self.fixtures.appendingPathComponent("compare_marked_copy.py").path,
                                               original, copy, "就业培训二"] + pages)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: compared.stdoutData) as? [String: Any])
        return (copy, report)
    }

    func assertKeepsTheWorkbook(_ maker: String) throws {
        let (copy, report) = try markedCopy(maker)
        // Only the parts a mark needs change; the added sheet is the one new part.
        XCTAssertEqual(report["unexpected"] as? [String], [], "\(report["changed"] ?? "")")
        XCTAssertEqual((report["added"] as? [String])?.count, 1, "\(report["added"] ?? "")")
        // Every cell keeps its value and style; only the flagged cells' fills change.
        XCTAssertEqual(report["cells"] as? [String: String], [:])
        XCTAssertEqual(report["fills"] as? [String: String], [
            "就业培训二!C4": "FFFFEB9C", "就业培训二!B5": "FFFFC7CE", "就业培训二!D8": "FFFFEB9C", "就业培训二!B18": "FFFFC7CE",
        ])
        XCTAssertEqual(report["layout"] as? [String], [])
        // The district's notes stay; B18's gains annex's text after its own.
        XCTAssertEqual(report["lostComments"] as? [String], [])
        let comments = try XCTUnwrap(report["comments"] as? [String: String])
        XCTAssertEqual(comments["就业培训二!A1"], "表头请勿修改")
        XCTAssertTrue(comments["就业培训二!B18"]?.hasPrefix("请核对本月数\nannex:\n【错误】row-sum-mismatch：") ?? false, "\(comments)")
        XCTAssertTrue(comments["就业培训二!D7"]?.hasPrefix("annex:\n【提示】behind-schedule：南昌县") ?? false, "\(comments)")
        try TestSupport.assertValidOOXML(copy)
        // LibreOffice prints the district's sheets on as many pages as the original.
        guard let pages = report["pages"] as? [Int] else {
            throw XCTSkip("没有 pdfinfo/pdftotext（poppler-utils），未比较打印页数")
        }
        XCTAssertEqual(pages[0], pages[1], "pages of the original, of the copy before 校验结果, of the copy: \(pages)")
    }

    func testOpenpyxlWorkbookKeepsEverythingButTheMarks() throws {
        try assertKeepsTheWorkbook("openpyxl")
    }

    func testXlsxWriterWorkbookKeepsEverythingButTheMarks() throws {
        try assertKeepsTheWorkbook("xlsxwriter")
    }

    func testLibreOfficeWorkbookKeepsEverythingButTheMarks() throws {
        try assertKeepsTheWorkbook("libreoffice")
    }

    /// A workbook without a styles part cannot take a fill: its copy is rebuilt, and the user is told.
    func testAWorkbookThePatcherCannotEditIsRebuiltWithANotice() throws {
        let dir = try CLI.temporaryDirectory()
        let original = try Self.workbooks.get().appendingPathComponent("openpyxl.xlsx").path
        let unstyled = dir.appendingPathComponent("无样式.xlsx").path
        try TestSupport.python(["-c", """
            import re, sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as a, zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as b:
                for item in a.infolist():
                    data = a.read(item)
                    if item.filename == 'xl/styles.xml':
                        continue
                    if item.filename in ('xl/_rels/workbook.xml.rels', '[Content_Types].xml'):
                        data = re.sub(rb'<(Relationship|Override)[^>]*styles[^>]*/>', b'', data)
                    b.writestr(item, data)
            """, original, unstyled])
        let out = dir.appendingPathComponent("标注")
        let result = try CLI.run(["check", "--annotate", out.path, unstyled])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(unstyled)：无法在原工作簿上标注（工作簿没有样式部件），副本按数据重建，不保留原格式"), result.stderr)
        try TestSupport.assertValidOOXML(out.appendingPathComponent("无样式.xlsx").path)
    }

    /// A macro-enabled workbook's copy keeps its parts, so it keeps its extension too.
    func testAnXlsmCopyKeepsItsExtension() throws {
        let dir = try CLI.temporaryDirectory()
        let macros = dir.appendingPathComponent("宏.xlsm")
        try FileManager.default.copyItem(at: try Self.workbooks.get().appendingPathComponent("openpyxl.xlsx"), to: macros)
        let out = dir.appendingPathComponent("标注")
        XCTAssertEqual(try CLI.run(["check", "--annotate", out.path, macros.path]).status, 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), ["宏.xlsm"])
    }

    /// The added sheet links each finding to its cell, as openpyxl reads the copy.
    func testResultsSheetLinksToTheFlaggedCells() throws {
        let (copy, _) = try markedCopy("xlsxwriter")
        let read = try TestSupport.python(["-c", """
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            print(wb.sheetnames)
            ws = wb['校验结果']
            print(ws['D3'].value, ws['D3'].hyperlink.location, ws['B3'].fill.fgColor.rgb, ws['B2'].font.b)
            """, copy])
        XCTAssertEqual(read.lines, ["['就业培训二', '说明', '校验结果']", "就业培训二!C4 '就业培训二'!C4 FFFFEB9C True"])
    }
}
