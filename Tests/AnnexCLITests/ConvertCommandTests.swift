import Foundation
import XCTest
import AnnexTestSupport

final class ConvertCommandTests: XCTestCase {
    func testXLSXToXLSXKeepsCellsAndMerges() throws {
        let dir = try CLI.temporaryDirectory()
        let book = try CLI.openpyxlWorkbook("""
            ws.title = '附件1'
            ws['A1'] = '标题'; ws.merge_cells('A1:D1')
            ws['A2'] = '项目'; ws.merge_cells('A2:A3'); ws['B2'] = '城镇新增就业'; ws.merge_cells('B2:C2')
            ws['B4'] = 3584; ws['C4'] = 62.92; ws['D4'] = '-'
            wb.create_sheet('第二')['A1'] = '=1+1'
            """, in: dir)
        let out = dir.appendingPathComponent("out.xlsx")
        let result = try CLI.run(["convert", book.path, "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let before = try CLI.run(["dump", book.path]).stdout.replacingOccurrences(of: book.path, with: "F")
        let after = try CLI.run(["dump", out.path]).stdout.replacingOccurrences(of: out.path, with: "F")
        XCTAssertEqual(after, before)
        XCTAssertTrue(after.contains("\"merged\": [\"A1:D1\", \"A2:A3\", \"B2:C2\"]"), after)
    }

    func testXLSXToCSVWritesMergedTextOnceAndProtectsFormulas() throws {
        let dir = try CLI.temporaryDirectory()
        let book = try CLI.openpyxlWorkbook("""
            ws['A1'] = '标题'; ws['B1'] = '被合并覆盖的值'; ws.merge_cells('A1:C1')
            ws['A2'] = '=SUM(1)'; ws['A2'].data_type = 's'
            ws['B2'] = '-'; ws['C2'] = -12.5
            """, in: dir)
        let out = dir.appendingPathComponent("out.csv")
        XCTAssertEqual(try CLI.run(["convert", book.path, "-o", out.path]).status, 0)
        let bytes = try Data(contentsOf: out)
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "UTF-8 BOM for Excel")
        XCTAssertEqual(String(decoding: bytes.dropFirst(3), as: UTF8.self), "标题,,\r\n'=SUM(1),-,-12.5\r\n")
        // For a program rather than a person: the text as it is.
        let plain = dir.appendingPathComponent("plain.csv")
        XCTAssertEqual(try CLI.run(["convert", book.path, "-o", plain.path, "--no-formula-protection"]).status, 0)
        XCTAssertEqual(String(decoding: try Data(contentsOf: plain).dropFirst(3), as: UTF8.self), "标题,,\r\n=SUM(1),-,-12.5\r\n")
        // dump writes data, never protected.
        XCTAssertEqual(try CLI.run(["dump", book.path, "--format", "csv"]).stdout, "标题,,\r\n=SUM(1),-,-12.5\r\n")

        let gb = dir.appendingPathComponent("gb.csv")
        XCTAssertEqual(try CLI.run(["convert", book.path, "-o", gb.path, "--encoding", "gb18030"]).status, 0)
        let gbBytes = try Data(contentsOf: gb)
        XCTAssertEqual(Array(gbBytes.prefix(4)), [0xB1, 0xEA, 0xCC, 0xE2], "标题 in GB18030, no BOM")
    }

    /// Formulas survive: xlsx → xlsx keeps each formula with its cached value (XlsxWriter stores one)
    /// or without one (openpyxl does not calculate); dump shows both; xlsx → CSV writes the value.
    func testFormulasSurviveDumpAndConvert() throws {
        let dir = try CLI.temporaryDirectory()
        let calculated = dir.appendingPathComponent("calculated.xlsx")
        try TestSupport.python(["-c", """
            import sys, xlsxwriter
            wb = xlsxwriter.Workbook(sys.argv[1]); ws = wb.add_worksheet('表')
            ws.write_number('A1', 21); ws.write_formula('A2', '=A1*2', None, 42); ws.write_formula('A3', '="合计"&A2', None, '合计42')
            wb.close()
            """, calculated.path])
        let uncalculated = try CLI.openpyxlWorkbook("ws['A1'] = 21; ws['A2'] = '=A1*2'", in: dir, name: "uncalculated.xlsx")

        let cells: (URL) throws -> [[String: String]] = { file in
            let dump = try CLI.run(["dump", file.path])
            XCTAssertEqual(dump.status, 0, dump.stderr)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: dump.stdoutData) as? [String: Any])
            return ((object["sheets"] as? [[String: Any]])?.first?["cells"] as? [[String: String]]) ?? []
        }
        XCTAssertEqual(try cells(calculated), [
            ["ref": "A1", "type": "number", "value": "21"],
            ["ref": "A2", "type": "number", "value": "42", "formula": "A1*2"],
            ["ref": "A3", "type": "string", "value": "合计42", "formula": "\"合计\"&A2"]])
        XCTAssertEqual(try cells(uncalculated), [
            ["ref": "A1", "type": "number", "value": "21"],
            ["ref": "A2", "type": "string", "value": "=A1*2", "formula": "A1*2"]])

        for (file, name) in [(calculated, "c"), (uncalculated, "u")] {
            let copy = dir.appendingPathComponent("\(name)-copy.xlsx")
            XCTAssertEqual(try CLI.run(["convert", file.path, "-o", copy.path]).status, 0)
            XCTAssertEqual(try cells(copy), try cells(file), name)
            try TestSupport.assertValidOOXML(copy.path)
        }
        let csv = dir.appendingPathComponent("c.csv")
        XCTAssertEqual(try CLI.run(["convert", calculated.path, "-o", csv.path]).status, 0)
        XCTAssertEqual(String(decoding: try Data(contentsOf: csv).dropFirst(3), as: UTF8.self), "21\r\n42\r\n合计42\r\n")
    }

    func testCSVToXLSXMakesNumbersNumeric() throws {
        let dir = try CLI.temporaryDirectory()
        let csv = dir.appendingPathComponent("全市.csv")
        try Data("单位,累计完成,占比\r\n南昌县,3290,56.24\r\n代码,0012,1,234\r\n".utf8).write(to: csv)
        let out = dir.appendingPathComponent("out.xlsx")
        XCTAssertEqual(try CLI.run(["convert", csv.path, "-o", out.path]).status, 0)
        let dump = try CLI.run(["dump", out.path]).stdout
        XCTAssertTrue(dump.contains("\"name\": \"全市\""), dump)
        XCTAssertTrue(dump.contains("{\"ref\": \"B2\", \"type\": \"number\", \"value\": \"3290\"}"), dump)
        XCTAssertTrue(dump.contains("{\"ref\": \"B3\", \"type\": \"string\", \"value\": \"0012\"}"), dump)
    }

    func testRefusesToOverwriteItsInputAndLeavesNoPartialFile() throws {
        let dir = try CLI.temporaryDirectory()
        let book = try CLI.openpyxlWorkbook("ws['A1'] = 1", in: dir)
        let original = try Data(contentsOf: book)
        let same = try CLI.run(["convert", book.path, "-o", book.path])
        XCTAssertEqual(same.status, 2)
        XCTAssertEqual(try Data(contentsOf: book), original, "input unchanged")

        let broken = dir.appendingPathComponent("broken.xlsx")
        try Data(original.prefix(original.count / 2)).write(to: broken)
        let out = dir.appendingPathComponent("out.xlsx")
        let failed = try CLI.run(["convert", broken.path, "-o", out.path])
        XCTAssertEqual(failed.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".annex-") }
        XCTAssertEqual(leftovers, [], "no temporary file left behind")
    }
}
