import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// Legacy BIFF `.xls` (issue 12): `annex dump` agrees with xlrd on every cell and merge of workbooks
/// written by LibreOffice, xlwt and by hand (BIFF8 and BIFF5/7, both sector sizes, the mini stream,
/// DIFAT), gives the same values as the xlsx reader for the same workbook, and rejects broken
/// compound files with a clear message instead of hanging or crashing.
final class XLSReaderTests: XCTestCase {
    /// The dump's sheets as (name, merged ranges, cells as "ref type value" in the order given).
    private typealias Dump = [(name: String, merged: [String], cells: [String])]

    private static func parse(_ json: [String: Any]) -> Dump {
        (json["sheets"] as? [[String: Any]] ?? []).map { sheet in
            (sheet["name"] as? String ?? "", sheet["merged"] as? [String] ?? [],
             (sheet["cells"] as? [[String: Any]] ?? []).map { "\($0["ref"] ?? "") \($0["type"] ?? "") \($0["value"] ?? "")" })
        }
    }

    private static func xlrdDump(_ path: String) throws -> Dump {
        let script = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/xlrd_reference_dump.py").path
        let result = try TestSupport.run("python3", [script, path])
        XCTAssertEqual(result.status, 0, "xlrd_reference_dump.py \(path): \(result.stderr)")
        return parse(try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any]))
    }

    private func assertSame(_ actual: Dump, _ expected: Dump, _ fixture: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.map(\.name), expected.map(\.name), "\(fixture): sheet names", file: file, line: line)
        for (a, e) in zip(actual, expected) {
            XCTAssertEqual(a.merged, e.merged, "\(fixture)!\(e.name): merged ranges", file: file, line: line)
            XCTAssertEqual(a.cells.count, e.cells.count, "\(fixture)!\(e.name): cell count", file: file, line: line)
            for (k, (got, want)) in zip(a.cells, e.cells).enumerated() where got != want {
                XCTFail("\(fixture)!\(e.name) cell #\(k): expected \(want), got \(got)", file: file, line: line)
                break
            }
        }
    }

    func testDumpAgreesWithXlrdOnEveryCellAndMerge() throws {
        let fixtures = try XLSFixtures.of(kind: "xls")
        XCTAssertGreaterThanOrEqual(fixtures.count, 12)
        for fixture in fixtures {
            do {
                assertSame(Self.parse(try FixtureDumpTests.dump(fixture.file.path)), try Self.xlrdDump(fixture.file.path), fixture.name)
            } catch {
                XCTFail("\(fixture.name) (\(fixture.proves)): \(error)")
            }
        }
    }

    /// Version-4 compound files (4096-byte sectors), which xlrd cannot read: the same cells as the
    /// version-3 twin.
    func testFourKilobyteSectorsReadLikeTheirTwin() throws {
        for fixture in try XLSFixtures.of(kind: "xls-same-as") {
            let twin = try XLSFixtures.directory.appendingPathComponent(try XCTUnwrap(fixture.raw["same_as"] as? String)).path
            assertSame(Self.parse(try FixtureDumpTests.dump(fixture.file.path)), Self.parse(try FixtureDumpTests.dump(twin)), fixture.name)
        }
    }

    /// The same workbook as .xlsx (made by openpyxl) and as .xls (converted by LibreOffice) gives the
    /// same cells and merges through both readers.
    func testXLSGivesTheSameValuesAsItsXLSXTwin() throws {
        var compared = 0
        for fixture in try XLSFixtures.of(kind: "xls") {
            guard let twin = fixture.raw["xlsx_twin"] as? String else { continue }
            let xlsx = try XLSFixtures.directory.appendingPathComponent(twin).path
            assertSame(Self.parse(try FixtureDumpTests.dump(fixture.file.path)), Self.parse(try FixtureDumpTests.dump(xlsx)), fixture.name)
            compared += 1
        }
        XCTAssertEqual(compared, 5)
    }

    /// Values written by hand into the SST and cell records, checked directly rather than through xlrd.
    func testHandWrittenBIFF8Values() throws {
        let reader = try XLSReader(path: try XLSFixtures.named("handmade-biff8").file.path)
        XCTAssertEqual(reader.sheetNames, ["数据", "隐藏"], "the chart sheet is not a worksheet; the hidden one is kept")
        var rows: [[String]] = []
        let merged = try reader.readSheet(at: 0) { cells in
            rows.append(cells.map { "\($0.reference) \($0.value.text)" })
        }
        XCTAssertEqual(rows[0], ["A1 全市", "B1 plain", "C1 就业ab", "D1 xy培训", "E1 富文本", "F1 边界", "G1 ", "H1 末尾 tail"],
                       "SST strings across CONTINUE boundaries, width switching both ways; cells written right to left")
        XCTAssertEqual(rows[1].first, "A2 0.1", "row 2 was written after row 3 in the same block")
        XCTAssertEqual(rows[2], ["A3 536870911", "B3 -5", "C3 123.45", "D3 0.5", "E3 0.03", "F3 100.92"],
                       "RK: integer, integer ÷ 100, float, float ÷ 100; MULRK")
        XCTAssertEqual(rows[5], ["A6 42.5", "B6 公式文本", "C6 true", "D6 #N/A", "E6 ", "F6 2023-08-01"],
                       "FORMULA cached number, string (STRING after SHRFMLA), bool, error, empty string, date")
        XCTAssertEqual(rows[6], ["A7 plain"], "the embedded chart's cell is not the sheet's")
        XCTAssertEqual(merged.map(\.description), ["A1:C1", "J4:J5", "A7:B8"])
    }

    func testBIFF5StringsAreDecodedFromTheCodePage() throws {
        let gbk = try XLSReader(path: try XLSFixtures.named("handmade-biff5-cp936").file.path)
        XCTAssertEqual(gbk.sheetNames, ["就业培训一", "第二"])
        let sheet = try gbk.sheet(at: 0)
        XCTAssertEqual(sheet.cells.prefix(4).map(\.value.text), ["就业培训一", "城镇新增就业人数", "红谷滩区", "无"])
        let western = try XLSReader(path: try XLSFixtures.named("handmade-biff5-cp1252").file.path)
        XCTAssertEqual(try western.sheet(at: 0).cells.prefix(4).map(\.value.text), ["Café", "€ 5", "naïve", "Größe"])
    }

    /// A byte the code page does not define becomes U+FFFD; the rest of the string survives.
    func testBytesOutsideTheCodePageBecomeReplacementCharacters() {
        let gbk = TextDecoding(biff8: false, codePage: 936)
        XCTAssertEqual(gbk.decode([0xB2, 0xE2, 0xCA, 0xD4][...]), "测试")
        XCTAssertEqual(gbk.decode([0xB2, 0xE2, 0xFF, 0x41, 0xB2][...]), "测\u{FFFD}A\u{FFFD}")
        let western = TextDecoding(biff8: false, codePage: 1252)
        XCTAssertEqual(western.decode([0x43, 0x61, 0x66, 0xE9, 0x81, 0x80][...]), "Café\u{FFFD}€")
        XCTAssertFalse(TextDecoding(biff8: false, codePage: 4242).isSupported)
    }

    func testRKValues() {
        XCTAssertEqual(WorksheetRecords.rkValue(0x0000_0002 | UInt32(bitPattern: -5 << 2)), -5)
        XCTAssertEqual(WorksheetRecords.rkValue(UInt32(12345 << 2 | 3)), 123.45)
        XCTAssertEqual(WorksheetRecords.rkValue(0x3FF0_0000), 1.0)
        XCTAssertEqual(WorksheetRecords.rkValue(0x3FF0_0001), 0.01)
    }

    /// Every broken file: an `AnnexError` naming the file and saying why, quickly (no loop, no hang).
    func testBrokenCompoundFilesAndWorkbooksGetAClearError() throws {
        let words: [String: [String]] = ["corrupt": ["损坏", "截断"], "encrypted": ["加密"], "old": ["BIFF2–4"],
                                         "no-workbook": ["没有 Excel 工作簿"]]
        let broken = try XLSFixtures.of(kind: "broken")
        XCTAssertGreaterThanOrEqual(broken.count, 16)
        for fixture in broken {
            let started = Date()
            XCTAssertThrowsError(try FixtureDumpTests.dump(fixture.file.path), fixture.name) { error in
                guard let error = error as? AnnexError else { return XCTFail("\(fixture.name): not an AnnexError: \(error)") }
                XCTAssertEqual(error.file, fixture.file.path, fixture.name)
                let expected = words[fixture.raw["expect"] as? String ?? ""] ?? []
                XCTAssertTrue(expected.contains { error.description.contains($0) }, "\(fixture.name): \(error)")
            }
            XCTAssertLessThan(Date().timeIntervalSince(started), 1, fixture.name)
        }
    }

    /// Rows come in order, each once, cells in column order: across LibreOffice's row blocks, and in a
    /// sheet without ROW or DBCELL records, whose buffer is cut at a row change once full (a cell that
    /// comes after its row was lent is an error: biff-cell-after-its-row).
    func testRowsAreLentInOrderAcrossRowBlocks() throws {
        for (name, rows, cells) in [("libreoffice-big-sst", 1500, 4), ("handmade-no-row-blocks", 680, 25)] {
            let reader = try XLSReader(path: try XLSFixtures.named(name).file.path)
            var last = -1
            var count = 0
            try reader.readRows(at: 0) { row in
                XCTAssertEqual(row[0].reference.row, last + 1, name)
                XCTAssertEqual(row.count, cells, name)
                last = row[0].reference.row
                for k in 1..<row.count { XCTAssertLessThan(row[k - 1].reference.column, row[k].reference.column, name) }
                count += 1
            }
            XCTAssertEqual(count, rows, name)
        }
    }
}
