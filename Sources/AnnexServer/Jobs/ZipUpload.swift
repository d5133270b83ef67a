import AnnexIO
import Foundation

/// Unpacks an uploaded `.zip` with AnnexIO's reader under the CLI's zip-bomb limits; member names
/// are cleaned component by component (no `..`, no absolute paths), so nothing lands outside `folder`.
enum ZipUpload {
    static func unpack(_ path: String, into folder: String, displayName: String) throws {
        let reader: ZipReader
        do {
            reader = try ZipReader(path: path, limits: ZipLimits())
        } catch {
            throw ApiError.badInput("\(displayName)：不是可用的 zip 压缩包（\(error)）")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        var names = UploadNames()
        for entry in reader.entries where !entry.isDirectory {
            guard let components = UploadNames.relativePath(entry.name) else { continue }
            let relative = names.claim(components.joined(separator: "/"))
            let target = folder + "/" + relative
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard FileManager.default.createFile(atPath: target, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let handle = FileHandle(forWritingAtPath: target) else {
                throw ApiError(.internalServerError, "无法解压 \(displayName) 中的 \(relative)")
            }
            defer { try? handle.close() }
            do {
                try reader.stream(entry) { bytes in handle.write(Data(bytes)) }
            } catch {
                throw ApiError.badInput("\(displayName)：解压 \(entry.name) 失败（\(error)）")
            }
        }
    }
}
