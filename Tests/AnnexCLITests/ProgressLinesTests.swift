import Foundation
import XCTest
import AnnexTestSupport

/// `ANNEX_PROGRESS=json` (what `annex serve` sets for its job processes): one `{"done":d,"total":t}`
/// line per file on stderr instead of the terminal bar; without it a pipe gets no progress at all.
final class ProgressLinesTests: XCTestCase {
    private let files = ["就业培训一", "社会保险二"].map { "samples/annexes/2023-07-\($0).xlsx" }

    func testCheckWritesProgressLinesWhenAsked() throws {
        let result = try TestSupport.run(CLI.binary.path, ["check", "--format", "json"] + files,
                                         environment: ["ANNEX_PROGRESS": "json"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("{\"done\":") }
        XCTAssertEqual(lines, [#"{"done":0,"total":2}"#, #"{"done":1,"total":2}"#, #"{"done":2,"total":2}"#])
    }

    /// Merge tells each return read, so the workbench shows the month's files going by.
    func testMergeWritesProgressLinesWhenAsked() throws {
        let out = try CLI.temporaryDirectory().appendingPathComponent("附件4.xlsx")
        let result = try TestSupport.run(CLI.binary.path, ["merge", "samples/returns/2023-07", "--template", "social-insurance-2",
                                                          "-o", out.path], environment: ["ANNEX_PROGRESS": "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("{\"done\":") }
        XCTAssertEqual(lines.first, #"{"done":0,"total":27}"#)
        XCTAssertEqual(lines.last, #"{"done":27,"total":27}"#)
        XCTAssertEqual(lines.count, 28)
    }

    func testCheckInAPipeShowsNoProgress() throws {
        let result = try TestSupport.run(CLI.binary.path, ["check", "--format", "json"] + files)
        XCTAssertFalse(result.stderr.contains("done"), result.stderr)
        XCTAssertFalse(result.stderr.contains("个文件"), result.stderr)
    }
}
