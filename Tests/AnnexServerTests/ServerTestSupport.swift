import AnnexServer
import AnnexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest

/// The server in process, its jobs run by the `annex` binary that `swift test` built.
enum ServerTest {
    static let annex: URL = Bundle.main.bundleURL.appendingPathComponent("annex")
    static let root = TestSupport.packageRoot

    static func config(_ adjust: (inout ServerConfig) -> Void = { _ in }) throws -> ServerConfig {
        var config = ServerConfig()
        config.executable = annex.path
        config.temporaryDirectory = try TestSupport.temporaryDirectory("annex-serve-test").path
        config.port = 0
        adjust(&config)
        return config
    }

    /// Runs `test` against a fresh server.
    static func withServer<Value>(_ config: ServerConfig,
                                  _ test: @Sendable @escaping (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = try WorkbenchServer.application(config)
        return try await app.test(.router, test)
    }

    static func sample(_ path: String) -> URL { root.appendingPathComponent("samples/" + path) }

    static var annexes: [URL] {
        ["就业培训一", "就业培训二", "社会保险一", "社会保险二"].map { sample("annexes/2023-07-\($0).xlsx") }
    }

    static func returns(_ table: String) throws -> [URL] {
        let folder = sample("returns/2023-07")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.contains(table) }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// A shell script standing in for `annex`: the first job it runs writes its pid to `folder/pid`
    /// and sleeps (`exec`, so the pid is the sleeping process); later jobs run the real binary.
    static func slowFirstJob(in folder: URL, sleep seconds: Int, thenRun: Bool) throws -> String {
        let script = folder.appendingPathComponent("slow-annex.sh")
        let first = thenRun
            ? "echo $$ > '\(folder.path)/pid'; sleep \(seconds)"
            : "echo $$ > '\(folder.path)/pid'; exec sleep \(seconds)"
        try """
        #!/bin/sh
        if mkdir '\(folder.path)/first' 2>/dev/null; then \(first); fi
        exec '\(annex.path)' "$@"
        """.write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        return script.path
    }
}

/// A multipart/form-data body as a browser sends it.
struct FormBody {
    let boundary = "----annex-test-\(UUID().uuidString)"
    private var bytes: [UInt8] = []

    mutating func file(_ url: URL, as name: String? = nil, field: String = "files") throws {
        try file(Array(Data(contentsOf: url)), name: name ?? url.lastPathComponent, field: field)
    }

    mutating func file(_ content: [UInt8], name: String, field: String = "files") {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(name)\"\r\n".utf8)
        bytes += Array("Content-Type: application/octet-stream\r\n\r\n".utf8)
        bytes += content + Array("\r\n".utf8)
    }

    mutating func field(_ name: String, _ value: String) {
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }

    var buffer: ByteBuffer { ByteBuffer(bytes: bytes + Array("--\(boundary)--\r\n".utf8)) }

    func headers(stream: Bool = false, _ extra: HTTPFields = [:]) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        if stream { headers[.accept] = "application/x-ndjson" }
        headers.append(contentsOf: extra)
        return headers
    }

    static func files(_ urls: [URL], fields: [(String, String)] = []) throws -> FormBody {
        var form = FormBody()
        for url in urls { try form.file(url) }
        for (name, value) in fields { form.field(name, value) }
        return form
    }
}

extension TestResponse {
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(buffer: body)) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var text: String { String(buffer: body) }
    /// The NDJSON events of a streamed answer.
    var events: [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

/// JSON compared as values, whatever the key order or spacing.
func jsonEqual(_ a: Any?, _ b: Any?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return NSDictionary(dictionary: ["v": a]).isEqual(to: ["v": b])
}
