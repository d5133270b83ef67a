#if canImport(Glibc)
import Glibc
#endif

/// Reads a file front to back in fixed-size chunks, for the readers that stream text "xls" files
/// (HTML tables, SpreadsheetML 2003) through libxml2 without holding the file.
enum FileChunks {
    static let chunkSize = 1 << 16

    /// Calls `body` with each chunk (never empty) in order.
    static func forEach(path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw AnnexError(file: path, reason: "无法打开文件（\(String(cString: strerror(errno)))）")
        }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, chunkSize)
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw AnnexError(file: path, reason: code == EISDIR ? "这是一个目录，不是表格文件" : "读取失败（\(String(cString: strerror(code)))）")
            }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }
}
