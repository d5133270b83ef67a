import AnnexTestSupport
import Foundation
import XCTest

/// `annex serve` as a program: it serves on loopback and a SIGTERM stops it cleanly, removing its files.
final class ServeCommandTests: XCTestCase {
    /// Waits for the port, posts one check of a sample annex, prints the status and the annotated URL.
    private static let client = """
        import json, socket, sys, time, urllib.request, uuid
        port, path = int(sys.argv[1]), sys.argv[2]
        for _ in range(400):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close(); break
            except OSError:
                time.sleep(0.05)
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\\r\\nContent-Disposition: form-data; name="files"; filename="社会保险二.xlsx"\\r\\n\\r\\n').encode()
        body += open(path, "rb").read() + f"\\r\\n--{boundary}--\\r\\n".encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/check", data=body,
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        with urllib.request.urlopen(request) as response:
            print(response.status, json.load(response)["annotated"])
        """

    func testSIGTERMStopsTheServerAndRemovesItsFiles() throws {
        let temporary = try TestSupport.temporaryDirectory("annex-serve-stop")
        let port = try TestSupport.run("python3", ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = Process()
        server.executableURL = ServerTest.annex
        server.arguments = ["serve", "--port", port]
        server.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary.path]) { $1 }
        server.standardError = FileHandle.nullDevice
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.interrupt() } }

        let answer = try TestSupport.run("python3", ["-c", Self.client, port, ServerTest.annexes[3].path])
        XCTAssertTrue(answer.stdout.hasPrefix("200 /api/results/"), answer.stdout + answer.stderr)
        let folders = try FileManager.default.contentsOfDirectory(atPath: temporary.path)
        XCTAssertEqual(folders.count, 1)
        XCTAssertTrue(folders.first?.hasPrefix("annex-serve-") == true)

        server.terminate()
        server.waitUntilExit()
        XCTAssertEqual(server.terminationReason, .exit)
        XCTAssertEqual(server.terminationStatus, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary.path), [])
    }
}
