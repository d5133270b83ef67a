import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// HTML tables saved as `.xls` (SPEC.md, legacy `.xls`): every fixture dumps exactly as the Python
/// layout computed, agrees with LibreOffice where LibreOffice reads the page the same way, and broken
/// pages are refused with a reason.
final class HTMLTableReaderTests: XCTestCase {
    func testHTMLFixturesDumpExactly() throws {
        for fixture in try LegacyTextFixtures.of(kind: "html") {
            XCTAssertEqual(SpreadsheetFormat.sniff(path: fixture.file.path), .html, fixture.name)
            try LegacyTextFixtures.assertDumpsAsExpected(fixture)
        }
    }

    func testHTMLFixturesAgreeWithLibreOffice() throws {
        let compared = try LegacyTextFixtures.of(kind: "html").filter { $0.raw["libreoffice"] is String }
        XCTAssertEqual(compared.map(\.name), ["html-annex-gbk", "html-utf8-bom", "html-unclosed"])
        for fixture in compared { try LegacyTextFixtures.assertAgreesWithLibreOffice(fixture) }
    }

    func testBrokenHTMLIsRefusedWithAReason() throws {
        for fixture in try LegacyTextFixtures.of(kind: "broken", prefix: "html-") {
            LegacyTextFixtures.assertRefused(fixture)
        }
    }

    func testCellTextCollapsesWhiteSpaceAsABrowserDoes() {
        let text = HTMLCellText()
        func feed(_ parts: [String]) -> String {
            text.reset()
            for part in parts {
                if part == "<br>" { text.lineBreak() } else if part == "<p>" { text.blockBoundary() } else {
                    var part = part
                    part.withUTF8 { text.append(UnsafeRawBufferPointer($0)) }
                }
            }
            return String(decoding: text.finish(), as: UTF8.self)
        }
        XCTAssertEqual(feed(["  a \t\r\n b  "]), "a b")
        XCTAssertEqual(feed(["a\u{00A0}\u{00A0}b", " ", "c"]), "a b c")
        XCTAssertEqual(feed(["a ", "<br>", "  b ", "<br>"]), "a\nb")
        XCTAssertEqual(feed(["<br>", "<br>", "x", "<br>", "<br>", "y"]), "x\n\ny")
        XCTAssertEqual(feed(["<p>", "一", "<p>", "<p>", "二", "<p>"]), "一\n二")
        XCTAssertEqual(feed(["\u{3000}全角\u{3000}"]), "\u{3000}全角\u{3000}")
        XCTAssertEqual(feed(["\u{00A0}", " "]), "")
    }

    func testRowSpansMoveLaterCellsRight() {
        var spans = SpanOccupancy()
        spans.startRow(0)
        XCTAssertEqual(spans.freeColumn(atOrAfter: 0), 0)
        spans.reserve(columns: 0...0, throughRow: 2)      // A1:A3
        XCTAssertEqual(spans.freeColumn(atOrAfter: 1), 1)
        spans.reserve(columns: 2...3, throughRow: 1)      // C1:D2
        spans.startRow(1)
        XCTAssertEqual(spans.freeColumn(atOrAfter: 0), 1)
        XCTAssertEqual(spans.freeColumn(atOrAfter: 2), 4)
        spans.startRow(2)
        XCTAssertEqual(spans.freeColumn(atOrAfter: 0), 1)
        XCTAssertEqual(spans.freeColumn(atOrAfter: 2), 2)
        spans.startRow(3)
        XCTAssertEqual(spans.freeColumn(atOrAfter: 0), 0)
        // A span over the whole sheet is one entry, whatever it covers.
        spans.reserve(columns: 0...(CellReference.maxColumns - 1), throughRow: CellReference.maxRows - 1)
        spans.startRow(CellReference.maxRows - 1)
        XCTAssertEqual(spans.freeColumn(atOrAfter: 0), CellReference.maxColumns)
    }

