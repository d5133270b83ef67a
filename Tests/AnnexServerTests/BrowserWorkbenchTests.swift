import AnnexTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest

/// The workbench page in a real browser: starts the built `annex serve` with a token and runs
/// Tests/Browser/workbench_test.py (Selenium, headless Chromium) against it. Screenshots of each
/// state land in .build/browser-artifacts/.
///
/// Needs `chromium`, `chromedriver` (Debian `chromium chromium-driver`) and the `selenium` Python
/// package. Without them the test is skipped, except on CI (`CI` set), where it must run.
final class BrowserWorkbenchTests: XCTestCase {
    static let annex = Bundle.main.bundleURL.appendingPathComponent("annex")
    static let root = TestSupport.packageRoot
    static let artifacts = root.appendingPathComponent(".build/browser-artifacts")

    func testWorkbenchInChromium() throws {
        let missing = try Self.missingPrerequisites()
        if !missing.isEmpty {
            let message = "browser test needs \(missing.joined(separator: ", ")): "
                + "apt-get install chromium chromium-driver && pip install selenium"
            if ProcessInfo.processInfo.environment["CI"] != nil {
                XCTFail(message + " (CI is set, so it must run)")
                return
            }
            throw XCTSkip(message)
        }

        let token = "workbench-\(UUID().uuidString.prefix(8))"
        let port = try Self.freePort()
        let server = try Server(port: port, token: token)
        defer { server.stop() }
        try server.waitUntilListening(timeout: 60)

        let result = try TestSupport.run("python3", [
            Self.root.appendingPathComponent("Tests/Browser/workbench_test.py").path,
            "--server", "http://127.0.0.1:\(port)",
            "--samples", Self.root.appendingPathComponent("samples").path,
            "--artifacts", Self.artifacts.path,
            "--annex", Self.annex.path,
            "--token", token,
        ])
        print(result.stdout)
        print("browser screenshots: \(Self.artifacts.path)")
        XCTAssertEqual(result.status, 0, """
            Tests/Browser/workbench_test.py failed:
            \(result.stdout)\(result.stderr)
            server log:
            \(server.log)
            """)
    }

    /// Which of chromium, chromedriver and selenium cannot be found.
    static func missingPrerequisites() throws -> [String] {
        var missing: [String] = []
        let browsers = ["chromium", "chromium-browser", "google-chrome"]
        if try !browsers.contains(where: { try TestSupport.run("which", [$0]).status == 0 }) {
            missing.append("chromium")
        }
        if try TestSupport.run("which", ["chromedriver"]).status != 0 {
            missing.append("chromedriver")
        }
        if try TestSupport.run("python3", ["-c", "import selenium"]).status != 0 {
            missing.append("the selenium Python package")
        }
        return missing
    }

    /// A TCP port nobody listens on now (the kernel's pick for port 0).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `annex serve` as a child process, its output in a log file.
    final class Server {
        let process = Process()
        let logURL: URL

        init(port: Int, token: String) throws {
            logURL = try TestSupport.temporaryDirectory("annex-serve-browser").appendingPathComponent("serve.log")
            XCTAssertTrue(FileManager.default.createFile(atPath: logURL.path, contents: nil))
            let log = try FileHandle(forWritingTo: logURL)
            process.executableURL = BrowserWorkbenchTests.annex
            process.arguments = ["serve", "--port", String(port), "--token", token]
            process.currentDirectoryURL = BrowserWorkbenchTests.root
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

        /// The server says 工作台已启动 once it listens.
        func waitUntilListening(timeout: TimeInterval) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if log.contains("已启动") { return }
                if !process.isRunning {
                    throw ServerError("annex serve exited \(process.terminationStatus):\n\(log)")
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            throw ServerError("annex serve did not start within \(Int(timeout)) s:\n\(log)")
        }

        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            process.waitUntilExit()
        }
    }

    struct ServerError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
