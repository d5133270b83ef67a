import Foundation
import XCTest
import AnnexTestSupport

/// The fixtures made by other programs (openpyxl, XlsxWriter, LibreOffice, hand-made zips), generated
/// once per test run by Tests/Fixtures/make_fixtures.py into a temporary directory.
enum Fixtures {
    struct Entry {
        var name: String
        var file: URL
        var kind: String
        var maker: String
        var proves: String
        var raw: [String: Any]
    }

    // Computed once, read-only afterwards; XCTest runs the tests of one process serially.
    nonisolated(unsafe) private static let generated: Result<(URL, [Entry]), Error> = Result {
        let directory = try TestSupport.temporaryDirectory("annex-fixtures")
        let script = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/make_fixtures.py").path
        let result = try TestSupport.run("python3", [script, directory.path])
        guard result.status == 0 else {
            throw NSError(domain: "Fixtures", code: Int(result.status), userInfo: [
                NSLocalizedDescriptionKey: "make_fixtures.py failed:\n\(result.stdout)\n\(result.stderr)"])
        }
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let entries = (manifest?["fixtures"] as? [[String: Any]] ?? []).map { item in
            Entry(name: item["name"] as? String ?? "?",
                  file: directory.appendingPathComponent(item["file"] as? String ?? ""),
                  kind: item["kind"] as? String ?? "", maker: item["maker"] as? String ?? "",
                  proves: item["proves"] as? String ?? "", raw: item)
        }
        return (directory, entries)
    }

    static func all() throws -> [Entry] { try generated.get().1 }

    static func of(kind: String) throws -> [Entry] {
        let entries = try all().filter { $0.kind == kind }
        XCTAssertFalse(entries.isEmpty, "no fixtures of kind \(kind)")
        return entries
    }
}
