import Foundation
import XCTest
import AnnexTestSupport

/// The seed annex 社会保险二 as government web systems export it — an HTML table saved as .xls and
/// SpreadsheetML 2003 (rendered from the sample by Tests/Fixtures/render_legacy_text.py) — goes
/// through `annex read`, `dump` and `convert` like the .xlsx it came from.
final class LegacyTextCommandTests: XCTestCase {
    private func renderSeed() throws -> (xlsx: String, html: String, xml: String, dir: URL) {
        let dir = try CLI.temporaryDirectory()
        let xlsx = CLI.packageRoot.appendingPathComponent("samples/annexes/2023-07-社会保险二.xlsx").path
        let html = dir.appendingPathComponent("附件4-网页.xls").path
        let xml = dir.appendingPathComponent("附件4-xml.xls").path
        let script = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/render_legacy_text.py").path
        let rendered = try TestSupport.run("python3", [script, xlsx, html, xml])
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        return (xlsx, html, xml, dir)
    }

    func testReadGivesTheSameObservationsAsTheXLSX() throws {
        let seed = try renderSeed()
        let expected = try CLI.run(["read", seed.xlsx])
        XCTAssertEqual(expected.status, 0, expected.stderr)
        XCTAssertEqual(expected.lines.count, 1 + 13 * 14, "the seed's observations")
        for file in [seed.html, seed.xml] {
            let result = try CLI.run(["read", file])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.lines, expected.lines, file)
        }
        XCTAssertTrue(expected.lines.contains("social-insurance-2,2023-07,全市,机关事业单位养老保险 / 参保人数(含离退休人数),占全年任务,100.66,value"),
                      expected.lines.prefix(5).joined(separator: "\n"))
    }

    func testDumpShowsTheSeedsCellsAndMerges() throws {
        let seed = try renderSeed()
        let original = try CLI.run(["dump", seed.xlsx]).stdout.replacingOccurrences(of: seed.xlsx, with: "F")
        let xml = try CLI.run(["dump", seed.xml])
        XCTAssertEqual(xml.status, 0, xml.stderr)
        XCTAssertEqual(xml.stdout.replacingOccurrences(of: seed.xml, with: "F"), original, "SpreadsheetML holds the same cells")

        let html = try CLI.run(["dump", seed.html])
        XCTAssertEqual(html.status, 0, html.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: html.stdoutData) as? [String: Any])
        let sheet = try XCTUnwrap((json["sheets"] as? [[String: Any]])?.first)
        XCTAssertEqual(sheet["name"] as? String, "社会保险二")
        XCTAssertEqual(sheet["merged"] as? [String], ["A1:N1", "A2:N2", "A3:N3", "A4:A6", "B4:G4", "H4:J5", "K4:M5", "N4:N6",
                                                      "B5:D5", "E5:G5", "A21:N21"])
        let cells = (sheet["cells"] as? [[String: String]] ?? []).map { "\($0["ref"]!) \($0["type"]!) \($0["value"]!)" }
        XCTAssertTrue(cells.contains("A4 string 项 目\n单 位"))
        XCTAssertTrue(cells.contains("B7 number -52"))
        XCTAssertTrue(cells.contains("D7 string 100.66%"), "HTML holds the percent as the text a person sees")
    }

    func testConvertToXLSXKeepsCellsAndMerges() throws {
        let seed = try renderSeed()
        for file in [seed.html, seed.xml] {
            let out = seed.dir.appendingPathComponent(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent + ".xlsx").path
            let converted = try CLI.run(["convert", file, "-o", out])
            XCTAssertEqual(converted.status, 0, converted.stderr)
            let before = try CLI.run(["dump", file]).stdout.replacingOccurrences(of: file, with: "F")
            let after = try CLI.run(["dump", out]).stdout.replacingOccurrences(of: out, with: "F")
            XCTAssertEqual(after, before, file)
            XCTAssertTrue(after.contains(#""merged": ["A1:N1", "A2:N2", "A3:N3", "A4:A6""#), after)
        }
    }

    func testNormalizeTakesBothKindsFromAFolder() throws {
        let seed = try renderSeed()
        let out = seed.dir.appendingPathComponent("all.csv").path
        let result = try CLI.run(["normalize", seed.dir.path, "-o", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = try String(contentsOfFile: out, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 1 + 2 * 13 * 14)
        for file in [seed.html, seed.xml] {
            XCTAssertEqual(lines.filter { $0.contains(",\(file),社会保险二,") }.count, 13 * 14, file)
        }
    }

    func testAPageWithoutATableExitsTwoSayingWhatItIs() throws {
        let dir = try CLI.temporaryDirectory()
        let page = dir.appendingPathComponent("登录.xls")
        try Data("<html><head><title>统一身份认证</title></head><body><form></form></body></html>".utf8).write(to: page)
        let result = try CLI.run(["dump", page.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("HTML 网页") && result.stderr.contains("统一身份认证") && result.stderr.contains("没有表格"),
                      result.stderr)
    }
}
