import Foundation
import XCTest
import AnnexTestSupport

/// The legacy .xls fixtures (LibreOffice, xlwt, hand-written BIFF and broken compound files), generated
/// once per test run by Tests/Fixtures/make_xls_fixtures.py into a temporary directory.
enum XLSFixtures {
    // Computed once, read-only afterwards; XCTest runs the tests of one process serially.
    nonisolated(unsafe) private static let generated: Result<(URL, [Fixtures.Entry]), Error> = Result {
        let directory = try TestSupport.temporaryDirectory("annex-xls-fixtures")
        let script = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/make_xls_fixtures.py").path
        let result = try TestSupport.run("python3", [script, directory.path])
        guard result.status == 0 else {
            throw NSError(domain: "XLSFixtures", code: Int(result.status), userInfo: [
                NSLocalizedDescriptionKey: "make_xls_fixtures.py failed:\n\(result.stdout)\n\(result.stderr)"])
        }
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let entries = (manifest?["fixtures"] as? [[String: Any]] ?? []).map { item in
            Fixtures.Entry(name: item["name"] as? String ?? "?",
                           file: directory.appendingPathComponent(item["file"] as? String ?? ""),
                           kind: item["kind"] as? String ?? "", maker: item["maker"] as? String ?? "",
                           proves: item["proves"] as? String ?? "", raw: item)
        }
        return (directory, entries)
    }

    static var directory: URL { get throws { try generated.get().0 } }

    static func of(kind: String) throws -> [Fixtures.Entry] {
        let entries = try generated.get().1.filter { $0.kind == kind }
        XCTAssertFalse(entries.isEmpty, "no xls fixtures of kind \(kind)")
        return entries
    }

    static func named(_ name: String) throws -> Fixtures.Entry {
        try XCTUnwrap(try generated.get().1.first { $0.name == name }, "no xls fixture \(name)")
    }
}
