import AnnexServer
import AnnexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest

final class AccessTests: XCTestCase {
    func testWithoutTokenTheAPIIsOpenAndSessionSaysSo() async throws {
        try await ServerTest.withServer(try ServerTest.config()) { client in
            try await client.execute(uri: "/api/session", method: .get) { response in
                XCTAssertTrue(jsonEqual(response.json, ["tokenRequired": false, "authenticated": true]))
            }
            try await client.execute(uri: "/api/templates", method: .get) { XCTAssertEqual($0.status, .ok) }
        }
    }

    func testTokenIsNeededAsBearerOrCookieFromLogin() async throws {
        let config = try ServerTest.config { $0.token = "s3cret 口令" }
        try await ServerTest.withServer(config) { client in
            try await client.execute(uri: "/api/session", method: .get) { response in
                XCTAssertTrue(jsonEqual(response.json, ["tokenRequired": true, "authenticated": false]))
            }
            try await client.execute(uri: "/api/templates", method: .get) { response in
                XCTAssertEqual(response.status, .unauthorized)
                XCTAssertNotNil(response.object["error"] as? String)
            }
            try await client.execute(uri: "/api/templates", method: .get, headers: [.authorization: "Bearer wrong"]) {
                XCTAssertEqual($0.status, .unauthorized)
            }
            try await client.execute(uri: "/api/templates", method: .get, headers: [.authorization: "Bearer s3cret 口令"]) {
                XCTAssertEqual($0.status, .ok)
            }
            // The page itself needs no token: it asks for it.
            try await client.execute(uri: "/", method: .get) { XCTAssertEqual($0.status, .ok) }

            try await client.execute(uri: "/api/login", method: .post, body: ByteBuffer(string: #"{"token":"nope"}"#)) {
                XCTAssertEqual($0.status, .unauthorized)
            }
            let cookie = try await client.execute(uri: "/api/login", method: .post,
                                                  body: ByteBuffer(string: #"{"token":"s3cret 口令"}"#)) { response in
                XCTAssertEqual(response.status, .noContent)
                return response.headers[.setCookie] ?? ""
            }
            XCTAssertTrue(cookie.hasPrefix("annex_token="), cookie)
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
                XCTAssertTrue(cookie.contains(attribute), cookie)
            }
            let pair = String(cookie.split(separator: ";")[0])
            try await client.execute(uri: "/api/templates", method: .get, headers: [.cookie: pair]) {
                XCTAssertEqual($0.status, .ok)
            }
            try await client.execute(uri: "/api/session", method: .get, headers: [.cookie: pair]) { response in
                XCTAssertTrue(jsonEqual(response.json, ["tokenRequired": true, "authenticated": true]))
            }
        }
    }

    func testPostFromAnotherSiteIsRefused() async throws {
        try await ServerTest.withServer(try ServerTest.config()) { client in
            let form = try FormBody.files([ServerTest.annexes[0]])
            try await client.execute(uri: "/api/check", method: .post,
                                     headers: form.headers([.origin: "https://evil.example"]), body: form.buffer) { response in
                XCTAssertEqual(response.status, .forbidden)
                XCTAssertTrue((response.object["error"] as? String ?? "").contains("evil.example"))
            }
            // The page's own origin (the test client sends Host: localhost) and no Origin at all (curl) are fine.
            try await client.execute(uri: "/api/check", method: .post,
                                     headers: form.headers([.origin: "http://localhost"]), body: form.buffer) {
                XCTAssertEqual($0.status, .ok)
            }
            try await client.execute(uri: "/api/check", method: .post, headers: form.headers(), body: form.buffer) {
                XCTAssertEqual($0.status, .ok)
            }
        }
    }

    func testBindingBeyondLoopbackWithoutTokenIsRefusedAtStart() throws {
        let result = try TestSupport.run(ServerTest.annex.path, ["serve", "--host", "0.0.0.0", "--port", "0"],
                                         environment: ["ANNEX_TOKEN": ""])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("口令"), result.stderr)
        XCTAssertTrue(result.stderr.contains("--token"), result.stderr)
    }

    func testConfigNeedsTokenOnlyBeyondLoopback() {
        var config = ServerConfig()
        config.host = "192.168.1.10"
        XCTAssertThrowsError(try config.validate())
        config.token = "t"
        XCTAssertNoThrow(try config.validate())
        config.host = "127.0.0.1"
        config.token = nil
        XCTAssertNoThrow(try config.validate())
    }
}
