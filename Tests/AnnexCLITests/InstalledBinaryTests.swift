import Foundation
import XCTest
import AnnexTestSupport

/// `annex` copied anywhere (as to /usr/local/bin) works from any folder: the built-in layouts are
/// compiled in; `ANNEX_TEMPLATES` and `--templates` still add or replace layouts.
final class InstalledBinaryTests: XCTestCase {
    func testACopiedBinaryFindsItsTemplatesFromAnyFolder() throws {
        let directory = try CLI.temporaryDirectory()
        let copy = directory.appendingPathComponent("bin/annex")
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLI.binary, to: copy)
        let sample = CLI.packageRoot.appendingPathComponent("samples/annexes/2023-07-社会保险二.xlsx")

        let listed = try TestSupport.run(copy.path, ["templates", "--json"], environment: ["ANNEX_TEMPLATES": ""],
                                         currentDirectory: URL(fileURLWithPath: "/"))
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let ids = try XCTUnwrap(JSONSerialization.jsonObject(with: listed.stdoutData) as? [[String: Any]]).compactMap { $0["id"] as? String }
        XCTAssertEqual(ids.count, 13)
        XCTAssertTrue(ids.contains("social-insurance-2") && ids.contains("budget-three-public"))

        let read = try TestSupport.run(copy.path, ["read", sample.path], environment: ["ANNEX_TEMPLATES": ""],
                                       currentDirectory: URL(fileURLWithPath: "/"))
        XCTAssertEqual(read.status, 0, read.stderr)
        XCTAssertTrue(read.lines.first?.hasPrefix("template,period,unit,indicator,measure,value,status") ?? false)
        XCTAssertTrue(read.lines.contains { $0.hasPrefix("social-insurance-2,2023-07,") })

        // A folder in ANNEX_TEMPLATES replaces a built-in layout with the same id.
        let mine = directory.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        var layout = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: CLI.packageRoot.appendingPathComponent("templates/social-insurance-2.json"))) as? [String: Any])
        layout["name"] = "社会保险二（本局修订）"
        try JSONSerialization.data(withJSONObject: layout).write(to: mine.appendingPathComponent("social-insurance-2.json"))
        let replaced = try TestSupport.run(copy.path, ["templates"], environment: ["ANNEX_TEMPLATES": mine.path],
                                           currentDirectory: URL(fileURLWithPath: "/"))
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertTrue(replaced.stdout.contains("社会保险二（本局修订）"), replaced.stdout)
        XCTAssertEqual(replaced.lines.count, 13)
    }

    func testVersion() throws {
        let result = try CLI.run(["--version"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertNotNil(result.stdout.wholeMatch(of: /\d+\.\d+\.\d+\n/), result.stdout)
    }
}