    func testSpanAttributesAreReadAsBrowsersReadThem() {
        XCTAssertEqual(HTMLTableRowReader.span(nil), 1)
        XCTAssertEqual(HTMLTableRowReader.span("3"), 3)
        XCTAssertEqual(HTMLTableRowReader.span(" 2px"), 2)
        XCTAssertEqual(HTMLTableRowReader.span("0"), 1)
        XCTAssertEqual(HTMLTableRowReader.span("-3"), 1)
        XCTAssertEqual(HTMLTableRowReader.span("abc"), 1)
        XCTAssertEqual(HTMLTableRowReader.span(String(repeating: "9", count: 40)), 1 << 40)
    }

    func testCharsetComesFromTheMarkOrTheMetaTagOrAGuess() {
        func detect(_ bytes: [UInt8], complete: Bool = true) -> LegacyCharset? {
            bytes.withUnsafeBytes { HTMLCharset.detect($0, complete: complete).0 }
        }
        XCTAssertEqual(detect(Array(#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#.utf8)), .gb18030)
        XCTAssertEqual(detect(Array("<html><head><META CHARSET='GBK'>".utf8)), .gb18030)
        XCTAssertEqual(detect(Array(#"<?xml version="1.0" encoding="GB18030"?><html>"#.utf8)), .gb18030)
        XCTAssertEqual(detect(Array(#"<meta charset="big5">"#.utf8)), .other("big5"))
        XCTAssertEqual(detect(Array(#"<meta charset="utf-16">"#.utf8)), .utf8)
        XCTAssertEqual(detect(Array(#"<meta charset="iso-8859-1">"#.utf8)), .other("WINDOWS-1252"))
        XCTAssertEqual(detect([0xEF, 0xBB, 0xBF] + Array(#"<meta charset="gbk">"#.utf8)), .utf8)
        XCTAssertEqual(detect([0xFF, 0xFE, 0x3C, 0x00]), .utf16LE)
        XCTAssertEqual(detect([0x00, 0x3C, 0x00, 0x74]), .utf16BE)
        XCTAssertEqual(detect(Array("<table><td>中文".utf8)), .utf8)
        XCTAssertEqual(detect(Array("<table><td>".utf8) + [0xD6, 0xD0, 0xCE, 0xC4]), .gb18030)
        XCTAssertNil(detect(Array("<table><td>".utf8), complete: false), "ASCII so far: decided at the first non-ASCII byte")
        XCTAssertEqual(detect(Array("<table><td>".utf8), complete: true), .utf8)
    }

    func testExcelStyleClassesGiveNumberFormats() {
        let css = #"""
            <!--table {mso-displayed-decimal-separator:"\.";}
            .xl65 {mso-number-format:"0\.00%";}
            .xl66
            \t{mso-style-parent:style0;
            \tmso-number-format:"yyyy\0022年\0022m\0022月\0022";}
            td.xl67, .xl68 {mso-number-format:Standard;}
            .xl69 {mso-number-format:"\@"; color:red}
            .xl70 {mso-number-format:General;}
            /* .xl71 {mso-number-format:"Short Date";} */
            .xl72 {mso-number-format:'Short Date'}
            -->
            """#.replacingOccurrences(of: "\\t", with: "\t")
        let formats = HTMLClassFormats(css: Array(css.utf8))
        XCTAssertEqual(formats.codes, ["xl65": "0.00%", "xl66": "yyyy\"年\"m\"月\"", "xl67": "#,##0.00", "xl68": "#,##0.00",
                                       "xl69": "@", "xl72": "yyyy/m/d"])
        XCTAssertEqual(formats.code(forClassAttribute: "xl71 xl65"), "0.00%")
        XCTAssertEqual(formats.code(forClassAttribute: "xl65 xl72"), "yyyy/m/d")
        XCTAssertNil(formats.code(forClassAttribute: "xl70"))
    }

    func testSnifferKnowsHTMLThatDoesNotStartWithATable() {
        func sniff(_ bytes: [UInt8]) -> SpreadsheetFormat { SpreadsheetFormat.sniff(head: bytes) }
        XCTAssertEqual(sniff(Array(("<meta charset=gbk><style>" + String(repeating: "x", count: 5000) + "</style><table>").utf8)), .html)
        XCTAssertEqual(sniff(Array("\n\n  <!DOCTYPE html><html>".utf8)), .html)
        XCTAssertEqual(sniff([0xFF, 0xFE] + Array("<table>".utf8).flatMap { [$0, 0] }), .html)
        XCTAssertEqual(sniff(Array("<title>统计</title>".utf8)), .html)
        XCTAssertEqual(sniff(Array("<单位>,3584\n".utf8)), .text)
        XCTAssertEqual(sniff(Array("项目,本月\n".utf8)), .text)
    }

    func testReadsOneTableWithoutTheOthersAndViewsMatchCells() throws {
        let dir = try TestSupport.temporaryDirectory("annex-html")
        let path = dir.appendingPathComponent("两表.xls").path
        let page = "<table><caption>一</caption><tr><td>a</td><td>1.5</td></tr></table>"
            + "<table><caption>二</caption><tr><td rowspan=2>b</td><td>2</td></tr><tr><td>3</td></tr></table><p><table"
        try Data(page.utf8).write(to: URL(fileURLWithPath: path))
        let source = try Spreadsheet.open(path: path)
        XCTAssertEqual(source.sheetNames, ["一", "二", "Sheet3"])
        var viewed: [String] = []
        let merged = try source.readRows(at: 1) { row in
            for k in 0..<row.count { viewed.append("\(row[k].reference)=\(String(decoding: row[k].text, as: UTF8.self))") }
        }
        XCTAssertEqual(viewed, ["A1=b", "B1=2", "B2=3"])
        XCTAssertEqual(merged, [CellRange("A1:A2")!])
        let sheet = try source.sheet(at: 1)
        XCTAssertEqual(sheet.cells.map { "\($0.reference)=\($0.value.text)" }, viewed)
        XCTAssertEqual(sheet.cells.map(\.value.typeName), ["string", "number", "number"])
        XCTAssertTrue(try source.sheet(at: 2).cells.isEmpty)
    }

    /// A charset no decoder knows is refused with its name (regression: the fuzzer found the refusal
    /// leaking the decoder's buffer; LeakSanitizer in Fuzz/run.sh checks that part).
    func testAnUnknownCharsetIsRefusedByName() throws {
        let dir = try TestSupport.temporaryDirectory("annex-html")
        let path = dir.appendingPathComponent("未知编码.xls").path
        try Data("<html><head><meta charset=\"x-no-such-code\"></head><table><tr><td>中</td></tr></table></html>".utf8)
            .write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Spreadsheet.open(path: path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("未知编码.xls") && text.lowercased().contains("x-no-such-code"), text)
        }
    }

    func testDamagedPagesNeverCrash() throws {
        for fixture in try LegacyTextFixtures.of(kind: "html") { try LegacyTextFixtures.assertMutantsNeverCrash(fixture, count: 30) }
    }

    func testGarbageAfterAMarkupStartNeverCrashesOrHangs() throws {
        let dir = try TestSupport.temporaryDirectory("annex-html")
        var generator = SeededRandom(seed: 0x48544d4c)
        let starts = ["<html>", "<table><tr><td>", "<table><tr><td rowspan=99999 colspan=99999>", "<meta charset=utf-8><table>"]
        for round in 0..<40 {
            var bytes = Array(starts[round % starts.count].utf8)
            let tokens = ["<td>", "<tr>", "</table>", "<table>", "<br>", "&nbsp;", "&#", "<td colspan=3>", "<td rowspan=2>", "\u{0}", "<!--", "<script>", "中"]
            for _ in 0..<300 {
                if Bool.random(using: &generator) {
                    bytes += Array(tokens.randomElement(using: &generator)!.utf8)
                } else {
                    bytes.append(UInt8.random(in: 0...255, using: &generator))
                }
            }
            let path = dir.appendingPathComponent("garbage-\(round).xls").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let source = try Spreadsheet.open(path: path)
                for index in source.sheetNames.indices { _ = try source.sheet(at: index) }
            } catch let error as AnnexError {
                XCTAssertEqual(error.file, path)
                XCTAssertFalse(error.reason.isEmpty)
            }
        }
    }
}
