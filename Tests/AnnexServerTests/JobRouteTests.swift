import AnnexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest

/// The answers of check, merge and normalize equal what the CLI gives for the same files.
final class JobRouteTests: XCTestCase {
    func testCheckAnswersTheCLIFindingsAndAZipOfMarkedCopies() async throws {
        let folder = try TestSupport.temporaryDirectory("annex-serve-cli")
        let cli = try TestSupport.run(ServerTest.annex.path, ["check", "--format", "json"] + ServerTest.annexes.map(\.lastPathComponent),
                                      currentDirectory: ServerTest.sample("annexes"))
        XCTAssertEqual(cli.status, 1, cli.stderr)
        let expected = cli.stdoutData

        try await ServerTest.withServer(try ServerTest.config()) { client in
            let form = try FormBody.files(ServerTest.annexes)
            let url = try await client.execute(uri: "/api/check", method: .post, headers: form.headers(), body: form.buffer) { response in
                XCTAssertEqual(response.status, .ok, response.text)
                XCTAssertTrue(jsonEqual(response.object["findings"], try? JSONSerialization.jsonObject(with: expected)))
                XCTAssertTrue(jsonEqual(response.object["errors"], [Any]()))
                return response.object["annotated"] as? String ?? ""
            }
            XCTAssertTrue(url.hasPrefix("/api/results/"), url)
            try await client.execute(uri: url, method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "application/zip")
                XCTAssertTrue(response.headers[.contentDisposition]?.contains("filename*=UTF-8''%E6%A0%87%E6%B3%A8%E5%89%AF%E6%9C%AC.zip") == true)
                let zip = folder.appendingPathComponent("annotated.zip")
                try Data(buffer: response.body).write(to: zip)
                let listing = try TestSupport.run("python3", ["-c", "import zipfile,sys; print('\\n'.join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))", zip.path])
                XCTAssertEqual(listing.lines, ["2023-07-就业培训一.xlsx", "2023-07-就业培训二.xlsx", "2023-07-社会保险一.xlsx", "2023-07-社会保险二.xlsx"])
            }
        }
    }

    /// With `--archive`, a check compares 本月完成 with last month's archived figures: the July return
    /// in which 南昌县 typed 564 for 546 gets a `month-on-month-mismatch` on B6.
    func testCheckWithTheArchiveFindsTheWrongMonthlyFigure() async throws {
        let folder = try TestSupport.temporaryDirectory("annex-serve-archive")
        let archive = folder.appendingPathComponent("archive.db")
        let added = try TestSupport.run(ServerTest.annex.path, ["archive", "add", ServerTest.sample("returns/2023-06").path, "--db", archive.path])
        XCTAssertEqual(added.status, 0, added.stderr)
        try await ServerTest.withServer(try ServerTest.config { $0.archive = archive.path }) { client in
            let form = try FormBody.files([ServerTest.sample("returns/2023-07-wrong/南昌县-就业培训一.xlsx")])
            try await client.execute(uri: "/api/check", method: .post, headers: form.headers(), body: form.buffer) { response in
                XCTAssertEqual(response.status, .ok, response.text)
                let findings = response.object["findings"] as? [[String: Any]] ?? []
                let mismatches = findings.filter { $0["rule"] as? String == "month-on-month-mismatch" }
                XCTAssertEqual(mismatches.map { $0["cell"] as? String }, ["B6"], response.text)
                XCTAssertEqual(mismatches.first?["file"] as? String, "南昌县-就业培训一.xlsx")
            }
        }
    }

    func testCheckReportsAnUnusableFileAndStillChecksTheOthers() async throws {
        try await ServerTest.withServer(try ServerTest.config()) { client in
            var form = try FormBody.files([ServerTest.annexes[3]])
            form.file(Array("not a workbook".utf8), name: "坏文件.xlsx")
            try await client.execute(uri: "/api/check", method: .post, headers: form.headers(), body: form.buffer) { response in
                XCTAssertEqual(response.status, .ok, response.text)
                let errors = response.object["errors"] as? [[String: String]] ?? []
                XCTAssertEqual(errors.map { $0["file"] }, ["坏文件.xlsx"])
                XCTAssertFalse(errors.first?["error"]?.isEmpty ?? true)
                XCTAssertNotNil(response.object["findings"] as? [Any])
            }
            var bad = FormBody()
            bad.file(Array("not a workbook".utf8), name: "坏文件.xlsx")
            try await client.execute(uri: "/api/check", method: .post, headers: bad.headers(), body: bad.buffer) { response in
                XCTAssertEqual(response.status, .badRequest)
                XCTAssertTrue((response.object["error"] as? String ?? "").contains("坏文件.xlsx"), response.text)
            }
        }
    }

    func testMergedAnnexIsTheBytesTheCLIWrites() async throws {
        let returns = try ServerTest.returns("社会保险二")
        let folder = try TestSupport.temporaryDirectory("annex-serve-cli")
        let cli = try TestSupport.run(ServerTest.annex.path,
                                      ["merge"] + returns.map(\.lastPathComponent) + ["--template", "social-insurance-2",
                                       "-o", folder.appendingPathComponent("附件.xlsx").path],
                                      currentDirectory: ServerTest.sample("returns/2023-07"))
        XCTAssertEqual(cli.status, 0, cli.stderr)
        let expected = try Data(contentsOf: folder.appendingPathComponent("附件.xlsx"))

        try await ServerTest.withServer(try ServerTest.config()) { client in
            let form = try FormBody.files(returns, fields: [("template", "social-insurance-2")])
            let url = try await client.execute(uri: "/api/merge", method: .post, headers: form.headers(), body: form.buffer) { response in
                XCTAssertEqual(response.status, .ok, response.text)
                let report = response.object["report"] as? [String: Any] ?? [:]
                XCTAssertEqual(report["written"] as? Bool, true)
                XCTAssertEqual((report["returns"] as? [Any])?.count, returns.count)
                XCTAssertTrue(jsonEqual(response.object["findings"], report["findings"]))
                return response.object["annex"] as? String ?? ""
            }
            try await client.execute(uri: url, method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentDisposition],
                               "attachment; filename=\"__.xlsx\"; filename*=UTF-8''%E9%99%84%E4%BB%B6.xlsx")
                XCTAssertEqual(Data(buffer: response.body), expected)
            }
        }
    }

    /// Two corrections of one unit (更正 and 修正, different figures) are a conflict: the report names it.
    private func conflictingReturns() throws -> FormBody {
        let others = try ServerTest.returns("就业培训一").filter { !$0.lastPathComponent.hasPrefix("青山湖区") }
        var form = try FormBody.files(others, fields: [("template", "employment-training-1")])
        let folder = ServerTest.sample("returns/2023-07")
        try form.file(folder.appendingPathComponent("青山湖区-就业培训一（更正）.xlsx"))
        try form.file(folder.appendingPathComponent("青山湖区-就业培训一.xlsx"), as: "青山湖区-就业培训一（修正）.xlsx")
        return form
    }

    func testConflictingReturnsAreReported() async throws {
        let form = try conflictingReturns()
        try await ServerTest.withServer(try ServerTest.config()) { client in
            try await client.execute(uri: "/api/merge", method: .post, headers: form.headers(), body: form.buffer) { response in
                XCTAssertEqual(response.status, .ok, response.text)
                let report = response.object["report"] as? [String: Any] ?? [:]
                let conflicts = (report["problems"] as? [[String: Any]] ?? []).filter { ($0["kind"] as? String)?.contains("conflict") == true }
                XCTAssertEqual(conflicts.compactMap { $0["unit"] as? String }, ["青山湖区"], "\(report)")
                // An annex, when one is written (the conflicting unit's row left empty), is downloadable.
                XCTAssertEqual(response.object["annex"] != nil, report["written"] as? Bool == true)
            }
            // `prefer` must name one of the uploads.
            var preferring = form
            preferring.field("prefer", "别处的文件.xlsx")
            try await client.execute(uri: "/api/merge", method: .post, headers: preferring.headers(), body: preferring.buffer) { response in
                XCTAssertEqual(response.status, .badRequest)
                XCTAssertTrue((response.object["error"] as? String ?? "").contains("别处的文件.xlsx"), response.text)
            }
            // Without a template the form cannot be used.
            let bare = try FormBody.files(try ServerTest.returns("就业培训一"))
            try await client.execute(uri: "/api/merge", method: .post, headers: bare.headers(), body: bare.buffer) { response in
                XCTAssertEqual(response.status, .badRequest)
                XCTAssertTrue((response.object["error"] as? String ?? "").contains("template"))
            }
        }
    }

    func testPreferResolvesTheConflictByTheNameTheUserKnows() async throws {
        let help = try TestSupport.run(ServerTest.annex.path, ["merge", "--help"])
        try XCTSkipUnless(help.stdout.contains("--prefer"), "annex merge has no --prefer in this build")
        var preferring = try conflictingReturns()
        preferring.field("prefer", "青山湖区-就业培训一（更正）.xlsx")
        let form = preferring
        try await ServerTest.withServer(try ServerTest.config()) { client in
            try await client.execute(uri: "/api/merge", method: .post, headers: form.headers(), body: form.buffer) { response in
                XCTAssertEqual(response.status, .ok, response.text)
                let report = response.object["report"] as? [String: Any] ?? [:]
                let kinds = (report["problems"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
                XCTAssertFalse(kinds.contains { $0.contains("conflict") }, "\(kinds)")
                XCTAssertNotNil(response.object["annex"])
            }
        }
    }

    func testNormalizeTakesAZipAsItsFiles() async throws {
        let folder = try TestSupport.temporaryDirectory("annex-serve-zip")
        let zip = folder.appendingPathComponent("returns.zip")
        try TestSupport.python(["-c", """
            import zipfile, sys, os
            src = sys.argv[2]
            with zipfile.ZipFile(sys.argv[1], 'w') as z:
                for name in sorted(os.listdir(src)):
                    z.write(os.path.join(src, name), '七月/' + name)
                z.writestr('../../逃逸.csv', 'x')
                z.writestr('__MACOSX/._a.xlsx', 'x')
            """, zip.path, ServerTest.sample("returns/2023-07").path])
        let cli = try TestSupport.run(ServerTest.annex.path, ["normalize", "2023-07", "-o", folder.appendingPathComponent("d.csv").path],
                                      currentDirectory: ServerTest.sample("returns"))
        XCTAssertEqual(cli.status, 0, cli.stderr)
        let expectedRows = try String(contentsOf: folder.appendingPathComponent("d.csv"), encoding: .utf8)
            .split(separator: "\n").count

        try await ServerTest.withServer(try ServerTest.config()) { client in
            var form = FormBody()
            try form.file(zip, as: "七月报表.zip")
            let urls = try await client.execute(uri: "/api/normalize", method: .post, headers: form.headers(), body: form.buffer) { response in
                XCTAssertEqual(response.status, .ok, response.text)
                let report = response.object["report"] as? [String: Any] ?? [:]
                XCTAssertEqual(report["files_read"] as? Int,
                               try FileManager.default.contentsOfDirectory(atPath: ServerTest.sample("returns/2023-07").path).count)
                // The escaping member landed inside the job folder (and, as a CSV without a layout, failed there).
                let failures = report["failures"] as? [[String: Any]] ?? []
                XCTAssertEqual(failures.compactMap { $0["file"] as? String }.filter { $0.contains("逃逸") }, ["七月报表/逃逸.csv"])
                return [response.object["dataset"] as? String ?? "", response.object["reportFile"] as? String ?? ""]
            }
            try await client.execute(uri: urls[0], method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.text.split(separator: "\n").count, expectedRows)
                XCTAssertTrue(response.text.contains("七月报表/七月/南昌县-社会保险二.xlsx"))
            }
            try await client.execute(uri: urls[1], method: .get) { XCTAssertEqual($0.status, .ok) }
        }
    }

    func testStreamedAnswerGivesProgressThenTheResult() async throws {
        try await ServerTest.withServer(try ServerTest.config()) { client in
            let form = try FormBody.files(ServerTest.annexes)
            try await client.execute(uri: "/api/check", method: .post, headers: form.headers(stream: true), body: form.buffer) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "application/x-ndjson; charset=utf-8")
                let events = response.events
                let progress = events.compactMap { $0["progress"] as? [String: Int] }
                XCTAssertEqual(progress.last, ["done": 4, "total": 4])
                XCTAssertEqual(events.last.map { Array($0.keys) }, ["result"])
                XCTAssertNotNil((events.last?["result"] as? [String: Any])?["findings"])
            }
            var bad = FormBody()
            bad.file(Array("no".utf8), name: "坏文件.xlsx")
            try await client.execute(uri: "/api/check", method: .post, headers: bad.headers(stream: true), body: bad.buffer) { response in
                let last = response.events.last ?? [:]
                XCTAssertEqual(last["status"] as? Int, 400)
                XCTAssertTrue((last["error"] as? String ?? "").contains("坏文件.xlsx"))
            }
        }
    }
}
