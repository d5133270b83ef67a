import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// Cells that real files from other programs contain and that the reader once got wrong (issue #13):
/// elapsed-time formats are durations, dates no calendar can show stay numbers, empty `<v/>` is an
/// empty cell, an inline string ignores a stray `<v>`, `t="d"` text is parsed, and a formula without
/// a cached value is its `=` text. Each is written by hand as sheet XML, and checked against what
/// openpyxl and LibreOffice make of the same file.
final class OddCellTests: XCTestCase {
    private static let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    /// Styles: 0 General, 1 `[h]:mm:ss` (built-in 46), 2 `[mm]:ss`, 3 `yyyy/m/d` (14), 4 `[ss]`.
    private static let rows = """
        <row r="1"><c r="A1" s="1"><v>10.632060185185185</v></c><c r="B1" s="1"><v>-0.5</v></c><c r="C1" s="2"><v>2</v></c><c r="D1" s="3"><v>-1</v></c><c r="E1" s="3"><v>3000000</v></c><c r="F1" s="4"><v>0.0000173611111111111</v></c></row>
        <row r="2"><c r="A2" t="s"><v/></c><c r="B2" t="b"><v> </v></c><c r="C2" t="e"><v></v></c><c r="D2" t="d"><v/></c><c r="E2" t="s"><v> 0 </v></c></row>
        <row r="3"><c r="A3" t="inlineStr"><is><t>abc</t></is><v>zzz</v></c><c r="B3" t="d"><v>2023-07-31T09:30:00.1234Z</v></c><c r="C3" t="d"><v>not a date</v></c><c r="D3" t="d" s="3"><v>2023-07-31T00:00:00</v></c><c r="E3" t="d"><v>09:30:00</v></c></row>
        <row r="4"><c r="A4"><f>100%</f><v></v></c><c r="B4"><f>SUM(B1:B3)</f></c><c r="C4"><f>1+1</f><v>2</v></c></row>
        """

