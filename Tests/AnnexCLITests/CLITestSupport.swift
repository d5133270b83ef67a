import Foundation
import XCTest
import AnnexTestSupport

/// Runs the `annex` binary that `swift test` built next to the test bundle.
enum CLI {
    static let binary: URL = Bundle.main.bundleURL.appendingPathComponent("annex")
    static let packageRoot = TestSupport.packageRoot

    static func run(_ arguments: [String]) throws -> ProcessResult {
        try TestSupport.run(binary.path, arguments)
    }

    /// `unit|indicator|measure` → `value|status` (then `|period` with `withPeriod`) of an annex read
    /// back with `annex read`, which must succeed.
    static func readBack(_ path: String, withPeriod: Bool = false,
                         file: StaticString = #filePath, line: UInt = #line) throws -> [String: String] {
        let result = try run(["read", path])
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        var cells: [String: String] = [:]
        for row in result.lines.dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells["\(fields[2])|\(fields[3])|\(fields[4])"] = "\(fields[5])|\(fields[6])" + (withPeriod ? "|\(fields[1])" : "")
        }
        return cells
    }

    static func temporaryDirectory() throws -> URL {
        try TestSupport.temporaryDirectory("annex-cli")
    }

    /// Makes a workbook with openpyxl (another program), returning its path.
    static func openpyxlWorkbook(_ script: String, in directory: URL, name: String = "book.xlsx") throws -> URL {
        let path = directory.appendingPathComponent(name)
        try TestSupport.python(["-c", "import openpyxl, sys\nwb = openpyxl.Workbook()\nws = wb.active\n" + script + "\nwb.save(sys.argv[1])", path.path])
        return path
    }
}
