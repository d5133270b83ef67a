import Foundation
import XCTest
import AnnexTestSupport
@testable import AnnexCore

/// Returns as districts send them — clean, messy (extra rows, moved tables, full-width digits,
/// percentages three ways, dash variants, aliases, numbers as text), single-district, and exported
/// to CSV by Excel and LibreOffice — made by Tests/Fixtures/make_returns.py with the exact
/// observations each must give.
final class DistrictReturnTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryReturnReadsToItsExpectedObservations() throws {
        let directory = try TestSupport.temporaryDirectory("annex-returns")
        try TestSupport.python(["Tests/Fixtures/make_returns.py", directory.path])

        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("returns.json"))) as? [String: Any])
        let returns = try XCTUnwrap(manifest["returns"] as? [[String: Any]])
        XCTAssertGreaterThan(returns.count, 15)
        let library = try TemplateLibrary.load(directories: [Self.root.appendingPathComponent("templates").path])
        for entry in returns {
            let file = directory.appendingPathComponent(entry["file"] as? String ?? "").path
            let name = "\(entry["file"] ?? "") (\(entry["proves"] ?? ""))"
            let arguments = entry["args"] as? [String] ?? []
            let period = arguments.firstIndex(of: "--period").map { arguments[$0 + 1] }
            let reader = AnnexReader(library: library, options: .init(period: period))
            guard entry["recognisable"] as? Bool ?? true, let expectedPath = entry["expected"] as? String else {
                XCTAssertThrowsError(try reader.read(file: file), name) { error in
                    XCTAssertTrue("\(error)".contains("最接近") || "\(error)".contains("没有一个模板"), "\(name): \(error)")
                }
                continue
            }
            do {
                // Recognised without being told the layout.
                let readings = try reader.read(file: file)
                XCTAssertEqual(readings.map(\.template.id), [entry["template"] as? String ?? ""], name)
                let expected = try CanonicalFiles.read(path: directory.appendingPathComponent(expectedPath).path)
                let actual = readings.flatMap(\.observations)
                XCTAssertEqual(actual.count, expected.count, "\(name): count")
                for (a, e) in zip(actual, expected) where describe(a) != describe(e) {
                    XCTFail("\(name): expected \(describe(e)), got \(describe(a)) at \(a.extra["cell"] ?? "")")
                    break
                }
            } catch {
                XCTFail("\(name): \(error)")
            }
        }
    }

    private func describe(_ o: Observation) -> String {
        let extras = ["unit_name", "department", "department_name"].map { o.extra[$0] ?? "" }.joined(separator: "|")
        return [o.template, o.period, o.unit, o.indicator, o.measure, o.value, o.status.rawValue, extras].joined(separator: ",")
    }
}
