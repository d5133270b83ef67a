import Foundation
import XCTest

/// What another program (python3, soffice, the annex binary) printed.
public struct ProcessResult {
    public var status: Int32
    public var stdoutData: Data
    public var stderr: String

    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    /// The output's lines, CRLF (RFC 4180 CSV) or LF.
    public var lines: [String] {
        stdout.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init)
    }
}

/// Shared by every test target: running other programs, temporary folders, the OOXML validator.
public enum TestSupport {
    /// The package root, found from this file's path (Tests/AnnexTestSupport/TestSupport.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// ../shared, beside the repository (CI clones main with shared/ next to it).
    public static let sharedDirectory: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// Runs a program found on PATH (or given by absolute path). stdout comes through a pipe, stderr
    /// through a file: two pipes could deadlock on a chatty child.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           currentDirectory: URL? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = currentDirectory ?? packageRoot
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
        return ProcessResult(status: process.terminationStatus, stdoutData: outData,
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs python3 from the package root; fails the test when it exits non-zero.
    @discardableResult
    public static func python(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let result = try run("python3", arguments)
        XCTAssertEqual(result.status, 0, "python3 \(arguments.first ?? ""):\n\(result.stdout)\(result.stderr)", file: file, line: line)
        return result
    }

    /// A fresh empty directory inside this test process's own folder under the system temporary
    /// directory; the whole folder is removed when the process exits (set ANNEX_KEEP_TEST_FILES=1 to
    /// keep it for a look after a failure).
    public static func temporaryDirectory(_ label: String = "annex-test") throws -> URL {
        let url = processScratch.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// One folder per test process, so a run leaves nothing behind in /tmp.
    private static let processScratch: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("annex-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
        scratchPathForExit = url.path
        if ProcessInfo.processInfo.environment["ANNEX_KEEP_TEST_FILES"] == nil {
            atexit { if let path = scratchPathForExit { try? FileManager.default.removeItem(atPath: path) } }
        }
        return url
    }()
    nonisolated(unsafe) private static var scratchPathForExit: String?

    /// Validates a written workbook against the ECMA-376 schemas and Excel's repair checks
    /// (../shared/ooxml-schemas/validate.py); fails the test with the validator's output otherwise,
    /// and skips it when ../shared is not beside the repository.
    public static func assertValidOOXML(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let validator = sharedDirectory.appendingPathComponent("ooxml-schemas/validate.py").path
        guard FileManager.default.fileExists(atPath: validator) else {
            throw XCTSkip("没有 \(validator)（../shared 不在仓库旁边），跳过 OOXML 校验")
        }
        let result = try run("python3", [validator, path])
        XCTAssertEqual(result.status, 0, "validate.py rejected \(path):\n\(result.stdout)\(result.stderr)", file: file, line: line)
    }
}
