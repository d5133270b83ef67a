import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// SpreadsheetML 2003 (`<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`) saved as
/// `.xls`: every fixture dumps exactly as computed in Python, agrees with LibreOffice where it reads
/// the file, and broken files are refused with a reason.
final class SpreadsheetML2003ReaderTests: XCTestCase {
    func testSpreadsheetMLFixturesDumpExactly() throws {
        for fixture in try LegacyTextFixtures.of(kind: "xml") {
            XCTAssertEqual(SpreadsheetFormat.sniff(path: fixture.file.path), .spreadsheetML2003, fixture.name)
            try LegacyTextFixtures.assertDumpsAsExpected(fixture)
        }
    }

    func testSpreadsheetMLFixturesAgreeWithLibreOffice() throws {
        var compared = try LegacyTextFixtures.of(kind: "xml").filter { $0.raw["libreoffice"] is String }
        compared += try LegacyTextFixtures.of(kind: "seed", prefix: "seed-spreadsheetml")
        XCTAssertEqual(compared.map(\.name), ["xml-annex", "seed-spreadsheetml"])
        for fixture in compared { try LegacyTextFixtures.assertAgreesWithLibreOffice(fixture) }
    }

    func testBrokenSpreadsheetMLIsRefusedWithAReason() throws {
        for fixture in try LegacyTextFixtures.of(kind: "broken", prefix: "xml-") {
            LegacyTextFixtures.assertRefused(fixture)
        }
    }

    func testDamagedWorkbooksNeverCrash() throws {
        for fixture in try LegacyTextFixtures.of(kind: "xml") { try LegacyTextFixtures.assertMutantsNeverCrash(fixture, count: 30) }
    }

    func testFormulaIsKeptInA1Notation() throws {
        let fixture = try XCTUnwrap(LegacyTextFixtures.of(kind: "xml").first { $0.name == "xml-types" })
        let sheet = try Spreadsheet.open(path: fixture.file.path).sheet(at: 0)
        let cell = try XCTUnwrap(sheet.cells.first { $0.reference == CellReference("E5") })
        XCTAssertEqual(cell.formula, "A1*2")
        XCTAssertEqual(cell.value, .number("7168"))
        let date = try XCTUnwrap(sheet.cells.first { $0.reference == CellReference("A2") })
        XCTAssertEqual(date.numberFormat, "yyyy/m/d")
        let percent = try XCTUnwrap(sheet.cells.first { $0.reference == CellReference("F2") })
        XCTAssertEqual(percent.numberFormat, "0.00%")
    }

    func testR1C1ReferencesBecomeA1() {
        let cell = CellReference(row: 6, column: 1)   // B7
        XCTAssertEqual(R1C1Formula.a1("=SUM(R[-3]C:R[-1]C)", at: cell), "SUM(B4:B6)")
        XCTAssertEqual(R1C1Formula.a1("=R1C1+RC[1]*R2C", at: cell), "$A$1+C7*B$2")
        XCTAssertEqual(R1C1Formula.a1("=ROUND(RC[-1]/R[-1]C,2)", at: cell), "ROUND(A7/B6,2)")
        XCTAssertEqual(R1C1Formula.a1("='Sheet R1C1'!R3C4&\"R1C1\"", at: cell), "'Sheet R1C1'!$D$3&\"R1C1\"")
        XCTAssertEqual(R1C1Formula.a1("=COUNTIF(C[1]:C[1],\"x\")", at: cell), nil, "whole columns are not rewritten")
        XCTAssertEqual(R1C1Formula.a1("=SUM(R2)", at: cell), nil, "whole rows are not rewritten")
        XCTAssertEqual(R1C1Formula.a1("=R[-7]C", at: cell), nil, "above row 1")
        XCTAssertEqual(R1C1Formula.a1("=RC16385", at: cell), nil, "beyond XFD")
        XCTAssertEqual(R1C1Formula.a1("=IF(R1C1>0,RC,\"\")", at: cell), "IF($A$1>0,B7,\"\")")
    }

    func testDateTimeTextFollowsTheXLSXConventions() {
        XCTAssertEqual(SpreadsheetMLDateTime.iso("2023-07-31T00:00:00.000", kind: .date), "2023-07-31")
        XCTAssertEqual(SpreadsheetMLDateTime.iso("2023-07-31T00:00:00.000", kind: .dateTime), "2023-07-31T00:00:00")
        XCTAssertEqual(SpreadsheetMLDateTime.iso("2023-07-31T00:00:00.000", kind: .general), "2023-07-31T00:00:00")
        XCTAssertEqual(SpreadsheetMLDateTime.iso("2023-07-31T12:05:00.000", kind: .date), "2023-07-31T12:05:00")
        XCTAssertEqual(SpreadsheetMLDateTime.iso("1899-12-31T08:30:00.000", kind: .time), "08:30:00")
        XCTAssertEqual(SpreadsheetMLDateTime.iso("2023-07-31T08:30:00.5", kind: .dateTime), "2023-07-31T08:30:00.500")
        XCTAssertEqual(SpreadsheetMLDateTime.iso("2023-07-31", kind: .date), "2023-07-31")
        XCTAssertEqual(SpreadsheetMLDateTime.iso("2023-07-31T08:30Z", kind: .dateTime), "2023-07-31T08:30:00")
        XCTAssertNil(SpreadsheetMLDateTime.iso("2023-02-29T00:00:00.000", kind: .date))
        XCTAssertNil(SpreadsheetMLDateTime.iso("2023-07-31T24:00:00", kind: .date))
        XCTAssertNil(SpreadsheetMLDateTime.iso("31/07/2023", kind: .date))
        XCTAssertNil(SpreadsheetMLDateTime.iso("2023-07-31T08:30:00.000 junk", kind: .date))
    }