    private func workbook(rows: String = OddCellTests.rows) throws -> String {
        let folder = try TestSupport.temporaryDirectory("odd-cells")
        let path = folder.appendingPathComponent("odd.xlsx").path
        var bytes: [UInt8] = []
        let zip = ZipWriter(level: 1) { bytes.append(contentsOf: $0) }
        let parts: [(String, String)] = [
            ("[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
                """),
            ("_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """),
            ("xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\(Self.ns)" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>
                """),
            ("xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
                """),
            ("xl/sharedStrings.xml", """
                <?xml version="1.0" encoding="UTF-8"?><sst xmlns="\(Self.ns)" count="1" uniqueCount="1"><si><t>东湖区</t></si></sst>
                """),
            ("xl/styles.xml", """
                <?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="\(Self.ns)"><numFmts count="2"><numFmt numFmtId="164" formatCode="[mm]:ss"/><numFmt numFmtId="165" formatCode="[ss]"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="46" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>
                """),
            ("xl/worksheets/sheet1.xml", """
                <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="\(Self.ns)"><sheetData>\(rows)</sheetData></worksheet>
                """),
        ]
        for (name, text) in parts { try zip.addEntry(name, Array(text.utf8)) }
        try zip.finish()
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    private func cells(_ path: String) throws -> [String: Cell] {
        let reader = try XLSXReader(path: path)
        var cells: [String: Cell] = [:]
        try reader.readSheet(at: 0) { row in for cell in row { cells[cell.reference.description] = cell } }
        return cells
    }

    func testOddCellsReadAsTheyShould() throws {
        let cells = try cells(try workbook())
        XCTAssertEqual(cells["A1"]?.value, .duration("PT255H10M10S"))
        XCTAssertEqual(cells["B1"]?.value, .duration("-PT12H"))
        XCTAssertEqual(cells["C1"]?.value, .duration("PT48H"))
        XCTAssertEqual(cells["F1"]?.value, .duration("PT1.5S"))
        XCTAssertEqual(cells["D1"]?.value, .number("-1"), "no calendar date shows a negative serial")
        XCTAssertEqual(cells["E1"]?.value, .number("3000000"), "past 9999-12-31")
        for empty in ["A2", "B2", "C2", "D2"] { XCTAssertNil(cells[empty], empty) }
        XCTAssertEqual(cells["E2"]?.value, .string("东湖区"))
        XCTAssertEqual(cells["A3"]?.value, .string("abc"))
        XCTAssertEqual(cells["B3"]?.value, .date("2023-07-31T09:30:00.123"))
        XCTAssertEqual(cells["C3"]?.value, .string("not a date"))
        XCTAssertEqual(cells["D3"]?.value, .date("2023-07-31"))
        XCTAssertEqual(cells["E3"]?.value, .date("09:30:00"))
        XCTAssertEqual(cells["A4"]?.value, .string("=100%"))
        XCTAssertEqual(cells["A4"]?.formula, "100%")
        XCTAssertEqual(cells["B4"]?.value, .string("=SUM(B1:B3)"))
        XCTAssertEqual(cells["C4"]?.value, .number("2"))
        XCTAssertEqual(cells["C4"]?.formula, "1+1")
    }

    /// openpyxl (the reference of the dump fixtures) agrees where it can read the cells at all: durations as timedeltas of the same
    /// length, the inline string without the stray `<v>`, formulas without a cached value as `=…`.
    func testOpenpyxlAgrees() throws {
        // Rows 1 and 4, and row 3's inline string: openpyxl refuses the others (an empty shared-string
        // `<v/>`, `t="d"` text that is no date), which is part of why annex reads them itself.
        let lines = Self.rows.split(separator: "\n")
        let path = try workbook(rows: [String(lines[0]), #"<row r="3"><c r="A3" t="inlineStr"><is><t>abc</t></is><v>zzz</v></c></row>"#,
                                       String(lines[3])].joined())
        let script = """
            import json, sys, datetime, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1]).active
            out = {}
            for ref in ["A1", "B1", "C1", "A3", "A4", "B4"]:
                v = ws[ref].value
                out[ref] = v.total_seconds() if isinstance(v, datetime.timedelta) else v
            print(json.dumps(out, ensure_ascii=False))
            """
        let result = try TestSupport.python(["-c", script, path])
        let values = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        XCTAssertEqual(values["A1"] as? Double ?? 0, 918_610, accuracy: 0.001)   // 255 h 10 min 10 s
        XCTAssertEqual(values["B1"] as? Double ?? 0, -43_200, accuracy: 0.001)   // -12 h
        XCTAssertEqual(values["C1"] as? Double ?? 0, 172_800, accuracy: 0.001)   // 48 h
        XCTAssertEqual(values["A3"] as? String, "abc")
        XCTAssertEqual(values["A4"] as? String, "=100%")
        XCTAssertEqual(values["B4"] as? String, "=SUM(B1:B3)")
        let cells = try cells(path)
        XCTAssertEqual(cells["A3"]?.value, .string("abc"))
        XCTAssertEqual(cells["A4"]?.value, .string("=100%"))
    }

    /// LibreOffice opens the whole file and agrees: 255:10:10 and -12:00:00 for the durations, the
    /// shared string behind ` 0 `, the `t="d"` text parsed to the same instant (it shows the serial),
    /// text that is no date kept as text, the stray `<v>` not appended to the inline string.
    func testLibreOfficeAgrees() throws {
        let path = try workbook()
        let out = try TestSupport.temporaryDirectory("odd-cells-lo")
        let profile = try TestSupport.temporaryDirectory("lo-profile")
        try TestSupport.run("soffice", ["-env:UserInstallation=file://\(profile.path)", "--headless",
                                        "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", out.path, path])
        let csv = try String(contentsOf: out.appendingPathComponent("odd.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: "\"", with: "") } }
        XCTAssertEqual(Array(lines[0].prefix(2)), ["255:10:10", "-12:00:00"], csv)
        XCTAssertEqual(lines[1][4], "东湖区", csv)
        XCTAssertEqual(Double(lines[2][1]) ?? 0, 45138 + 9.5 / 24, accuracy: 1e-6, csv)   // 2023-07-31 09:30
        XCTAssertEqual(lines[2][2], "not a date", csv)
        XCTAssertFalse(lines[2][0].contains("zzz"), csv)
    }

    func testDurationTextRoundTripsThroughTheWriter() throws {
        for (iso, serial) in [("PT255H10M10S", "10.632060185185185"), ("-PT12H", "-0.5"), ("PT1.5S", "1.736111111111111e-05"),
                              ("P1DT2H", "1.0833333333333333")] {
            XCTAssertEqual(try XLSXDateSerial.durationSerial(iso), serial, iso)
            XCTAssertEqual(NumberFormats.isoDuration(serial: Double(serial)!), iso == "P1DT2H" ? "PT26H" : iso)
        }
        XCTAssertThrowsError(try XLSXDateSerial.durationSerial("12:00"))
        XCTAssertThrowsError(try XLSXDateSerial.durationSerial("PT"))
        XCTAssertEqual(NumberFormats.canonicalISO("2023-07-31T09:30:00+08:00", dateOnly: false), "2023-07-31T09:30:00")
        XCTAssertEqual(NumberFormats.canonicalISO("2023-02-29", dateOnly: true), nil)
        XCTAssertEqual(NumberFormats.canonicalISO("2024-02-29 00:00:00", dateOnly: true), "2024-02-29")
        XCTAssertEqual(NumberFormats.canonicalISO("2024-02-29 00:00:00", dateOnly: false), "2024-02-29T00:00:00")
    }
}
