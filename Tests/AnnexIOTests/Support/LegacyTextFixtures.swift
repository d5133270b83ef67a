import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// The HTML-table and SpreadsheetML fixtures, generated once per test run by
/// Tests/Fixtures/make_legacy_text_fixtures.py (expected dumps computed in Python, LibreOffice
/// conversions for the cross-check).
enum LegacyTextFixtures {
    nonisolated(unsafe) private static let generated: Result<[Fixtures.Entry], Error> = Result {
        let directory = try TestSupport.temporaryDirectory("annex-legacy-text")
        let script = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/make_legacy_text_fixtures.py").path
        let result = try TestSupport.run("python3", [script, directory.path])
        guard result.status == 0 else {
            throw NSError(domain: "LegacyTextFixtures", code: Int(result.status), userInfo: [
                NSLocalizedDescriptionKey: "make_legacy_text_fixtures.py failed:\n\(result.stdout)\n\(result.stderr)"])
        }
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (manifest?["fixtures"] as? [[String: Any]] ?? []).map { item in
            Fixtures.Entry(name: item["name"] as? String ?? "?",
                           file: directory.appendingPathComponent(item["file"] as? String ?? ""),
                           kind: item["kind"] as? String ?? "", maker: "make_legacy_text_fixtures.py",
                           proves: item["proves"] as? String ?? "", raw: item)
        }
    }

    static func of(kind: String, prefix: String = "") throws -> [Fixtures.Entry] {
        let entries = try generated.get().filter { $0.kind == kind && $0.name.hasPrefix(prefix) }
        XCTAssertFalse(entries.isEmpty, "no \(kind) fixtures named \(prefix)…")
        return entries
    }

    /// The fixture's dump must be exactly the expected one: sheet names and order, every cell's
    /// reference, type and value in row-major order, the merged ranges in order.
    static func assertDumpsAsExpected(_ fixture: Fixtures.Entry, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try XCTUnwrap(fixture.raw["expected"] as? [String: Any], fixture.name)
        let actual = try FixtureDumpTests.dump(fixture.file.path)
        let expectedSheets = try XCTUnwrap(expected["sheets"] as? [[String: Any]])
        let actualSheets = try XCTUnwrap(actual["sheets"] as? [[String: Any]])
        XCTAssertEqual(actualSheets.map { $0["name"] as? String }, expectedSheets.map { $0["name"] as? String },
                       "\(fixture.name): sheet names", file: file, line: line)
        for (a, e) in zip(actualSheets, expectedSheets) {
            let name = "\(fixture.name)!\(e["name"] ?? "")"
            XCTAssertEqual(a["merged"] as? [String], e["merged"] as? [String], "\(name): merged", file: file, line: line)
            let cells = { (sheet: [String: Any]) in
                (sheet["cells"] as? [[String: String]] ?? []).map { "\($0["ref"]!) \($0["type"]!) \($0["value"]!.debugDescription)" }
            }
            XCTAssertEqual(cells(a), cells(e), "\(name) (\(fixture.proves))", file: file, line: line)
        }
    }

    /// annex's reading of the fixture and of LibreOffice's .xlsx of it hold the same cells (numbers
    /// compared as decimals: LibreOffice stores `0.00` as `0`) and merges; sheet names differ
    /// (LibreOffice names an HTML sheet after nothing in the file) and are not compared.
    static func assertAgreesWithLibreOffice(_ fixture: Fixtures.Entry, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let converted = fixture.raw["libreoffice"] as? String else { return }
        let root = fixture.file.path.components(separatedBy: "/" + (fixture.raw["file"] as? String ?? "")).first ?? ""
        let ours = try Spreadsheet.open(path: fixture.file.path)
        let theirs = try Spreadsheet.open(path: root + "/" + converted)
        XCTAssertEqual(ours.sheetNames.count, theirs.sheetNames.count, "\(fixture.name): sheet count", file: file, line: line)
        for index in 0..<min(ours.sheetNames.count, theirs.sheetNames.count) {
            let a = try ours.sheet(at: index)
            let b = try theirs.sheet(at: index)
            XCTAssertEqual(Set(a.merged), Set(b.merged), "\(fixture.name): merged", file: file, line: line)
            let values = { (sheet: Sheet) -> [String] in
                sheet.cells.map { cell in
                    if case .number(let text) = cell.value, let value = Decimal(string: text) { return "\(cell.reference) number \(value)" }
                    return "\(cell.reference) \(cell.value.typeName) \(cell.value.text.debugDescription)"
                }
            }
            XCTAssertEqual(values(a), values(b), "\(fixture.name): annex ≠ LibreOffice", file: file, line: line)
        }
    }

    /// Copies of `fixture` with random bytes changed, cut short or repeated: each one reads or is
    /// refused with an AnnexError naming it; none crashes or hangs.
    static func assertMutantsNeverCrash(_ fixture: Fixtures.Entry, count: Int = 60, file: StaticString = #filePath, line: UInt = #line) throws {
        let original = try [UInt8](Data(contentsOf: fixture.file))
        let dir = try TestSupport.temporaryDirectory("annex-mutants")
        var generator = SeededRandom(seed: 0x6d757461)
        for round in 0..<count {
            var bytes = original
            switch round % 3 {
            case 0:
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            case 1:
                bytes = Array(bytes.prefix(Int.random(in: 1..<bytes.count, using: &generator)))
            default:
                let cut = Int.random(in: 0..<bytes.count, using: &generator)
                bytes.insert(contentsOf: bytes[cut..<min(cut + 200, bytes.count)], at: cut)
            }
            let path = dir.appendingPathComponent("\(fixture.name)-\(round).xls").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let source = try Spreadsheet.open(path: path)
                for index in source.sheetNames.indices { _ = try source.sheet(at: index) }
            } catch let error as AnnexError {
                XCTAssertEqual(error.file, path, file: file, line: line)
                XCTAssertFalse(error.reason.isEmpty, file: file, line: line)
            }
        }
    }

    /// Every broken fixture fails with an AnnexError naming the file, in words that say why.
    static func assertRefused(_ fixture: Fixtures.Entry, file: StaticString = #filePath, line: UInt = #line) {
        let words: [String: [String]] = [
            "no-table": ["没有表格"], "columns": ["最大列数"], "encoding": ["编码"], "nesting": ["嵌套"],
            "no-worksheet": ["没有工作表"], "xml": ["XML 格式错误"], "dtd": ["DTD"], "number": ["数值"],
        ]
        XCTAssertThrowsError(try FixtureDumpTests.dump(fixture.file.path), fixture.name, file: file, line: line) { error in
            guard let error = error as? AnnexError else { return XCTFail("\(fixture.name): \(error)", file: file, line: line) }
            XCTAssertEqual(error.file, fixture.file.path, fixture.name, file: file, line: line)
            let expect = fixture.raw["expect"] as? String ?? "?"
            if expect == "any" { return }   // random bytes: refused, for whichever reason comes first
            XCTAssertTrue((words[expect] ?? ["?"]).contains { error.description.contains($0) },
                          "\(fixture.name) [\(expect)]: \(error)", file: file, line: line)
        }
    }
}
