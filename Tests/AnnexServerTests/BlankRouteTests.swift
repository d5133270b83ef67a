import AnnexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest

/// `GET /api/templates/{id}/blank`: the blank return of `annex write --blank`, answered as .xlsx.
final class BlankRouteTests: XCTestCase {
    func testBlankReturnIsTheXLSXOfWriteBlank() async throws {
        let directory = try TestSupport.temporaryDirectory()
        let downloaded = directory.appendingPathComponent("blank.xlsx")
        let config = try ServerTest.config()
        try await ServerTest.withServer(config) { client in
            let uri = "/api/templates/social-insurance-2/blank?period=2023-08&unit=%E5%8D%97%E6%98%8C%E5%8E%BF"
            try await client.execute(uri: uri, method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                XCTAssertTrue(response.headers[.contentDisposition]?.contains("filename*=UTF-8''2023-08-") == true)
                try Data(buffer: response.body).write(to: downloaded)
            }
            try await client.execute(uri: "/api/templates/social-insurance-2/blank?period=2023-13", method: .get) { response in
                XCTAssertEqual(response.status, .badRequest)
                XCTAssertTrue((response.object["error"] as? String ?? "").contains("统计期"))
            }
            try await client.execute(uri: "/api/templates/social-insurance-2/blank?period=2023-08&unit=%E5%8D%97%E6%98%8C%E5%B8%82", method: .get) { response in
                XCTAssertEqual(response.status, .badRequest)
                XCTAssertTrue((response.object["error"] as? String ?? "").contains("南昌市"))
            }
            try await client.execute(uri: "/api/templates/no-such-layout/blank?period=2023-08", method: .get) { response in
                XCTAssertEqual(response.status, .notFound)
            }
            try await client.execute(uri: "/api/templates/social-insurance-2/layout", method: .get) { response in
                XCTAssertEqual((response.object["units"] as? [String])?.first, "全市")
            }
        }
        try TestSupport.assertValidOOXML(downloaded.path)
        let read = try TestSupport.run(ServerTest.annex.path, ["read", downloaded.path])
        XCTAssertEqual(read.status, 0, read.stderr)
        let rows = read.lines.dropFirst()
        XCTAssertEqual(rows.count, 13)  // 南昌县's 13 columns, all empty
        XCTAssertTrue(rows.allSatisfy { $0.hasPrefix("social-insurance-2,2023-08,南昌县,") && $0.hasSuffix(",,empty") }, "\(rows)")
        // Nothing is left behind in the server's temporary folder.
        let left = try FileManager.default.subpathsOfDirectory(atPath: config.temporaryDirectory).filter { $0.contains("blank-") }
        XCTAssertEqual(left, [])
    }
}
