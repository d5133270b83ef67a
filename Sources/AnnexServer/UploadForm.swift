import Foundation
import Hummingbird
import MultipartKit

/// A multipart/form-data upload received into a job's `in/` folder: file parts go straight to
/// disk as they arrive (memory stays bounded whatever the upload's size), the few text fields
/// (`template`, `period`, `prefer`) are kept.
///
/// The parsing is vapor/multipart-kit's `MultipartParser` (4.7.1, from the mirror): a maintained
/// RFC 7578 parser that takes the body chunk by chunk, which is what streaming to disk needs.
/// Its `FormDataDecoder` is not used: it wants the whole body in memory.
struct UploadForm {
    struct File {
        /// The name the browser sent, as the user knows it.
        var displayName: String
        /// Where it was stored, relative to `in/`.
        var storedName: String
    }

    var files: [File] = []
    var fields: [String: [String]] = [:]

    func field(_ name: String) -> String? {
        fields[name]?.last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Reads the request body into `folder`'s `in/`. Throws 413 past `maxBytes`, 400 for a body
    /// that is not a form.
    static func receive(_ request: Request, into folder: JobFolder, maxBytes: Int) async throws -> UploadForm {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw ApiError.tooLarge(limit: maxBytes)
        }
        guard let contentType = request.headers[.contentType],
              contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundary = HeaderParameters(contentType)["boundary"], !boundary.isEmpty else {
            throw ApiError.badInput("请求应为 multipart/form-data 表单（files 为上传的文件）")
        }
        let receiver = PartReceiver(folder: folder)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in receiver.header(name, value) }
        parser.onBody = { buffer in receiver.body(&buffer) }
        parser.onPartComplete = { receiver.partComplete() }

        var received = 0
        do {
            for try await chunk in request.body {
                received += chunk.readableBytes
                if received > maxBytes { throw ApiError.tooLarge(limit: maxBytes) }
                try parser.execute(chunk)
                if let failure = receiver.failure { throw failure }
            }
        } catch let error as ApiError {
            receiver.close()
            throw error
        } catch {
            receiver.close()
            throw ApiError.badInput("上传的表单无法解析（\(error)）")
        }
        receiver.close()
        if let failure = receiver.failure { throw failure }
        return receiver.form
    }
}

/// The parser's callbacks: one part at a time, its headers first, then its body in pieces.
private final class PartReceiver {
    let folder: JobFolder
    var form = UploadForm()
    var names = UploadNames()
    var failure: ApiError?

    private var disposition: HeaderParameters?
    private var output: FileHandle?
    private var text: [UInt8] = []
    private static let maxFieldBytes = 64 << 10

    init(folder: JobFolder) { self.folder = folder }

    func header(_ name: String, _ value: String) {
        if name.lowercased() == "content-disposition" { disposition = HeaderParameters(value) }
    }

    func body(_ buffer: inout ByteBuffer) {
        guard failure == nil else { return }
        if disposition?.fileName != nil {
            guard let output = output ?? openFile() else { return }
            output.write(Data(buffer.readableBytesView))
        } else {
            text += buffer.readableBytesView
            if text.count > Self.maxFieldBytes { failure = .badInput("表单字段太长") }
        }
    }

    func partComplete() {
        if disposition?.fileName != nil {
            if output == nil { _ = openFile() }
            close()
        } else if let name = disposition?["name"], failure == nil {
            form.fields[name, default: []].append(String(decoding: text, as: UTF8.self))
        }
        disposition = nil
        text = []
    }

    func close() {
        try? output?.close()
        output = nil
    }

    private func openFile() -> FileHandle? {
        let displayName = disposition?.fileName ?? ""
        let stored = names.claim(UploadNames.baseName(displayName))
        let path = folder.input + "/" + stored
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            failure = ApiError(.internalServerError, "无法保存上传的文件 \(displayName)")
            return nil
        }
        form.files.append(.init(displayName: displayName, storedName: stored))
        output = handle
        return handle
    }
}

/// `form-data; name="files"; filename="a.xlsx"` and `multipart/form-data; boundary=…`: the
/// parameters after the first `;`, quotes removed. `filename*=UTF-8''…` (RFC 5987) wins over `filename`.
struct HeaderParameters {
    private var values: [String: String] = [:]

    init(_ header: String) {
        var parts: [String] = []
        var current = ""
        var quoted = false
        // No backslash escapes: browsers percent-encode quotes in file names (WHATWG HTML), and a
        // Windows path's backslashes must survive to be recognised as separators.
        for character in header {
            if character == "\"" { quoted.toggle(); continue }
            if character == ";" && !quoted { parts.append(current); current = ""; continue }
            current.append(character)
        }
        parts.append(current)
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let key = part[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            values[key] = part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
    }

    subscript(key: String) -> String? { values[key] }

    var fileName: String? {
        if let extended = values["filename*"], let quote = extended.range(of: "''"),
           let decoded = extended[quote.upperBound...].removingPercentEncoding {
            return decoded
        }
        return values["filename"]
    }
}
