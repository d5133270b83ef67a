import XCTest
@testable import AnnexIO

/// `SpreadsheetFormat.sniff` tells a file's kind from its first bytes, whatever its name says.
final class SpreadsheetFormatTests: XCTestCase {
    private func sniff(_ text: String) -> SpreadsheetFormat { SpreadsheetFormat.sniff(head: Array(text.utf8)) }

    func testMagicNumbers() {
        XCTAssertEqual(SpreadsheetFormat.sniff(head: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]), .zip)
        XCTAssertEqual(SpreadsheetFormat.sniff(head: [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)), .zip)
        XCTAssertEqual(SpreadsheetFormat.sniff(head: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]), .compoundFile)
        // Only the first four bytes of the compound-file signature: not enough.
        XCTAssertEqual(SpreadsheetFormat.sniff(head: [0xD0, 0xCF, 0x11, 0xE0, 0x41, 0x42]), .text)
        XCTAssertEqual(SpreadsheetFormat.sniff(head: [UInt8]()), .text)
    }

    func testHTMLTablesExportedAsXLS() {
        XCTAssertEqual(sniff("<html><body><table><tr><td>1</td></tr></table></body></html>"), .html)
        XCTAssertEqual(sniff("\u{FEFF}\r\n  <!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\n<HTML>"), .html)
        XCTAssertEqual(sniff("<table border=1><tr><td>单位</td></tr></table>"), .html)
        // Excel's own "Web page" export names Office namespaces on <html>.
        XCTAssertEqual(sniff("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\">"), .html)
        // GBK bytes after an ASCII head still sniff as HTML.
        XCTAssertEqual(SpreadsheetFormat.sniff(head: Array("<html><meta charset=gbk><td>".utf8) + [0xB5, 0xA5, 0xCE, 0xBB]), .html)
    }

    func testSpreadsheetML2003() {
        XCTAssertEqual(sniff("<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook>"), .spreadsheetML2003)
        XCTAssertEqual(sniff("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">"), .spreadsheetML2003)
        // UTF-16LE with a BOM, as some exporters write it.
        let utf16: [UInt8] = [0xFF, 0xFE] + "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">"
            .utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        XCTAssertEqual(SpreadsheetFormat.sniff(head: utf16), .spreadsheetML2003)
    }

    func testEverythingElseIsText() {
        XCTAssertEqual(sniff("单位,本月完成,累计完成\n全市,1,2\n"), .text)
        XCTAssertEqual(sniff("单位\t本月完成\n"), .text)
        XCTAssertEqual(sniff("<5 岁,3\n"), .text)
        XCTAssertEqual(sniff("<?xml version=\"1.0\"?><note>not a workbook</note>"), .text)
    }

    func testSniffingAFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("annex-sniff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("return.xls")
        try Data("<table><tr><td>全市</td></tr></table>".utf8).write(to: file)
        XCTAssertEqual(SpreadsheetFormat.sniff(path: file.path), .html)
        XCTAssertEqual(SpreadsheetFormat.sniff(path: directory.appendingPathComponent("missing.xls").path), .text)
    }
}
