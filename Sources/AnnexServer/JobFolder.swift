import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The server's own temporary folder: every job folder lives inside it, so removing it at
/// shutdown removes everything the server wrote.
final class Workspace: Sendable {
    let path: String

    init(parent: String) throws {
        path = try Self.makeTemporaryFolder(in: parent, prefix: "annex-serve-")
    }

    func makeJobFolder() throws -> JobFolder {
        try JobFolder(path: Self.makeTemporaryFolder(in: path, prefix: "job-"))
    }

    func removeAll() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `mkdtemp`: a new folder with mode 0700 and an unpredictable name.
    static func makeTemporaryFolder(in parent: String, prefix: String) throws -> String {
        var template = Array((parent.hasSuffix("/") ? parent : parent + "/") .utf8CString.dropLast())
        template += Array((prefix + "XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ApiError(.internalServerError, "无法创建临时目录（\(String(cString: strerror(errno)))）")
        }
        return String(cString: made)
    }
}

/// One job's folder: `in/` holds the uploads under their safe names, `out/` what the job writes.
struct JobFolder: Sendable {
    let path: String
    var input: String { path + "/in" }
    var output: String { path + "/out" }

    init(path: String) throws {
        self.path = path
        for folder in [path + "/in", path + "/out"] {
            guard mkdir(folder, 0o700) == 0 else {
                throw ApiError(.internalServerError, "无法创建临时目录（\(String(cString: strerror(errno)))）")
            }
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
