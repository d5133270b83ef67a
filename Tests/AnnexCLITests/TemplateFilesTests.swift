import Foundation
import XCTest
import AnnexTestSupport

/// The template files are data that users edit: the checkers verify each against its seed
/// (header coverage, column counts, formats printing every seed figure as printed, registry units).
final class TemplateFilesTests: XCTestCase {
    func testTemplatesMatchTheirSeedTables() throws {
        let templates = CLI.packageRoot.appendingPathComponent("templates").path
        for script in ["check_templates.py", "check_budget_templates.py"] {
            let result = try TestSupport.run("python3", ["Tests/Fixtures/\(script)", templates])
            XCTAssertEqual(result.status, 0, "\(script):\n\(result.stdout.suffix(3000))\(result.stderr.suffix(2000))")
        }
    }

    func testEveryBuiltInTemplateIdHasAFile() throws {
        // The ids of SPEC.md's table of built-in templates.
        let ids = ["employment-training-1", "employment-training-2", "social-insurance-1", "social-insurance-2",
                   "employment-targets", "budget-expenditure", "budget-general-expenditure", "budget-basic-expenditure",
                   "budget-three-public", "budget-fund-expenditure", "budget-capital-expenditure",
                   "project-performance", "department-performance"]
        for id in ids {
            let url = CLI.packageRoot.appendingPathComponent("templates/\(id).json")
            let data = try Data(contentsOf: url)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], id)
            XCTAssertEqual(json["id"] as? String, id)
        }
    }
}
