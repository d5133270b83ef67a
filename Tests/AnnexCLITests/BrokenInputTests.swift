import Foundation
import XCTest
import AnnexTestSupport

/// Every broken file of the fixture set (empty, random bytes, truncated, bad CRC, encrypted, an .ods
/// renamed, a lock file, a missing part, an external entity, entity expansion, a zip bomb, malformed
/// XML) gets exit 2 and one message naming the file — no crash, no hang, nothing on standard output.
final class BrokenInputTests: XCTestCase {
    func testEveryBrokenFileExitsTwoWithAMessage() throws {
        let directory = try CLI.temporaryDirectory()
        try TestSupport.python(["Tests/Fixtures/make_fixtures.py", directory.path])
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("manifest.json"))) as? [String: Any])
        let broken = (manifest["fixtures"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "broken" }
        XCTAssertGreaterThanOrEqual(broken.count, 12)
        for fixture in broken {
            let path = directory.appendingPathComponent(fixture["file"] as? String ?? "").path
            for command in [["dump", path], ["read", path], ["convert", path, "-o", directory.appendingPathComponent("out.csv").path]] {
                let result = try CLI.run(command)
                let name = "\(fixture["name"] ?? "") \(command[0])"
                XCTAssertEqual(result.status, 2, "\(name): \(result.stderr)")
                XCTAssertTrue(result.stderr.hasPrefix("annex: \(path)"), "\(name): \(result.stderr)")
                XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "\(name): one line: \(result.stderr)")
                XCTAssertTrue(result.stdout.isEmpty, name)
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.csv").path))
    }
}
