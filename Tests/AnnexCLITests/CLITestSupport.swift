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
