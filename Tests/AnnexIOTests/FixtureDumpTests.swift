import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexIO

/// `annex dump` must agree with openpyxl on every cell of workbooks made by other programs, and
/// reject every broken file with a message (SPEC.md "dump JSON"; issue 2).
final class FixtureDumpTests: XCTestCase {
    /// The dump of a file through the library, parsed back as JSON.
    static func dump(_ path: String) throws -> [String: Any] {
        let output = MemoryOutput()
        let source = try Spreadsheet.open(path: path)
        try GridDump.writeJSON(source, displayName: path, to: output)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.bytes)) as? [String: Any])
    }

    func testDumpAgreesWithOpenpyxlOnEveryCell() throws {
        let reference = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/reference_dump.py").path
        for fixture in try Fixtures.of(kind: "xlsx") {
            let expected = try TestSupport.run("python3", [reference, fixture.file.path])
            XCTAssertEqual(expected.status, 0, "reference_dump.py failed on \(fixture.name): \(expected.stderr)")
            let expectedJSON = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(expected.stdout.utf8)) as? [String: Any])
            do {
                assertSameDump(try Self.dump(fixture.file.path), expectedJSON, fixture: fixture.name)
            } catch {
                XCTFail("\(fixture.name) (\(fixture.proves)): \(error)")
            }
        }
    }

    func testDumpMatchesHandComputedExpectations() throws {
        for fixture in try Fixtures.of(kind: "xlsx-expected") {
            let expected = try XCTUnwrap(fixture.raw["expected"] as? [String: Any], fixture.name)
            do {
                assertSameDump(try Self.dump(fixture.file.path), expected, fixture: fixture.name)
            } catch {
                XCTFail("\(fixture.name) (\(fixture.proves)): \(error)")
            }
        }
    }

    func testBrokenFilesGetAClearError() throws {
        for fixture in try Fixtures.of(kind: "broken") {
            XCTAssertThrowsError(try Self.dump(fixture.file.path), fixture.name) { error in
                guard let error = error as? AnnexError else {
                    return XCTFail("\(fixture.name): not an AnnexError: \(error)")
                }
                XCTAssertEqual(error.file, fixture.file.path, fixture.name)
                XCTAssertFalse(error.reason.isEmpty, fixture.name)
                if let category = fixture.raw["expect"] as? String, let words = Self.expectedWords[category] {
                    XCTAssertTrue(words.contains { error.description.contains($0) },
                                  "\(fixture.name) [\(category)]: message does not say why: \(error)")
                }
            }
        }
    }

    /// CSV files in every encoding and delimiter read as the grid Python's csv module sees.
    func testCSVFixturesReadAsTheirRows() throws {
        for fixture in try Fixtures.of(kind: "csv") {
            let rows = try XCTUnwrap(fixture.raw["rows"] as? [[String]], fixture.name)
            let sheet = try Spreadsheet.open(path: fixture.file.path).sheet(at: 0)
            var grid: [[String]] = []
            for cell in sheet.cells {
                while grid.count <= cell.reference.row { grid.append([]) }
                while grid[cell.reference.row].count <= cell.reference.column { grid[cell.reference.row].append("") }
                grid[cell.reference.row][cell.reference.column] = cell.value.text
            }
            let trimmed = rows.map { row -> [String] in
                var row = row
                while row.last == "" { row.removeLast() }
                return row
            }
            // Rows of empty fields give no cells: compare up to the last non-empty row.
            let expected = Array(trimmed.prefix(through: trimmed.lastIndex { !$0.isEmpty } ?? -1))
            XCTAssertEqual(grid, expected, "\(fixture.name) (\(fixture.proves))")
        }
    }

    /// Words the message must contain for each kind of breakage, so that the user learns the cause.
    static let expectedWords: [String: [String]] = [
        "empty": ["空"], "not-zip": ["不是"], "truncated": ["截断", "不完整"], "crc": ["CRC"],
        "encrypted": ["加密"], "ods": ["OpenDocument"], "lock-file": ["锁定文件"], "missing-part": ["找不到"],
        "xxe": ["DTD"], "entity-expansion": ["DTD"], "zip-bomb": ["zip 炸弹"], "malformed-xml": ["XML"],
    ]

    private func assertSameDump(_ actual: [String: Any], _ expected: [String: Any], fixture: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        let actualSheets = actual["sheets"] as? [[String: Any]] ?? []
        let expectedSheets = expected["sheets"] as? [[String: Any]] ?? []
        XCTAssertEqual(actualSheets.map { $0["name"] as? String }, expectedSheets.map { $0["name"] as? String },
                       "\(fixture): sheet names", file: file, line: line)
        for (a, e) in zip(actualSheets, expectedSheets) {
            let name = "\(fixture)!\(e["name"] ?? "")"
            XCTAssertEqual(Set(a["merged"] as? [String] ?? []), Set(e["merged"] as? [String] ?? []),
                           "\(name): merged", file: file, line: line)
            let cells = { (sheet: [String: Any]) -> [String: String] in
                var result: [String: String] = [:]
                for cell in sheet["cells"] as? [[String: Any]] ?? [] {
                    result[cell["ref"] as? String ?? ""] = "\(cell["type"] ?? "") \(cell["value"] ?? "")"
                }
                return result
            }
            let actualCells = cells(a)
            let expectedCells = cells(e)
            for (ref, value) in expectedCells.sorted(by: { $0.key < $1.key }) where actualCells[ref] != value {
                XCTFail("\(name)!\(ref): expected \(value), got \(actualCells[ref] ?? "nothing")", file: file, line: line)
            }
            for ref in Set(actualCells.keys).subtracting(expectedCells.keys).sorted() {
                XCTFail("\(name)!\(ref): unexpected cell \(actualCells[ref]!)", file: file, line: line)
            }
        }
    }
}

/// Collects output in memory for tests.
final class MemoryOutput: ByteOutput {
    var bytes: [UInt8] = []
    func write(_ buffer: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: buffer) }
}
