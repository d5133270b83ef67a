import Foundation
import XCTest

/// Runs another program (python3, soffice, the annex binary) and captures what it printed.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum TestSupport {
    /// The package root, found from this file's path (Tests/AnnexIOTests/Support/TestSupport.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// ../shared, beside the repository (CI clones main with shared/ next to it).
    static let sharedDirectory: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    currentDirectory: URL? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        // stdout through a pipe, stderr into a file: two pipes could deadlock on a chatty child.
        let out = Pipe()
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("annex-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return ProcessResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory(_ label: String = "annex-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Validates a written workbook against the ECMA-376 schemas and Excel's repair checks
    /// (../shared/ooxml-schemas/validate.py); fails the test with the validator's output otherwise.
    static func assertValidOOXML(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let validator = sharedDirectory.appendingPathComponent("ooxml-schemas/validate.py").path
        let result = try run("python3", [validator, path])
        XCTAssertEqual(result.status, 0, "validate.py rejected \(path):\n\(result.stdout)\(result.stderr)", file: file, line: line)
    }
}
