import Foundation
import XCTest
import AnnexTestSupport

final class DumpCommandTests: XCTestCase {
    func testDumpsJSONWithTypesAndMerges() throws {
        let dir = try CLI.temporaryDirectory()
        let book = try CLI.openpyxlWorkbook("""
            ws.title = '就业培训一'
            ws['A1'] = '2023年7月统计表'; ws.merge_cells('A1:S1')
            ws['A4'] = '全市'; ws['B4'] = 3584; ws['C4'] = 62.92; ws['D4'] = '-'; ws['E4'] = True
            """, in: dir)
        let result = try CLI.run(["dump", book.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        XCTAssertEqual(json["file"] as? String, book.path)
        let sheet = try XCTUnwrap((json["sheets"] as? [[String: Any]])?.first)
        XCTAssertEqual(sheet["name"] as? String, "就业培训一")
        XCTAssertEqual(sheet["merged"] as? [String], ["A1:S1"])
        let cells = (sheet["cells"] as? [[String: String]] ?? []).map { "\($0["ref"]!) \($0["type"]!) \($0["value"]!)" }
        XCTAssertEqual(cells, ["A1 string 2023年7月统计表", "A4 string 全市", "B4 number 3584", "C4 number 62.92",
                               "D4 string -", "E4 bool true"])
    }

    func testDumpsOneSheetAsCSV() throws {
        let dir = try CLI.temporaryDirectory()
        let book = try CLI.openpyxlWorkbook("""
            ws['A1'] = 'a'
            second = wb.create_sheet('第二')
            second['A1'] = '名称'; second['B2'] = 1.5; second['C2'] = '含,逗号'
            """, in: dir)
        let result = try CLI.run(["dump", book.path, "--format", "csv", "--sheet", "第二"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "名称,,\r\n,1.5,\"含,逗号\"\r\n")
    }

    /// CSV through a pipe (`/dev/stdin`) is read once, by the reader: the same records as from the
    /// file, none taken by the extent scan that a regular file gets.
    func testCSVFromAPipeEqualsTheSameFile() throws {
        let dir = try CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("附件.csv")
        var text = "单位,参保人数,累计完成,,\n"
        for row in 0..<20_000 { text += "东湖区\(row),\(row * 7),\(row).25,,\(row % 3 == 0 ? "无" : "")\n" }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let direct = try CLI.run(["dump", file.path, "--format", "csv"])
        XCTAssertEqual(direct.status, 0, direct.stderr)
        let piped = try TestSupport.run("sh", ["-c", "cat \"$0\" | \"$1\" dump /dev/stdin --format csv", file.path, CLI.binary.path])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdoutData, direct.stdoutData)
        XCTAssertEqual(direct.lines.count, 20_001)
        XCTAssertEqual(direct.lines.last, "东湖区19999,139993,19999.25,,")
    }

    func testUnusableInputExitsTwoNamingTheFile() throws {
        let dir = try CLI.temporaryDirectory()
        let empty = dir.appendingPathComponent("空.xlsx")
        FileManager.default.createFile(atPath: empty.path, contents: Data())
        let result = try CLI.run(["dump", empty.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains(empty.path), result.stderr)
        XCTAssertTrue(result.stderr.contains("空的"), result.stderr)
        XCTAssertTrue(result.stdout.isEmpty)

        let missing = try CLI.run(["dump", dir.appendingPathComponent("nope.xlsx").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("无法打开"), missing.stderr)

        let book = try CLI.openpyxlWorkbook("ws['A1'] = 1", in: dir)
        let noSheet = try CLI.run(["dump", book.path, "--sheet", "不存在"])
        XCTAssertEqual(noSheet.status, 2)
        XCTAssertTrue(noSheet.stderr.contains("不存在"), noSheet.stderr)
    }

    func testCommandLineErrorsExitTwoAndHelpExitsZero() throws {
        XCTAssertEqual(try CLI.run(["dump"]).status, 2)
        XCTAssertEqual(try CLI.run(["dump", "x.xlsx", "--format", "xml"]).status, 2)
        XCTAssertEqual(try CLI.run(["frobnicate"]).status, 2)
        let help = try CLI.run(["dump", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("--format"))
    }
}
