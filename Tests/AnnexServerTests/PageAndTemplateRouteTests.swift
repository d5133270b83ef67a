import AnnexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest

final class PageAndTemplateRouteTests: XCTestCase {
    func testPageScriptAndStyleAreServedWithStrictPolicy() async throws {
        try await ServerTest.withServer(try ServerTest.config()) { client in
            for (path, type) in [("/", "text/html; charset=utf-8"), ("/workbench.css", "text/css; charset=utf-8"),
                                 ("/workbench.js", "text/javascript; charset=utf-8")] {
                try await client.execute(uri: path, method: .get) { response in
                    XCTAssertEqual(response.status, .ok, path)
                    XCTAssertEqual(response.headers[.contentType], type)
                    XCTAssertEqual(response.headers[.cacheControl], "no-cache")
                    let policy = response.headers[.contentSecurityPolicy] ?? ""
                    XCTAssertTrue(policy.hasPrefix("default-src 'self'"), policy)
                    XCTAssertFalse(policy.contains("unsafe-inline"), policy)
                    XCTAssertFalse(response.body.readableBytes == 0, path)
                }
            }
        }
    }

    func testTemplatesAreWhatTheCLIPrints() async throws {
        let cli = try TestSupport.run(ServerTest.annex.path, ["templates", "--json"])
        XCTAssertEqual(cli.status, 0)
        let expected = cli.stdoutData
        try await ServerTest.withServer(try ServerTest.config()) { client in
            try await client.execute(uri: "/api/templates", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "application/json; charset=utf-8")
                XCTAssertEqual(Data(buffer: response.body), expected)
            }
        }
    }

    func testLayoutGivesTheTitleLinesAndTheMergedHeader() async throws {
        try await ServerTest.withServer(try ServerTest.config()) { client in
            try await client.execute(uri: "/api/templates/social-insurance-2/layout", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                let layout = response.object
                XCTAssertEqual(layout["id"] as? String, "social-insurance-2")
                let cells = layout["cells"] as? [[String: String]] ?? []
                let rows = layout["rows"] as? Int ?? 0
                let columns = layout["columns"] as? Int ?? 0
                XCTAssertEqual(cells.first?["ref"], "A1")
                XCTAssertTrue(cells.first?["value"]?.contains("社会保险") == true, "\(cells.first ?? [:])")
                // The title is dated this month, not left as “年月”.
                XCTAssertNotNil(cells.first?["value"]?.firstMatch(of: /20\d\d年\d{1,2}月/), "\(cells.first ?? [:])")
                XCTAssertTrue((layout["merged"] as? [String] ?? []).contains("A1:\(Self.column(columns - 1))1"))
                // Header rows only: no unit row (全市 is the first data row).
                XCTAssertFalse(cells.contains { $0["value"] == "全市" })
                XCTAssertGreaterThan(rows, 3)
                XCTAssertTrue(cells.allSatisfy { Int($0["ref"]!.drop(while: \.isLetter))! <= rows })
            }
            try await client.execute(uri: "/api/templates/no-such-layout/layout", method: .get) { response in
                XCTAssertEqual(response.status, .notFound)
                XCTAssertTrue((response.object["error"] as? String ?? "").contains("no-such-layout"))
            }
        }
    }

    func testUnknownAddressIsJSON404() async throws {
        try await ServerTest.withServer(try ServerTest.config()) { client in
            try await client.execute(uri: "/api/nothing-here", method: .get) { response in
                XCTAssertEqual(response.status, .notFound)
                XCTAssertNotNil(response.object["error"] as? String)
            }
            try await client.execute(uri: "/api/results/0123456789abcdef0123456789abcdef/附件.xlsx", method: .get) { response in
                XCTAssertEqual(response.status, .notFound)
            }
        }
    }

    private static func column(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }
}
