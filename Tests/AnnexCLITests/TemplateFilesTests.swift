import Foundation
import XCTest

/// The template files are data that users edit: the checkers verify each against its seed
/// (header coverage, column counts, formats printing every seed figure as printed, registry units).
final class TemplateFilesTests: XCTestCase {
    func testTemplatesMatchTheirSeedTables() throws {
        let templates = CLI.packageRoot.appendingPathComponent("templates").path
        for script in ["check_templates.py", "check_budget_templates.py"] {
            let path = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/\(script)").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", path, templates]
            process.currentDirectoryURL = CLI.packageRoot
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "\(script):\n\(text.suffix(3000))")
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
