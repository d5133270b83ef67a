import AnnexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest

/// Upload size, names, result expiry, the queue, time limits and crashed job processes.
final class JobLimitTests: XCTestCase {
    func testUploadOverTheLimitIs413AndTheServerGoesOn() async throws {
        let config = try ServerTest.config { $0.maxUploadBytes = 1 << 20 }
        try await ServerTest.withServer(config) { client in
            var form = FormBody()
            form.file([UInt8](repeating: 0x41, count: 2 << 20), name: "大文件.csv")
            try await client.execute(uri: "/api/check", method: .post, headers: form.headers(), body: form.buffer) { response in
                XCTAssertEqual(response.status, .contentTooLarge)
                XCTAssertTrue((response.object["error"] as? String ?? "").contains("1 MB"), response.text)
            }
            let small = try FormBody.files([ServerTest.annexes[3]])
            try await client.execute(uri: "/api/check", method: .post, headers: small.headers(), body: small.buffer) {
                XCTAssertEqual($0.status, .ok)
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: config.temporaryDirectory), [])
    }

    func testNotAFormIs400() async throws {
        try await ServerTest.withServer(try ServerTest.config()) { client in
            try await client.execute(uri: "/api/check", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: "{}")) { response in
                XCTAssertEqual(response.status, .badRequest)
                XCTAssertTrue((response.object["error"] as? String ?? "").contains("multipart/form-data"))
            }
            let empty = FormBody()
            try await client.execute(uri: "/api/check", method: .post, headers: empty.headers(), body: empty.buffer) { response in
                XCTAssertEqual(response.status, .badRequest)
            }
        }
    }

    func testUploadNamesAreDisplayNamesInsideTheJobFolder() async throws {
        let config = try ServerTest.config()
        try await ServerTest.withServer(config) { client in
            // Unusable content, so that every upload is named in `errors`, under the name it was stored as.
            var form = try FormBody.files([ServerTest.annexes[3]])
            let junk = Array("not a workbook".utf8)
            form.file(junk, name: "../../../../tmp/社会保险二.xlsx")
            form.file(junk, name: "/etc/社会保险二.xlsx")
            form.file(junk, name: #"C:\Users\科员\桌面\..\社会保险二.xlsx"#)
            form.file(junk, name: "..")
            try await client.execute(uri: "/api/check", method: .post, headers: form.headers(), body: form.buffer) { response in
                XCTAssertEqual(response.status, .ok, response.text)
                let errors = (response.object["errors"] as? [[String: String]] ?? []).compactMap { $0["file"] }
                XCTAssertEqual(errors, ["社会保险二.xlsx", "社会保险二 (2).xlsx", "社会保险二 (3).xlsx", "上传文件"])
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/社会保险二.xlsx"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/etc/社会保险二.xlsx"))
    }

    func testResultsExpire() async throws {
        let config = try ServerTest.config { $0.resultTTL = 1 }
        try await ServerTest.withServer(config) { client in
            let form = try FormBody.files([ServerTest.annexes[3]])
            let url = try await client.execute(uri: "/api/check", method: .post, headers: form.headers(), body: form.buffer) {
                $0.object["annotated"] as? String ?? ""
            }
            try await client.execute(uri: url, method: .get) { XCTAssertEqual($0.status, .ok) }
            let workspace = try FileManager.default.contentsOfDirectory(atPath: config.temporaryDirectory)
            XCTAssertEqual(workspace.count, 1)
            let jobs = config.temporaryDirectory + "/" + workspace[0]
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: jobs).count, 1)
            try await Task.sleep(for: .seconds(1.6))
            try await client.execute(uri: url, method: .get) { XCTAssertEqual($0.status, .notFound) }
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: jobs), [])
        }
        // At shutdown the server's folder goes too.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: config.temporaryDirectory), [])
    }

    func testSecondJobWaitsInTheQueueWhenOneRunsAtATime() async throws {
        let folder = try TestSupport.temporaryDirectory("annex-serve-queue")
        let config = try ServerTest.config {
            $0.maxJobs = 1
            $0.executable = try! ServerTest.slowFirstJob(in: folder, sleep: 2, thenRun: true)
        }
        try await ServerTest.withServer(config) { client in
            let form = try FormBody.files([ServerTest.annexes[3]])
            async let first = client.execute(uri: "/api/check", method: .post, headers: form.headers(stream: true), body: form.buffer) {
                $0.events
            }
            while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("pid").path) {
                try await Task.sleep(for: .milliseconds(20))
            }
            let second = try await client.execute(uri: "/api/check", method: .post, headers: form.headers(stream: true), body: form.buffer) {
                $0.events
            }
            XCTAssertEqual(second.first?["queued"] as? Int, 0)
            XCTAssertNotNil(second.last?["result"])
            let firstEvents = try await first
            XCTAssertNil(firstEvents.first?["queued"])
            XCTAssertTrue(jsonEqual((firstEvents.last?["result"] as? [String: Any])?["findings"],
                                    (second.last?["result"] as? [String: Any])?["findings"]))
        }
    }

    func testKilledJobProcessAnswersAnErrorAndTheNextJobRuns() async throws {
        let folder = try TestSupport.temporaryDirectory("annex-serve-kill")
        let config = try ServerTest.config { $0.executable = try! ServerTest.slowFirstJob(in: folder, sleep: 60, thenRun: false) }
        try await ServerTest.withServer(config) { client in
            let form = try FormBody.files([ServerTest.annexes[3]])
            async let killed = client.execute(uri: "/api/check", method: .post, headers: form.headers(), body: form.buffer) { $0 }
            let pidFile = folder.appendingPathComponent("pid").path
            while (try? String(contentsOfFile: pidFile, encoding: .utf8))?.isEmpty != false {
                try await Task.sleep(for: .milliseconds(20))
            }
            let pid = pid_t(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
            XCTAssertEqual(kill(pid, SIGKILL), 0)
            let response = try await killed
            XCTAssertEqual(response.status, .internalServerError)
            XCTAssertTrue((response.object["error"] as? String ?? "").contains("2023-07-社会保险二.xlsx"), response.text)
            try await client.execute(uri: "/api/check", method: .post, headers: form.headers(), body: form.buffer) {
                XCTAssertEqual($0.status, .ok)
            }
        }
    }

    func testJobOverTheTimeLimitIsKilled() async throws {
        let folder = try TestSupport.temporaryDirectory("annex-serve-timeout")
        let config = try ServerTest.config {
            $0.jobTimeout = 0.5
            $0.executable = try! ServerTest.slowFirstJob(in: folder, sleep: 60, thenRun: false)
        }
        try await ServerTest.withServer(config) { client in
            let form = try FormBody.files([ServerTest.annexes[3]])
            let started = Date()
            try await client.execute(uri: "/api/check", method: .post, headers: form.headers(stream: true), body: form.buffer) { response in
                let last = response.events.last ?? [:]
                XCTAssertEqual(last["status"] as? Int, 500)
                XCTAssertTrue((last["error"] as? String ?? "").contains("时间上限"), response.text)
            }
            XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        }
    }
}