    func testNamedFormatsClassifyAsExcelShowsThem() {
        let kinds: [String: NumberFormats.Kind] = [
            "General": .general, "General Number": .general, "General Date": .dateTime, "Long Date": .date,
            "Medium Date": .date, "Short Date": .date, "Long Time": .time, "Medium Time": .time, "Short Time": .time,
            "Currency": .number, "Fixed": .number, "Standard": .number, "Percent": .percent, "Scientific": .number,
            "Yes/No": .number, "@": .text, "0.00%": .percent, "yyyy\"年\"m\"月\"": .date,
        ]
        for (name, kind) in kinds {
            let code = ExcelNamedFormats.code(forFormat: name)
            XCTAssertEqual(code.map(NumberFormats.kind(of:)) ?? .general, kind, name)
        }
    }

    func testStylesInheritThroughParentsAndDefault() {
        var styles = SpreadsheetMLStyles()
        styles.add(id: "Default", parent: nil)
        styles.setFormat("Fixed", of: "Default")
        styles.add(id: "d", parent: nil)
        styles.setFormat("Short Date", of: "d")
        styles.add(id: "bold", parent: "d")
        styles.add(id: "loop1", parent: "loop2")
        styles.add(id: "loop2", parent: "loop1")
        let (formats, indexes) = styles.resolved()
        XCTAssertEqual(formats.code(0), "0.00", "cells without a style take Default's format")
        XCTAssertEqual(formats.code(indexes["bold"]!), "yyyy/m/d")
        XCTAssertNil(formats.code(indexes["loop1"]!))
    }

    func testSnifferKnowsSpreadsheetMLInEveryEncoding() {
        let xml = #"<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">"#
        XCTAssertEqual(SpreadsheetFormat.sniff(head: Array(xml.utf8)), .spreadsheetML2003)
        XCTAssertEqual(SpreadsheetFormat.sniff(head: [0xFF, 0xFE] + Array(xml.utf8).flatMap { [$0, 0] }), .spreadsheetML2003)
        XCTAssertEqual(SpreadsheetFormat.sniff(head: Array(xml.utf8).flatMap { [0, $0] }), .spreadsheetML2003)
        XCTAssertEqual(SpreadsheetFormat.sniff(head: Array(xml.utf8).flatMap { [$0, 0] }), .spreadsheetML2003)
        XCTAssertEqual(SpreadsheetFormat.sniff(head: Array(#"<ss:Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">"#.utf8)),
                       .spreadsheetML2003)
    }

    func testDeclaredGBEncodingsAreDecodedHere() {
        XCTAssertEqual(SpreadsheetMLEncoding.decoderNeeded(head: Array(#"<?xml version="1.0" encoding="GB2312"?><W"#.utf8)), .gb18030)
        XCTAssertEqual(SpreadsheetMLEncoding.decoderNeeded(head: [0xEF, 0xBB, 0xBF] + Array(#"<?xml version='1.0' encoding='gbk'?>"#.utf8)), .gb18030)
        XCTAssertNil(SpreadsheetMLEncoding.decoderNeeded(head: Array(#"<?xml version="1.0" encoding="UTF-8"?>"#.utf8)))
        XCTAssertNil(SpreadsheetMLEncoding.decoderNeeded(head: Array(#"<?xml version="1.0"?>"#.utf8)))
        XCTAssertNil(SpreadsheetMLEncoding.decoderNeeded(head: Array("<Workbook>".utf8)))
    }

    func testCellsBeyondTheSheetAreRefusedAndMergesClamped() throws {
        let dir = try TestSupport.temporaryDirectory("annex-xml")
        func workbook(_ rows: String) -> String {
            #"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"><Table>"#
                + rows + "</Table></Worksheet></Workbook>"
        }
        let clamped = dir.appendingPathComponent("clamped.xls").path
        try Data(workbook(
            #"<Row><Cell ss:MergeAcross="99999999" ss:MergeDown="99999999"><Data ss:Type="String">大</Data></Cell></Row>"#).utf8).write(to: URL(fileURLWithPath: clamped))
        let source = try Spreadsheet.open(path: clamped)
        XCTAssertEqual(try source.sheet(at: 0).merged, [CellRange("A1:XFD1048576")!])

        for (name, rows, words) in [
            ("column", #"<Row><Cell ss:Index="16385"><Data ss:Type="Number">1</Data></Cell></Row>"#, "最大列数"),
            ("row", #"<Row ss:Index="1048577"><Cell><Data ss:Type="Number">1</Data></Cell></Row>"#, "最大行数"),
            ("order", #"<Row ss:Index="5"/><Row ss:Index="3"/>"#, "递增"),
            ("bool", #"<Row><Cell><Data ss:Type="Boolean">yes</Data></Cell></Row>"#, "布尔值"),
            ("datetime", #"<Row><Cell><Data ss:Type="DateTime">2023-13-01T00:00:00</Data></Cell></Row>"#, "日期时间"),
        ] {
            let path = dir.appendingPathComponent("\(name).xls").path
            try Data(workbook(rows).utf8).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Spreadsheet.open(path: path).sheet(at: 0), name) { error in
                XCTAssertTrue("\(error)".contains(words) && "\(error)".contains("工作表“S”"), "\(name): \(error)")
            }
        }
    }
}
