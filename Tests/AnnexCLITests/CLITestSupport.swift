import Foundation
import XCTest

/// Runs the `annex` binary that `swift test` built next to the test bundle.
enum CLI {
    static let binary: URL = Bundle.main.bundleURL.appendingPathComponent("annex")
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
        /// The output's lines, CRLF (RFC 4180 CSV) or LF.
        var lines: [String] { text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init) }
    }

    static func run(_ arguments: [String], executable: URL = binary) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("annex-cli-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        return Result(status: process.terminationStatus, stdout: data,
                      stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("annex-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Makes a workbook with openpyxl (another program), returning its path.
    static func openpyxlWorkbook(_ script: String, in directory: URL, name: String = "book.xlsx") throws -> URL {
        let path = directory.appendingPathComponent(name)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", "import openpyxl, sys\nwb = openpyxl.Workbook()\nws = wb.active\n" + script + "\nwb.save(sys.argv[1])", path.path]
        try python.run()
        python.waitUntilExit()
        XCTAssertEqual(python.terminationStatus, 0, "openpyxl failed")
        return path
    }
}
