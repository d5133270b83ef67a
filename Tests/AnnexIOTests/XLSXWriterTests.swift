import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// The .xlsx writer, checked from outside: the ECMA-376 schemas, openpyxl, LibreOffice (values and
/// printing) and annex's own reader must all see what was written.
final class XLSXWriterTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try TestSupport.temporaryDirectory("xlsx-writer")
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @discardableResult
    private func writeAnnex(_ name: String = "annex.xlsx", workbook: Workbook = XLSXWriterFixtures.workbook) throws -> String {
        let file = path(name)
        try XLSXWriter.write(workbook, to: file)
        return file
    }

    private func python(_ script: String, _ arguments: [String]) throws -> Any {
        let result = try TestSupport.run("python3", ["-c", script] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    /// One zip member as text (python's zipfile, independent of annex's zip code).
    private func member(_ file: String, _ name: String) throws -> String {
        let result = try TestSupport.run("python3", ["-c", "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode('utf-8'))", file, name])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    // MARK: - Validity

    func testAnnexWorkbookIsSchemaValid() throws {
        let file = try writeAnnex()
        try TestSupport.assertValidOOXML(file)
        let sheet = try member(file, "xl/worksheets/sheet1.xml")
        // Schema order: sheetPr, sheetViews, cols, sheetData, mergeCells, pageMargins, pageSetup.
        let order = ["<sheetPr>", "<sheetViews>", "<cols>", "<sheetData>", "<mergeCells", "<pageMargins", "<pageSetup"]
        let positions = order.map { sheet.range(of: $0)?.lowerBound }
        XCTAssertFalse(positions.contains(nil), "missing one of \(order)")
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted())
        XCTAssertTrue(sheet.contains(#"<pageSetUpPr fitToPage="1"/>"#))
        XCTAssertTrue(sheet.contains(#"<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>"#))
        XCTAssertTrue(sheet.contains(#"<pane xSplit="1" ySplit="6" topLeftCell="B7" activePane="bottomRight" state="frozen"/>"#))
        XCTAssertTrue(sheet.contains(#"<row r="1" ht="30" customHeight="1">"#))
        let styles = try member(file, "xl/styles.xml")
        XCTAssertTrue(styles.contains(#"<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>"#))
        XCTAssertTrue(styles.contains(#"<border diagonalDown="1">"#))
        XCTAssertTrue(styles.contains(#"<diagonal style="thin">"#))
        // Built-in ids for 0, 0.00%, #,##0.00 and 0.00: no custom formats in the first sheet's workbook
        // except the date format of sheet 2.
        XCTAssertTrue(styles.contains(#"<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>"#), styles)
        XCTAssertFalse(styles.contains(#"numFmtId="165""#))
        let workbook = try member(file, "xl/workbook.xml")
        XCTAssertTrue(workbook.contains(#"<definedName name="_xlnm.Print_Titles" localSheetId="0">'附件1'!$1:$6</definedName>"#), workbook)
        let core = try member(file, "docProps/core.xml")
        XCTAssertTrue(core.contains("<dc:title>2023年7月就业培训通报附件</dc:title>"))
        XCTAssertFalse(core.contains("dcterms:created"))
    }

    func testStyleTablesAreDeduplicated() throws {
        let file = try writeAnnex()
        let styles = try member(file, "xl/styles.xml")
        func count(_ tag: String) -> Int { styles.components(separatedBy: tag).count - 1 }
        // Fonts: default 宋体 11, 黑体 16 bold, 宋体 10, 宋体 10 bold, 宋体 10 coloured.
        XCTAssertEqual(count("<font>"), 5)
        // Fills: none, gray125, the header grey.
        XCTAssertEqual(count("<fill>"), 3)
        // Borders: none, thin all round, thin all round + diagonal.
        XCTAssertEqual(count("<border"), 3 + 1)   // + "<borders"
        // xfs: default; title; units; corner; header; unit name; data × {0, 0.00%, #,##0.00, 0.00, General(markers)};
        // sheet 2: the date.
        XCTAssertTrue(styles.contains(#"<cellXfs count="12">"#), styles)
        XCTAssertTrue(styles.contains(#"<cellXfs count="12"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#))
    }

    // MARK: - Other readers see the same thing

    func testOpenpyxlReadsValuesMergesFormatsAndPrintSetup() throws {
        let file = try writeAnnex()
        let script = #"""
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
cached = openpyxl.load_workbook(sys.argv[1], data_only=True)
out = {"sheets": wb.sheetnames, "title": wb.properties.title, "creator": wb.properties.creator}
def val(v):
    if isinstance(v, bool): return ["bool", "true" if v else "false"]
    if isinstance(v, (int, float)): return ["number", repr(v)]
    if isinstance(v, datetime.datetime): return ["date", v.isoformat()]
    if v is None: return ["none", None]
    return ["string", str(v)]
for ws in wb.worksheets:
    cs = cached[ws.title]
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None: continue
            b = c.border
            cells[c.coordinate] = {
                "value": val(cs[c.coordinate].value), "formula": c.value if c.data_type == "f" else None,
                "type": cs[c.coordinate].data_type,
                "format": c.number_format, "font": [c.font.name, c.font.sz, bool(c.font.b), c.font.color.rgb if c.font.color is not None else None],
                "border": [b.left.style, b.diagonalDown, b.diagonal.style if b.diagonal is not None else None],
                "fill": [c.fill.patternType, c.fill.fgColor.rgb if c.fill.patternType else None],
                "align": [c.alignment.horizontal, c.alignment.vertical, "true" if c.alignment.wrap_text else "false"]}
    ps = ws.page_setup
    out[ws.title] = {
        "cells": cells, "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "freeze": ws.freeze_panes, "titles": ws.print_title_rows,
        "orientation": ps.orientation, "paper": ps.paperSize, "fitW": ps.fitToWidth, "fitH": ps.fitToHeight,
        "fitToPage": ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
        "marginLeft": ws.page_margins.left,
        "widthA": ws.column_dimensions["A"].width, "widthB": ws.column_dimensions["B"].width,
        "height1": ws.row_dimensions[1].height, "height7": ws.row_dimensions[7].height}
print(json.dumps(out, ensure_ascii=False))
"""#
        let json = try XCTUnwrap(try python(script, [file]) as? [String: Any])
        XCTAssertEqual(json["sheets"] as? [String], ["附件1", "附件2 (续)"])
        XCTAssertEqual(json["title"] as? String, "2023年7月就业培训通报附件")
        XCTAssertEqual(json["creator"] as? String, "annex 测试")

        let annex = try XCTUnwrap(json["附件1"] as? [String: Any])
        let cells = try XCTUnwrap(annex["cells"] as? [String: [String: Any]])
        XCTAssertEqual(annex["merged"] as? [String], XLSXWriterFixtures.merged.map(\.description).sorted())
        XCTAssertEqual(annex["freeze"] as? String, "B7")
        XCTAssertEqual((annex["titles"] as? String)?.replacingOccurrences(of: "$", with: ""), "1:6")
        XCTAssertEqual(annex["orientation"] as? String, "landscape")
        XCTAssertEqual(annex["paper"] as? Int, 9)
        XCTAssertEqual(annex["fitW"] as? Int, 1)
        XCTAssertEqual(annex["fitH"] as? Int, 0)
        XCTAssertEqual(annex["fitToPage"] as? Bool, true)
        XCTAssertEqual(annex["marginLeft"] as? Double, 0.4)
        XCTAssertEqual(annex["widthA"] as? Double, 14)
        XCTAssertEqual(annex["widthB"] as? Double, 11)
        XCTAssertEqual(annex["height1"] as? Double, 30)

        // Every written cell, value by value; blank header fillers are written as empty strings.
        for row in XLSXWriterFixtures.annexRows {
            for cell in row {
                let ref = cell.reference.description
                switch cell.value {
                case .string(let text) where text.isEmpty:
                    continue   // openpyxl reports an empty shared string as no value
                case .string(let text):
                    XCTAssertEqual(cells[ref]?["value"] as? [String], ["string", text], ref)
                case .number(let text):
                    let pair = try XCTUnwrap(cells[ref]?["value"] as? [Any], ref)
                    XCTAssertEqual(pair.first as? String, "number", ref)
                    XCTAssertEqual(Double(pair.last as? String ?? ""), Double(text), ref)
                    XCTAssertEqual(cells[ref]?["format"] as? String, cell.numberFormat, ref)
                default:
                    XCTFail("unexpected \(cell.value) at \(ref)")
                }
            }
        }
        XCTAssertEqual(cells["B11"]?["value"] as? [String], ["string", "-"])
        XCTAssertEqual(cells["H16"]?["value"] as? [String], ["string", "无"])
        XCTAssertEqual(cells["B7"]?["format"] as? String, "0")
        XCTAssertEqual(cells["D7"]?["format"] as? String, "0.00%")
        XCTAssertEqual(cells["E7"]?["format"] as? String, "#,##0.00")
        XCTAssertEqual(cells["F7"]?["format"] as? String, "0.00")

        // Styles.
        let titleFont = try XCTUnwrap(cells["A1"]?["font"] as? [Any])
        XCTAssertEqual(titleFont[0] as? String, "黑体")
        XCTAssertEqual(titleFont[1] as? Double, 16)
        XCTAssertEqual(titleFont[2] as? Bool, true)
        let unitFont = try XCTUnwrap(cells["A7"]?["font"] as? [Any])
        XCTAssertEqual(unitFont[3] as? String, "FF1F3864")
        let corner = try XCTUnwrap(cells["A3"]?["border"] as? [Any])
        XCTAssertEqual(corner[0] as? String, "thin")
        XCTAssertEqual(corner[1] as? Bool, true)
        XCTAssertEqual(corner[2] as? String, "thin")
        XCTAssertEqual(cells["A3"]?["value"] as? [String], ["string", "项目\n单位"])
        XCTAssertEqual(strings(cells["A3"]?["align"]), ["left", "center", "true"])
        let dataBorder = try XCTUnwrap(cells["B7"]?["border"] as? [Any])
        XCTAssertEqual(dataBorder[0] as? String, "thin")
        XCTAssertNotEqual(dataBorder[1] as? Bool, true)
        XCTAssertEqual(cells["B3"]?["fill"] as? [String], ["solid", "FFD9D9D9"])
        XCTAssertEqual(strings(cells["B3"]?["align"]), ["center", "center", "true"])

        // Sheet 2: the other value kinds, and a portrait page that is not fitted.
        let second = try XCTUnwrap(json["附件2 (续)"] as? [String: Any])
        let other = try XCTUnwrap(second["cells"] as? [String: [String: Any]])
        XCTAssertEqual(other["B1"]?["value"] as? [String], ["string", "O'Brien & <Co> \"引号\""])
        XCTAssertEqual(strings(other["A2"]?["value"]), ["bool", "true"])
        XCTAssertEqual(strings(other["B2"]?["value"]), ["bool", "false"])
        XCTAssertEqual(other["A3"]?["type"] as? String, "e")
        XCTAssertEqual(other["A3"]?["value"] as? [String], ["string", "#DIV/0!"])
        XCTAssertEqual(other["B3"]?["value"] as? [String], ["date", "2023-07-31T00:00:00"])
        XCTAssertEqual(other["B3"]?["format"] as? String, "yyyy-mm-dd")
        XCTAssertEqual(other["C4"]?["formula"] as? String, "=A4+B4")
        XCTAssertEqual(other["C4"]?["value"] as? [String], ["number", "5.5"])
        XCTAssertEqual(other["D4"]?["formula"] as? String, "=C4&\"元\"")
        XCTAssertEqual(other["D4"]?["value"] as? [String], ["string", "5.5元"])
        XCTAssertEqual(second["orientation"] as? String, "portrait")
        XCTAssertEqual(second["fitToPage"] as? Bool, true)   // PageSetup() fits to one page wide by default
        XCTAssertNil(second["freeze"] as? String)
        XCTAssertNil(second["titles"] as? String)
    }

    func testLibreOfficeShowsTheSameValues() throws {
        let file = try writeAnnex()
        let rows = try libreOfficeCSV(file)
        XCTAssertEqual(rows.first?.first, "2023年7月全市就业培训工作进展情况表（一）")
        XCTAssertEqual(rows[1].first, "单位：人、万元、%")
        XCTAssertEqual(rows[2].first, "项目\n单位")
        XCTAssertEqual(Array(rows[4][2...6]), ["本月完成", "同比增长", "累计完成", "占全年任务", "同比增长"])
        for r in 0..<XLSXWriterFixtures.dataRowCount {
            let line = rows[XLSXWriterFixtures.headerRows + r]
            var expected = [XLSXWriterFixtures.unitName(r)]
            for c in 1..<XLSXWriterFixtures.columnCount { expected.append(XLSXWriterFixtures.displayed(row: r, column: c)) }
            XCTAssertEqual(line, expected, "row \(XLSXWriterFixtures.headerRows + r + 1)")
        }
        XCTAssertEqual(rows.count, XLSXWriterFixtures.headerRows + XLSXWriterFixtures.dataRowCount)
    }

    /// The annex sheet has 19 columns, far too wide for one page unfitted; A4 landscape fitted to one
    /// page wide, its 36 rows print on one page. Sheet 2 prints on one more page.
    func testLibreOfficePrintsTheAnnexOnePageWide() throws {
        let fitted = try writeAnnex("fitted.xlsx")
        XCTAssertEqual(try pdfPageCount(fitted), 2)

        // The same sheet without fitting spreads over several pages: the check above means something.
        var workbook = XLSXWriterFixtures.workbook
        workbook.sheets[0].layout.page?.fitToWidth = nil
        workbook.sheets[0].layout.page?.orientation = .portrait
        let unfitted = try writeAnnex("unfitted.xlsx", workbook: workbook)
        XCTAssertGreaterThan(try pdfPageCount(unfitted), 3)
    }

    // MARK: - Streaming, determinism, errors

    func testSameInputGivesSameBytes() throws {
        let first = try writeAnnex("first.xlsx")
        let second = try writeAnnex("second.xlsx")
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        let b = try Data(contentsOf: URL(fileURLWithPath: second))
        XCTAssertGreaterThan(a.count, 1000)
        XCTAssertEqual(a, b)

        // With a creation time the bytes are deterministic as well, and the time is written.
        var options = XLSXWriteOptions()
        options.properties.created = "2023-08-28T00:00:00Z"
        try XLSXWriter.write(XLSXWriterFixtures.workbook, to: path("c1.xlsx"), options: options)
        try XLSXWriter.write(XLSXWriterFixtures.workbook, to: path("c2.xlsx"), options: options)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("c1.xlsx"))),
                       try Data(contentsOf: URL(fileURLWithPath: path("c2.xlsx"))))
        XCTAssertTrue(try member(path("c1.xlsx"), "docProps/core.xml")
            .contains(#"<dcterms:created xsi:type="dcterms:W3CDTF">2023-08-28T00:00:00Z</dcterms:created>"#))
        try TestSupport.assertValidOOXML(path("c1.xlsx"))
    }

    func testCompressionLevelIsAnOption() throws {
        var options = XLSXWriteOptions()
        options.compressionLevel = 9
        try XLSXWriter.write(XLSXWriterFixtures.workbook, to: path("l9.xlsx"), options: options)
        options.compressionLevel = 0
        try XLSXWriter.write(XLSXWriterFixtures.workbook, to: path("l0.xlsx"), options: options)
        let level1 = try writeAnnex("l1.xlsx")
        func size(_ p: String) throws -> Int { try Data(contentsOf: URL(fileURLWithPath: p)).count }
        XCTAssertLessThan(try size(path("l9.xlsx")), try size(level1))
        XCTAssertLessThan(try size(level1), try size(path("l0.xlsx")))
        try TestSupport.assertValidOOXML(path("l0.xlsx"))
        try TestSupport.assertValidOOXML(path("l9.xlsx"))
    }

    func testStreamsHundredThousandRows() throws {
        let file = path("big.xlsx")
        let writer = try XLSXWriter(path: file)
        try writer.beginSheet(name: "数据", layout: SheetLayout(freezeAt: CellReference("B2")))
        try writer.appendRow([Cell(reference: CellReference(row: 0, column: 0), value: .string("单位")),
                              Cell(reference: CellReference(row: 0, column: 1), value: .string("数值"))])
        let style = CellStyle(font: .init(name: "宋体", size: 10), border: .all(.thin))
        var row: [Cell] = []
        for r in 1...100_000 {
            row.removeAll(keepingCapacity: true)
            row.append(Cell(reference: CellReference(row: r, column: 0), value: .string("单位\(r % 13)"), style: style))
            for c in 1..<10 {
                row.append(Cell(reference: CellReference(row: r, column: c), value: .number("\(r).\(c)"),
                                numberFormat: "0.00", style: style))
            }
            try writer.appendRow(row)
        }
        try writer.endSheet(merged: [CellRange("A1:A1")!])
        XCTAssertFalse(FileManager.default.fileExists(atPath: file), "the file must appear only on finish")
        try writer.finish()
        XCTAssertTrue(FileManager.default.fileExists(atPath: file))

        // Read back independently of annex (python's zipfile and regular expressions; a full reader
        // in a debug build would take longer than the write): every row, and the last row's cells.
        let check = try TestSupport.run("python3", ["-c", #"""
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
data = z.read("xl/worksheets/sheet1.xml").decode()
strings = re.findall(r"<si><t>([^<]*)</t></si>", z.read("xl/sharedStrings.xml").decode())
rows = re.findall(r'<row r="(\d+)">', data)
last = data[data.rindex('<row r="100001">'):]
cells = re.findall(r'<c r="([A-Z]+)100001"( s="\d+")?( t="s")?><v>([^<]*)</v></c>', last)
values = [strings[int(v)] if t else v for (_, _, t, v) in cells]
print(len(rows), rows == [str(i) for i in range(1, 100002)], data.count("<c "), values[0], values[1], values[-1], len(values))
"""#, file])
        XCTAssertEqual(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                       "100001 True 1000002 单位\(100_000 % 13) 100000.1 100000.9 10", check.stderr)
        let strings = try member(file, "xl/sharedStrings.xml")
        XCTAssertTrue(strings.contains(#"count="100002" uniqueCount="15""#), String(strings.prefix(300)))
    }

    /// The zip thread's output fails part way (a full disk): the producer gets that error from its next
    /// call and from `finish`, and `stop` returns whatever is queued.
    func testZipThreadFailureReachesTheWriter() throws {
        struct DiskFull: Error {}
        final class Sink: @unchecked Sendable { var written = 0 }
        let sink = Sink()
        let pipeline = try XLSXZipPipeline(zip: ZipWriter(level: 0) { bytes in
            sink.written += bytes.count
            if sink.written > 1 << 20 { throw DiskFull() }
        })
        let block = [UInt8](repeating: 0x41, count: 64 * 1024)
        var caught: Error?
        do {
            try pipeline.beginEntry("xl/worksheets/sheet1.xml")
            for _ in 0..<1000 { try block.withUnsafeBytes { try pipeline.write($0) } }
            try pipeline.endEntry()
        } catch {
            caught = error
        }
        XCTAssertTrue(caught is DiskFull, "\(String(describing: caught))")
        XCTAssertThrowsError(try pipeline.finish()) { XCTAssertTrue($0 is DiskFull, "\($0)") }
        pipeline.stop()

        // Stopped while full of queued chunks, it returns, and refuses what comes after.
        let stopped = try XLSXZipPipeline(zip: ZipWriter(level: 9) { _ in })
        try stopped.beginEntry("a.xml")
        for _ in 0..<20 { try block.withUnsafeBytes { try stopped.write($0) } }
        stopped.stop()
        XCTAssertThrowsError(try block.withUnsafeBytes { try stopped.write($0) })
    }

    func testErrorsLeaveNoFile() throws {
        func expectFailure(_ label: String, reasonContains: String, file: StaticString = #filePath, line: UInt = #line,
                           _ body: (XLSXWriter) throws -> Void) throws {
            let output = path("\(label).xlsx")
            let writer = try XLSXWriter(path: output)
            XCTAssertThrowsError(try { try body(writer); try writer.finish() }(), label, file: file, line: line) { error in
                guard let error = error as? AnnexError else { return XCTFail("\(label): not an AnnexError: \(error)", file: file, line: line) }
                XCTAssertTrue(error.reason.contains(reasonContains), "\(label): \(error)", file: file, line: line)
            }
            // Once failed, the writer refuses everything, and nothing is on disk.
            XCTAssertThrowsError(try writer.finish(), file: file, line: line)
            XCTAssertFalse(FileManager.default.fileExists(atPath: output), label, file: file, line: line)
        }
        func c(_ ref: String, _ value: CellValue) -> Cell { Cell(reference: CellReference(ref)!, value: value) }

        try expectFailure("rows", reasonContains: "行顺序") { w in
            try w.beginSheet(name: "S")
            try w.appendRow([c("A2", .number("1"))])
            try w.appendRow([c("A1", .number("1"))])
        }
        try expectFailure("duplicate", reasonContains: "重复") { w in
            try w.beginSheet(name: "S")
            try w.appendRow([c("A1", .number("1")), c("A1", .number("2"))])
        }
        try expectFailure("columns", reasonContains: "列顺序") { w in
            try w.beginSheet(name: "S")
            try w.appendRow([c("B1", .number("1")), c("A1", .number("2"))])
        }
        try expectFailure("overlap", reasonContains: "重叠") { w in
            try w.beginSheet(name: "S")
            try w.appendRow([c("A1", .string("x"))])
            try w.endSheet(merged: [CellRange("A1:C3")!, CellRange("E1:F1")!, CellRange("C3:D4")!])
        }
        for (label, name) in [("empty", ""), ("long", String(repeating: "表", count: 32)), ("bracket", "a[1]"),
                              ("colon", "a:b"), ("star", "a*"), ("question", "a?"), ("slash", "a/b"),
                              ("backslash", "a\\b"), ("quote", "'a"), ("quoteEnd", "a'")] {
            try expectFailure("name-\(label)", reasonContains: "工作表名称无效") { w in
                try w.beginSheet(name: name)
            }
        }
        try expectFailure("name-case", reasonContains: "重名") { w in
            try w.beginSheet(name: "Sheet")
            try w.endSheet()
            try w.beginSheet(name: "sHEET")
        }
        for (label, text) in [("inf", "inf"), ("nan", "NaN"), ("huge", "1e999"), ("comma", "1,234"), ("letters", "12a"),
                              ("empty", ""), ("minus", "-"), ("dot", "."), ("space", " 1"), ("long", "9" + String(repeating: "0", count: 400))] {
            try expectFailure("number-\(label)", reasonContains: "数值") { w in
                try w.beginSheet(name: "S")
                try w.appendRow([c("A1", .number(text))])
            }
        }
        try expectFailure("too-far", reasonContains: "超出") { w in
            try w.beginSheet(name: "S")
            try w.appendRow([Cell(reference: CellReference(row: CellReference.maxRows, column: 0), value: .number("1"))])
        }
        try expectFailure("negative", reasonContains: "超出") { w in
            try w.beginSheet(name: "S")
            try w.appendRow([Cell(reference: CellReference(row: -1, column: 0), value: .number("1"))])
        }
        try expectFailure("merge-too-far", reasonContains: "超出") { w in
            try w.beginSheet(name: "S")
            try w.endSheet(merged: [CellRange(first: CellReference(row: 0, column: 0), last: CellReference(row: 0, column: CellReference.maxColumns))])
        }
        try expectFailure("width", reasonContains: "列宽") { w in
            try w.beginSheet(name: "S", layout: SheetLayout(columnWidths: [0: .infinity]))
        }
        try expectFailure("date", reasonContains: "日期") { w in
            try w.beginSheet(name: "S")
            try w.appendRow([c("A1", .date("2023-02-30"))])
        }
        try expectFailure("error-value", reasonContains: "错误值") { w in
            try w.beginSheet(name: "S")
            try w.appendRow([c("A1", .error("#OOPS"))])
        }
        try expectFailure("color", reasonContains: "颜色") { w in
            try w.beginSheet(name: "S")
            try w.appendRow([Cell(reference: CellReference("A1")!, value: .number("1"),
                                  style: CellStyle(font: .init(color: "red")))])
        }
        try expectFailure("no-sheet", reasonContains: "至少需要一个工作表") { _ in }
        try expectFailure("unfinished", reasonContains: "还没有结束") { w in
            try w.beginSheet(name: "S")
        }

        // After finish the writer refuses more work, and the finished file stays.
        let done = path("done.xlsx")
        let finished = try XLSXWriter(path: done)
        try finished.beginSheet(name: "S")
        try finished.endSheet()
        try finished.finish()
        XCTAssertThrowsError(try finished.beginSheet(name: "T"))
        finished.abandon()
        XCTAssertTrue(FileManager.default.fileExists(atPath: done))
        try FileManager.default.removeItem(atPath: done)

        // An existing file at the path is left as it was.
        let existing = path("existing.xlsx")
        try Data("old".utf8).write(to: URL(fileURLWithPath: existing))
        let writer = try XLSXWriter(path: existing)
        try writer.beginSheet(name: "S")
        XCTAssertThrowsError(try writer.appendRow([c("A1", .number("x"))]))
        XCTAssertEqual(try String(contentsOfFile: existing, encoding: .utf8), "old")

        // No temporary files are left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        XCTAssertEqual(leftovers, ["existing.xlsx"])

        // The error names the file, the sheet and the cell.
        do {
            let w = try XLSXWriter(path: path("where.xlsx"))
            try w.beginSheet(name: "附件1")
            try w.appendRow([c("C7", .number("12..5"))])
            XCTFail("no error")
        } catch let error as AnnexError {
            XCTAssertEqual(error.cell, "C7")
            XCTAssertEqual(error.location, "工作表“附件1”")
            XCTAssertTrue(error.file.hasSuffix("where.xlsx"))
        }
    }

    // MARK: - Values

    func testDateSerialsFollowExcels1900System() throws {
        func serial(_ text: String) throws -> String { try XLSXDateSerial.serial(text).text }
        XCTAssertEqual(try serial("1900-01-01"), "1")
        XCTAssertEqual(try serial("1900-02-28"), "59")
        XCTAssertEqual(try serial("1900-02-29"), "60")   // Excel's phantom leap day
        XCTAssertEqual(try serial("1900-03-01"), "61")
        XCTAssertEqual(try serial("1900-01-01T00:00:00"), "1")
        XCTAssertEqual(try serial("2023-07-31"), "45138")
        XCTAssertEqual(try serial("9999-12-31"), "2958465")
        XCTAssertEqual(try serial("2023-07-31T12:00:00"), "45138.5")
        XCTAssertEqual(try serial("2023-07-31 06:00"), "45138.25")
        XCTAssertEqual(try serial("08:30:00"), "0.3541666666666667")
        XCTAssertEqual(try serial("00:00:00.5"), String(0.5 / 86400))
        XCTAssertEqual(try XLSXDateSerial.serial("12:00:00").kind, .time)
        XCTAssertEqual(try XLSXDateSerial.serial("2023-07-31T12:00:00").kind, .dateTime)
        for bad in ["1899-12-31", "2023-02-29", "2023-13-01", "2023-7-31", "24:00:00", "2023-07-31T", "2023-07-31Z", "x"] {
            XCTAssertThrowsError(try serial(bad), bad)
        }
        XCTAssertTrue(XLSXDateSerial.isW3CDTF("2023-08-28T00:00:00Z"))
        XCTAssertTrue(XLSXDateSerial.isW3CDTF("2023-08-28T08:00:00.5+08:00"))
        XCTAssertTrue(XLSXDateSerial.isW3CDTF("2023"))
        XCTAssertFalse(XLSXDateSerial.isW3CDTF("2023-08-28 00:00:00"))
        XCTAssertFalse(XLSXDateSerial.isW3CDTF("yesterday"))
        XCTAssertThrowsError(try XLSXWriter(path: path("bad-created.xlsx"),
                                            options: XLSXWriteOptions(properties: DocumentProperties(created: "yesterday"))))

        // Written: serial in <v>, the date format on the cell.
        let file = path("dates.xlsx")
        try XLSXWriter.write(Workbook(sheets: [Sheet(name: "D", cells: [
            Cell(reference: CellReference("A1")!, value: .date("1900-02-28")),
            Cell(reference: CellReference("B1")!, value: .date("2023-07-31T08:30:00")),
            Cell(reference: CellReference("C1")!, value: .date("2023-07-31"), numberFormat: "yyyy\"年\"m\"月\"d\"日\""),
        ])]), to: file)
        try TestSupport.assertValidOOXML(file)
        let sheet = try member(file, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(sheet.contains(#"<c r="A1" s="1"><v>59</v></c>"#), sheet)
        XCTAssertTrue(sheet.contains(#"<c r="B1" s="2"><v>45138.354166666664</v></c>"#), sheet)
        let styles = try member(file, "xl/styles.xml")
        XCTAssertTrue(styles.contains(#"formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;""#), styles)
        let json = try XCTUnwrap(try python("""
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print(json.dumps([ws[r].value.isoformat() for r in ("A1", "B1", "C1")]))
""", [file]) as? [String])
        XCTAssertEqual(json, ["1900-02-28T00:00:00", "2023-07-31T08:30:00", "2023-07-31T00:00:00"])
    }

    func testNumbersAreCopiedAsWritten() throws {
        let file = path("numbers.xlsx")
        let texts = ["0", "-0", "79.74", "0.1", "-12345678901234567890", "1.5e3", ".5", "3584", "0.000001"]
        let cells = texts.enumerated().map { Cell(reference: CellReference(row: $0.offset, column: 0), value: .number($0.element)) }
        try XLSXWriter.write(Workbook(sheets: [Sheet(name: "N", cells: cells)]), to: file)
        try TestSupport.assertValidOOXML(file)
        let sheet = try member(file, "xl/worksheets/sheet1.xml")
        for (row, text) in texts.enumerated() {
            XCTAssertTrue(sheet.contains(#"<c r="A\#(row + 1)"><v>\#(text)</v></c>"#), text)
        }
    }

    func testTextEscapingRoundTrips() throws {
        let texts = ["a & b < c > d \"e\" 'f'", " leading", "trailing ", "line\nbreak", "cr\r\nlf",
                     "bell\u{07}tab\tvt\u{0B}", "_x0041_ stays literal", "_x00zz_ not an escape", "non-char \u{FFFF}",
                     "é (e\u{301})", "é (\u{E9})", "宋体 “全角” 𠀀"]
        let file = path("escape.xlsx")
        let cells = texts.enumerated().map { Cell(reference: CellReference(row: $0.offset, column: 0), value: .string($0.element)) }
        try XLSXWriter.write(Workbook(sheets: [Sheet(name: "E", cells: cells)]), to: file)
        try TestSupport.assertValidOOXML(file)
        let strings = try member(file, "xl/sharedStrings.xml")
        // Canonically equivalent texts stay two entries: the table compares bytes.
        XCTAssertTrue(strings.contains(#"uniqueCount="\#(texts.count)""#))
        XCTAssertTrue(strings.contains("<si><t>a &amp; b &lt; c &gt; d &quot;e&quot; 'f'</t></si>"))
        XCTAssertTrue(strings.contains(#"<si><t xml:space="preserve"> leading</t></si>"#))
        XCTAssertTrue(strings.contains(#"<si><t xml:space="preserve">trailing </t></si>"#))
        XCTAssertTrue(strings.contains(#"<si><t xml:space="preserve">line"# + "\n" + "break</t></si>"))
        XCTAssertTrue(strings.contains(#"<si><t xml:space="preserve">cr&#13;"# + "\n" + "lf</t></si>"))
        XCTAssertTrue(strings.contains("<si><t xml:space=\"preserve\">bell_x0007_tab\tvt_x000B_</t></si>"))
        XCTAssertTrue(strings.contains("<si><t>_x005F_x0041_ stays literal</t></si>"))
        XCTAssertTrue(strings.contains("<si><t>_x00zz_ not an escape</t></si>"))
        XCTAssertTrue(strings.contains("<si><t>non-char _xFFFF_</t></si>"))

        // Decoding as Excel does (XML, then _xHHHH_) gives the texts back.
        let decoded = try XCTUnwrap(try python(#"""
import json, re, sys, zipfile
from lxml import etree
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
root = etree.fromstring(zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml"))
out = [re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), "".join(si.itertext())) for si in root.findall("m:si", ns)]
print(json.dumps(out))
"""#, [file]) as? [String])
        XCTAssertEqual(decoded.map { Array($0.unicodeScalars) }, texts.map { Array($0.unicodeScalars) })
    }

    func testSharedStringLimitFallsBackToInlineStrings() throws {
        let file = path("inline.xlsx")
        let writer = try XLSXWriter(path: file, options: XLSXWriteOptions(sharedStringsLimit: 10))
        try writer.beginSheet(name: "S")
        try writer.appendRow([Cell(reference: CellReference("A1")!, value: .string("short")),
                              Cell(reference: CellReference("B1")!, value: .string("longer than ten")),
                              Cell(reference: CellReference("C1")!, value: .string("short")),
                              Cell(reference: CellReference("D1")!, value: .string(" 空格 "))])
        try writer.endSheet()
        try writer.finish()
        try TestSupport.assertValidOOXML(file)
        let sheet = try member(file, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(sheet.contains(#"<c r="A1" t="s"><v>0</v></c>"#))
        XCTAssertTrue(sheet.contains(#"<c r="B1" t="inlineStr"><is><t>longer than ten</t></is></c>"#))
        XCTAssertTrue(sheet.contains(#"<c r="C1" t="s"><v>0</v></c>"#))
        XCTAssertTrue(sheet.contains(#"<c r="D1" t="inlineStr"><is><t xml:space="preserve"> 空格 </t></is></c>"#))
        let rows = try libreOfficeCSV(file)
        XCTAssertEqual(rows.first, ["short", "longer than ten", "short", " 空格 "])
    }

    func testSheetNamesAreEscapedAndQuoted() throws {
        let file = path("names.xlsx")
        var page = PageSetup()
        page.repeatRows = 1...2
        let names = ["O'Neil & <Co>", "附件 2"]
        try XLSXWriter.write(Workbook(sheets: names.map {
            Sheet(name: $0, cells: [Cell(reference: CellReference("A1")!, value: .number("1"))], layout: SheetLayout(page: page))
        }), to: file)
        try TestSupport.assertValidOOXML(file)
        let workbook = try member(file, "xl/workbook.xml")
        XCTAssertTrue(workbook.contains(#"<sheet name="O'Neil &amp; &lt;Co&gt;" sheetId="1" r:id="rId1"/>"#), workbook)
        XCTAssertTrue(workbook.contains(#"<definedName name="_xlnm.Print_Titles" localSheetId="0">'O''Neil &amp; &lt;Co&gt;'!$2:$3</definedName>"#))
        XCTAssertTrue(workbook.contains(#"<definedName name="_xlnm.Print_Titles" localSheetId="1">'附件 2'!$2:$3</definedName>"#))
        let json = try XCTUnwrap(try python("""
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps([[ws.title, ws.print_title_rows] for ws in wb.worksheets], ensure_ascii=False))
""", [file]) as? [[String]])
        XCTAssertEqual(json.map { $0[0] }, names)
        XCTAssertEqual(json.map { $0[1].replacingOccurrences(of: "$", with: "") }, ["2:3", "2:3"])
    }

    func testRowHeightsWithoutCellsAndFreezeVariants() throws {
        let file = path("rows.xlsx")
        let writer = try XLSXWriter(path: file)
        try writer.beginSheet(name: "Rows", layout: SheetLayout(rowHeights: [0: 20, 2: 25.5, 9: 40], freezeAt: CellReference("A3")))
        try writer.appendRow([Cell(reference: CellReference("B2")!, value: .number("1"))])
        try writer.appendRow([Cell(reference: CellReference("C5")!, value: .number("2"))])
        try writer.endSheet()
        try writer.beginSheet(name: "Cols", layout: SheetLayout(columnWidths: [0: 8, 1: 8, 2: 8, 4: 30], freezeAt: CellReference("C1")))
        try writer.endSheet()
        try writer.finish()
        try TestSupport.assertValidOOXML(file)
        let rows = try member(file, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(rows.contains(#"<sheetData><row r="1" ht="20" customHeight="1"/><row r="2"><c r="B2"><v>1</v></c></row><row r="3" ht="25.5" customHeight="1"/><row r="5"><c r="C5"><v>2</v></c></row><row r="10" ht="40" customHeight="1"/></sheetData>"#), rows)
        XCTAssertTrue(rows.contains(#"<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/>"#))
        let cols = try member(file, "xl/worksheets/sheet2.xml")
        XCTAssertTrue(cols.contains(#"<cols><col min="1" max="3" width="8" customWidth="1"/><col min="5" max="5" width="30" customWidth="1"/></cols>"#), cols)
        XCTAssertTrue(cols.contains(#"<pane xSplit="2" topLeftCell="C1" activePane="topRight" state="frozen"/>"#))
        XCTAssertTrue(cols.contains("<sheetData></sheetData>"))
    }

    // MARK: - annex's own reader

    func testRoundTripThroughAnnexReader() throws {
        let file = try writeAnnex()
        let reader = try XLSXReader(path: file)
        let workbook = XLSXWriterFixtures.workbook
        XCTAssertEqual(reader.sheets.map(\.name), workbook.sheets.map(\.name))
        for (index, sheet) in workbook.sheets.enumerated() {
            var cells: [Cell] = []
            let merged = try reader.readSheet(at: index) { cells += $0 }
            XCTAssertEqual(merged, sheet.merged.sorted(), sheet.name)
            // Empty text cells are written as styled blanks, which read back as no cell.
            let expected = sheet.cells.filter { $0.value != .string("") || $0.formula != nil }
            XCTAssertEqual(cells.map(\.reference), expected.map(\.reference), sheet.name)
            for (got, want) in zip(cells, expected) {
                let place = "\(sheet.name)!\(want.reference)"
                if case .number(let a) = got.value, case .number(let b) = want.value {
                    XCTAssertEqual(Double(a), Double(b), place)   // the reader prints the shortest form
                } else {
                    XCTAssertEqual(got.value, want.value, place)
                }
                XCTAssertEqual(got.formula, want.formula, place)
                if case .date = want.value {
                    XCTAssertEqual(got.numberFormat, want.numberFormat ?? "yyyy-mm-dd", place)
                } else if want.numberFormat != nil || got.numberFormat != nil {
                    XCTAssertEqual(got.numberFormat, want.numberFormat, place)
                }
            }
        }
    }

    func testEscapedTextRoundTripsThroughAnnexReader() throws {
        let texts = ["a & b < c", " lead", "trail ", "line\nbreak", "cr\r\nlf", "bell\u{07}tab\tvt\u{0B}nul\u{00}",
                     "_x0041_ literal", "_X0041_ upper", "non-char \u{FFFE}\u{FFFF}", "é (e\u{301})", "é (\u{E9})", "𠀀"]
        let file = path("escape-reader.xlsx")
        var cells = texts.enumerated().map { Cell(reference: CellReference(row: $0.offset, column: 0), value: .string($0.element)) }
        // The same texts as formula results (<v> of t="str") and inline strings.
        cells += texts.enumerated().map { Cell(reference: CellReference(row: $0.offset, column: 1), value: .string($0.element), formula: "A\($0.offset + 1)") }
        try XLSXWriter.write(Workbook(sheets: [Sheet(name: "E", cells: cells.sorted { $0.reference < $1.reference })]), to: file)
        try TestSupport.assertValidOOXML(file)
        var read: [Cell] = []
        try XLSXReader(path: file).readSheet(at: 0) { read += $0 }
        for (row, text) in texts.enumerated() {
            let a = read.first { $0.reference == CellReference(row: row, column: 0) }
            let b = read.first { $0.reference == CellReference(row: row, column: 1) }
            XCTAssertEqual(a.map { Array($0.value.text.unicodeScalars) }, Array(text.unicodeScalars), text.debugDescription)
            XCTAssertEqual(b.map { Array($0.value.text.unicodeScalars) }, Array(text.unicodeScalars), text.debugDescription)
        }
    }

    // MARK: - Helpers

    /// A JSON array's elements as text.
    private func strings(_ value: Any?) -> [String]? {
        guard let array = value as? [Any] else { return nil }
        return array.map { element in
            return "\(element)"
        }
    }

    /// The first sheet as LibreOffice shows it, through its CSV export (UTF-8, formatted as shown).
    private func libreOfficeCSV(_ file: String) throws -> [[String]] {
        let out = try TestSupport.temporaryDirectory("lo-out")
        let profile = try TestSupport.temporaryDirectory("lo-profile")
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: profile)
        }
        let result = try TestSupport.run("soffice", ["-env:UserInstallation=file://\(profile.path)", "--headless",
                                                     "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
                                                     "--outdir", out.path, file])
        let csv = out.appendingPathComponent(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent + ".csv")
        guard FileManager.default.fileExists(atPath: csv.path) else {
            XCTFail("LibreOffice did not convert \(file): \(result.stdout) \(result.stderr)")
            return []
        }
        XCTAssertFalse(result.stderr.localizedCaseInsensitiveContains("error"), result.stderr)
        return parseCSV(try String(contentsOf: csv, encoding: .utf8))
    }

    private func pdfPageCount(_ file: String) throws -> Int {
        let out = try TestSupport.temporaryDirectory("lo-pdf")
        let profile = try TestSupport.temporaryDirectory("lo-profile")
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: profile)
        }
        let result = try TestSupport.run("soffice", ["-env:UserInstallation=file://\(profile.path)", "--headless",
                                                     "--convert-to", "pdf", "--outdir", out.path, file])
        let pdf = out.appendingPathComponent(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent + ".pdf")
        guard FileManager.default.fileExists(atPath: pdf.path) else {
            XCTFail("LibreOffice did not print \(file): \(result.stdout) \(result.stderr)")
            return -1
        }
        if let info = try? TestSupport.run("pdfinfo", [pdf.path]), info.status == 0,
           let line = info.stdout.split(separator: "\n").first(where: { $0.hasPrefix("Pages:") }),
           let pages = Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) {
            return pages
        }
        // Without poppler-utils: count the page objects (LibreOffice writes them uncompressed).
        let text = String(decoding: try Data(contentsOf: pdf), as: UTF8.self)
        let regex = try NSRegularExpression(pattern: #"/Type\s*/Page(?![s\w])"#)
        return regex.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
    }

    /// RFC 4180, enough for LibreOffice's output.
    private func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": quoted = true
            case ",": row.append(field); field = ""
            case "\n":
                row.append(field); field = ""
                rows.append(row); row = []
            case "\r": continue
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        // LibreOffice pads every line to the widest row; drop trailing empty fields.
        return rows.map { line in
            var line = line
            while line.count > 1, line.last == "" { line.removeLast() }
            return line
        }
    }
}

// MARK: - Fixtures

/// An annex-shaped workbook for the writer tests: a merged title over A1:S1, a units line, a 3-level
/// merged CJK header whose corner cell 项目/单位 has a diagonal border, a column-number row, 30 unit
/// rows of numbers in `0`, `0.00`, `0.00%` and `#,##0.00` with the markers “-” and “无”, print titles
/// rows 1–6, panes frozen at B7, A4 landscape fitted to one page wide; and a small second sheet.
enum XLSXWriterFixtures {
    static let columnCount = 19   // A…S
    static let headerRows = 6
    static let units = ["全市", "东湖区", "西湖区", "青云谱区", "青山湖区", "新建区", "红谷滩区", "南昌县",
                        "进贤县", "安义县", "经开区", "高新区", "湾里管理局"]
    static let dataRowCount = 30

    static let thin = CellStyle.Border.all(.thin)
    static let titleStyle = CellStyle(font: .init(name: "黑体", size: 16, bold: true),
                                      alignment: .init(horizontal: .center, vertical: .center))
    static let unitsStyle = CellStyle(font: .init(name: "宋体", size: 10), alignment: .init(horizontal: .right))
    static let headerStyle = CellStyle(font: .init(name: "宋体", size: 10, bold: true), fill: .init(color: "FFD9D9D9"),
                                       border: thin, alignment: .init(horizontal: .center, vertical: .center, wrapText: true))
    static let cornerStyle = CellStyle(font: .init(name: "宋体", size: 10, bold: true),
                                       border: .init(left: .thin, right: .thin, top: .thin, bottom: .thin, diagonalDown: .thin),
                                       alignment: .init(horizontal: .left, vertical: .center, wrapText: true))
    static let dataStyle = CellStyle(font: .init(name: "宋体", size: 10), border: thin,
                                     alignment: .init(horizontal: .right, vertical: .center))
    static let unitStyle = CellStyle(font: .init(name: "宋体", size: 10, color: "FF1F3864"), border: thin,
                                     alignment: .init(horizontal: .center, vertical: .center))

    static let groups = ["城镇新增就业", "失业人员再就业", "就业困难人员就业"]
    static let cornerText = "项目\n单位"

    /// Column kinds within each 6-column group: 目标任务, 本月完成, 本月同比, 累计完成, 占全年任务, 累计同比.
    static func numberFormat(column: Int) -> String {
        switch (column - 1) % 6 {
        case 0, 1: "0"
        case 2, 5: "0.00%"
        case 3: "#,##0.00"
        default: "0.00"
        }
    }

    /// The stored value of data cell (row, column), row 0-based from the first data row.
    static func value(row: Int, column: Int) -> CellValue {
        if row == 4 && column == 1 { return .string("-") }
        if row == 9 && column == 7 { return .string("无") }
        if row == 9 && column == 8 { return .string("无") }
        let seed = (row + 3) * 37 + column * 11
        switch (column - 1) % 6 {
        case 0: return .number(String(1000 + seed * 7))
        case 1: return .number(String(seed % 500))
        case 2, 5: return .number("0.\(String(10000 + seed * 7 % 10000).dropFirst())")   // e.g. 0.1234
        case 3: return .number("\(seed * 13).\(seed % 10)5")
        default: return .number("\(seed % 100).\(10 + seed % 89)")
        }
    }

    /// What LibreOffice shows for a data cell (en-US formatting), for the CSV comparison.
    static func displayed(row: Int, column: Int) -> String {
        guard case .number(let text) = value(row: row, column: column) else { return value(row: row, column: column).text }
        let number = Double(text)!
        switch numberFormat(column: column) {
        case "0": return String(Int(number))
        case "0.00%":
            // four decimals of a fraction = exactly two decimals of a percentage
            let digits = text.dropFirst(2)
            let percent = Int(digits)!
            return "\(percent / 100).\(String(format2: percent % 100))%"
        case "#,##0.00":
            let parts = text.split(separator: ".")
            let integer = Int(parts[0])!
            let fraction = parts.count > 1 ? String(parts[1]).padding(toTwo: ()) : "00"
            return grouped(integer) + "." + fraction
        default:
            let parts = text.split(separator: ".")
            return "\(parts[0]).\(String(parts[1]).padding(toTwo: ()))"
        }
    }

    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }

    static func unitName(_ row: Int) -> String {
        row < units.count ? units[row] : "测试单位\(row + 1)"
    }

    static var layout: SheetLayout {
        var widths: [Int: Double] = [0: 14]
        for column in 1..<columnCount { widths[column] = 11 }
        return SheetLayout(columnWidths: widths, rowHeights: [0: 30, 2: 20, 3: 20, 4: 28],
                           freezeAt: CellReference("B7"),
                           page: PageSetup(orientation: .landscape, paperSize: 9, fitToWidth: 1, repeatRows: 0...5,
                                           margins: .init(left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3)))
    }

    static var merged: [CellRange] {
        var ranges = [CellRange("A1:S1")!, CellRange("A2:S2")!, CellRange("A3:A5")!]
        for group in 0..<3 {
            let first = 1 + group * 6
            ranges.append(range(row: 2, column: first, toRow: 2, toColumn: first + 5))   // level 1
            ranges.append(range(row: 3, column: first, toRow: 4, toColumn: first))       // 目标任务, two levels
            ranges.append(range(row: 3, column: first + 1, toRow: 3, toColumn: first + 2)) // 本月
            ranges.append(range(row: 3, column: first + 3, toRow: 3, toColumn: first + 5)) // 累计
        }
        return ranges
    }

    static func range(row: Int, column: Int, toRow: Int, toColumn: Int) -> CellRange {
        CellRange(first: CellReference(row: row, column: column), last: CellReference(row: toRow, column: toColumn))
    }

    static func cell(_ row: Int, _ column: Int, _ value: CellValue, _ style: CellStyle? = nil, format: String? = nil) -> Cell {
        Cell(reference: CellReference(row: row, column: column), value: value, numberFormat: format, style: style)
    }

    /// The rows of the annex sheet, in order.
    static var annexRows: [[Cell]] {
        var rows: [[Cell]] = []
        rows.append([cell(0, 0, .string("2023年7月全市就业培训工作进展情况表（一）"), titleStyle)])
        rows.append([cell(1, 0, .string("单位：人、万元、%"), unitsStyle)])
        var level1 = [cell(2, 0, .string(cornerText), cornerStyle)]
        var level2 = [cell(3, 0, .string(""), cornerStyle)]
        var level3 = [cell(4, 0, .string(""), cornerStyle)]
        var numbers = [cell(5, 0, .string("甲"), headerStyle)]
        for (g, name) in groups.enumerated() {
            let first = 1 + g * 6
            level1.append(cell(2, first, .string(name), headerStyle))
            for c in first + 1...first + 5 { level1.append(cell(2, c, .string(""), headerStyle)) }
            level2.append(cell(3, first, .string("目标任务"), headerStyle))
            level2.append(cell(3, first + 1, .string("本月"), headerStyle))
            level2.append(cell(3, first + 2, .string(""), headerStyle))
            level2.append(cell(3, first + 3, .string("累计"), headerStyle))
            level2.append(cell(3, first + 4, .string(""), headerStyle))
            level2.append(cell(3, first + 5, .string(""), headerStyle))
            level3.append(cell(4, first, .string(""), headerStyle))
            for (k, leaf) in ["本月完成", "同比增长", "累计完成", "占全年任务", "同比增长"].enumerated() {
                level3.append(cell(4, first + 1 + k, .string(leaf), headerStyle))
            }
        }
        for c in 1..<columnCount { numbers.append(cell(5, c, .string(String(c)), headerStyle)) }
        rows += [level1, level2, level3, numbers]
        for r in 0..<dataRowCount {
            var row = [cell(headerRows + r, 0, .string(unitName(r)), unitStyle)]
            for c in 1..<columnCount {
                let v = value(row: r, column: c)
                if case .string = v {
                    row.append(cell(headerRows + r, c, v, dataStyle))
                } else {
                    row.append(cell(headerRows + r, c, v, dataStyle, format: numberFormat(column: c)))
                }
            }
            rows.append(row)
        }
        return rows
    }

    static var annexSheet: Sheet {
        Sheet(name: "附件1", cells: annexRows.flatMap { $0 }, merged: merged, layout: layout)
    }

    /// A small second sheet with the other value kinds: booleans, an error, a date, a formula.
    static var secondSheet: Sheet {
        let cells = [
            cell(0, 0, .string("附件2 说明")), cell(0, 1, .string("O'Brien & <Co> \"引号\"")),
            cell(1, 0, .bool(true)), cell(1, 1, .bool(false)),
            cell(2, 0, .error("#DIV/0!")), cell(2, 1, .date("2023-07-31")),
            cell(3, 0, .number("2")), cell(3, 1, .number("3.5")),
            Cell(reference: CellReference("C4")!, value: .number("5.5"), formula: "A4+B4"),
            Cell(reference: CellReference("D4")!, value: .string("5.5元"), formula: "C4&\"元\""),
        ]
        return Sheet(name: "附件2 (续)", cells: cells, merged: [],
                     layout: SheetLayout(columnWidths: [0: 20, 1: 24], page: PageSetup(orientation: .portrait)))
    }

    static var workbook: Workbook {
        Workbook(sheets: [annexSheet, secondSheet],
                 properties: DocumentProperties(title: "2023年7月就业培训通报附件", creator: "annex 测试"))
    }
}

private extension String {
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : String(value) }
    func padding(toTwo: ()) -> String {
        count >= 2 ? String(prefix(2)) : self + String(repeating: "0", count: 2 - count)
    }
}

final class XLSXWriterBlankCellTests: XCTestCase {
    /// A bordered empty cell of a printed table is a styled blank: it keeps its border and reads
    /// back as no value (not as an empty string).
    func testEmptyTextIsAStyledBlank() throws {
        let directory = try TestSupport.temporaryDirectory("xlsx-blank")
        let path = directory.appendingPathComponent("blank.xlsx").path
        let bordered = CellStyle(border: .all(.thin))
        try XLSXWriter.write(Workbook(sheets: [Sheet(name: "表", cells: [
            Cell(reference: CellReference("A1")!, value: .string("值"), style: bordered),
            Cell(reference: CellReference("B1")!, value: .string(""), style: bordered),
        ])]), to: path)
        try TestSupport.assertValidOOXML(path)
        let sheet = try XLSXReader(path: path).sheet(at: 0)
        XCTAssertEqual(sheet.cells.map(\.reference.description), ["A1"])
        let xml = try TestSupport.run("unzip", ["-p", path, "xl/worksheets/sheet1.xml"]).stdout
        XCTAssertTrue(xml.contains(#"<c r="B1" s="1"></c>"#), xml)
    }
}

final class XLSXWriterAnnotationTests: XCTestCase {
    /// Notes and links are written in-stream by endSheet; openpyxl sees them where they were put.
    func testCommentsAndHyperlinksAreWrittenWithTheSheet() throws {
        let directory = try TestSupport.temporaryDirectory("xlsx-notes")
        let path = directory.appendingPathComponent("notes.xlsx").path
        let writer = try XLSXWriter(path: path)
        try writer.beginSheet(name: "社会保险一", layout: SheetLayout(page: PageSetup()))
        try writer.appendRow([Cell(reference: CellReference("E9")!, value: .number("113.68"))])
        try writer.endSheet(merged: [], annotations: XLSXSheetAnnotations(comments: [
            XLSXComment(cell: CellReference("E9")!, text: "【错误】ratio-mismatch：应为 113.69"),
        ]))
        try writer.beginSheet(name: "校验结果")
        try writer.appendRow([Cell(reference: CellReference("A2")!, value: .string("社会保险一!E9"))])
        try writer.endSheet(merged: [], annotations: XLSXSheetAnnotations(hyperlinks: [
            XLSXHyperlink(cell: CellReference("A2")!, location: XLSXHyperlink.location(sheet: "社会保险一", cell: CellReference("E9")!)),
        ]))
        try writer.finish()
        try TestSupport.assertValidOOXML(path)
        let script = """
            import openpyxl, sys
            wb = openpyxl.load_workbook(sys.argv[1])
            c = wb['社会保险一']['E9']
            print(c.comment.author, '|', c.comment.text.strip())
            print(wb['校验结果']['A2'].hyperlink.location)
            """
        let result = try TestSupport.run("python3", ["-c", script, path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "annex | annex:\n【错误】ratio-mismatch：应为 113.69\n'社会保险一'!E9\n")
    }
}
