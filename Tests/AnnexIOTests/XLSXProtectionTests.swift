import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// A protected sheet with unlocked, validated input cells (what a blank return needs), in the
/// schema's element order and as openpyxl sees it.
final class XLSXProtectionTests: XCTestCase {
    func testProtectedSheetWithUnlockedValidatedCells() throws {
        let directory = try TestSupport.temporaryDirectory("xlsx-protection")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("p.xlsx").path
        var open = CellStyle(border: .all(.thin))
        open.locked = false
        let range = CellRange(first: CellReference(row: 1, column: 1), last: CellReference(row: 2, column: 2))
        let layout = SheetLayout(page: PageSetup(), isProtected: true, dataValidations: [
            DataValidation(range: range, formula: #"OR(ISNUMBER(B2),B2="-",B2="无")"#, promptTitle: "填写说明",
                           prompt: "请填写数字", errorTitle: "无法填入", error: "只能填数字、“-”或“无”"),
        ])
        let cells = [Cell(reference: .init(row: 0, column: 0), value: .string("表头"), style: CellStyle(border: .all(.thin))),
                     Cell(reference: .init(row: 0, column: 1), value: .string("甲")),
                     Cell(reference: .init(row: 1, column: 1), value: .string(""), style: open),
                     Cell(reference: .init(row: 2, column: 2), value: .string(""), numberFormat: "0.00%", style: open)]
        try XLSXWriter.write(Workbook(sheets: [Sheet(name: "表", cells: cells, merged: [CellRange("A1:A3")!], layout: layout)]),
                             to: file)
        try TestSupport.assertValidOOXML(file)

        let sheet = try TestSupport.run("python3", ["-c", "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml').decode())", file]).stdout
        let order = ["</sheetData>", "<sheetProtection", "<mergeCells", "<dataValidations", "<pageMargins"]
        let positions = order.compactMap { sheet.range(of: $0)?.lowerBound }
        XCTAssertEqual(positions.count, order.count, sheet)
        XCTAssertEqual(positions, positions.sorted(), sheet)
        XCTAssertFalse(sheet.contains("password"))

        let seen = try TestSupport.run("python3", ["-c", """
            import json, openpyxl, sys
            sheet = openpyxl.load_workbook(sys.argv[1]).active
            rule = sheet.data_validations.dataValidation[0]
            print(json.dumps([sheet.protection.sheet, sheet["A1"].protection.locked, sheet["B2"].protection.locked,
                              sheet["C3"].protection.locked, sheet["C3"].number_format, str(rule.sqref), rule.formula1,
                              rule.promptTitle, rule.error], ensure_ascii=False))
            """, file])
        XCTAssertEqual(seen.status, 0, seen.stderr)
        let values = try XCTUnwrap(JSONSerialization.jsonObject(with: seen.stdoutData) as? [Any])
        XCTAssertEqual(values[0] as? Bool, true)
        XCTAssertEqual(values[1] as? Bool, true)
        XCTAssertEqual(values[2] as? Bool, false)
        XCTAssertEqual(values[3] as? Bool, false)
        XCTAssertEqual(values[4] as? String, "0.00%")
        XCTAssertEqual(values[5] as? String, "B2:C3")
        XCTAssertEqual(values[6] as? String, #"OR(ISNUMBER(B2),B2="-",B2="无")"#)
        XCTAssertEqual(values[7] as? String, "填写说明")
        XCTAssertEqual(values[8] as? String, "只能填数字、“-”或“无”")
    }
}
