import Glibc

/// An output file that appears whole or not at all.
///
/// Bytes go to a temporary file created beside the destination (`.annex-XXXXXX`, via `mkstemp`, so
/// the final `rename(2)` stays inside one file system). `commit()` flushes, `fsync`s and renames it
/// into place; `abandon()` — or an error, or dropping the object without committing — removes the
/// temporary file, and an existing file at the destination is left untouched. Readers of the
/// destination therefore never see a partial file.
///
/// Writes are collected in an internal buffer (128 KiB) and handed to `write(2)` in large blocks, so
/// callers may write small pieces. `write` has the shape of `ZipWriter.Sink`:
/// `ZipWriter(sink: output.write)`.
///
/// Not thread-safe: one writer at a time.
public final class AtomicOutput {
    /// The destination as given.
    public let path: String
    /// Where the file will be renamed to: `path`, or the file a symbolic link at `path` points to.
    private let destination: String
    private var temporaryPath: String?
    private var fd: Int32
    private let buffer: UnsafeMutableRawPointer
    private let capacity: Int
    private var count = 0
    private var finished = false

    /// Creates the temporary file beside `path`.
    /// - Parameter inputs: files that are read to produce this output; if `path` is one of them
    ///   (same device and inode, whatever the spelling or links), creation fails and nothing is touched.
    public init(path: String, refusingToOverwrite inputs: [String] = [], bufferSize: Int = 128 * 1024) throws {
        self.path = path
        try AtomicOutput.refuseOverwriting(output: path, inputs: inputs)
        destination = AtomicOutput.resolvedDestination(path)
        let directory = AtomicOutput.directoryName(destination)
        var template = Array((directory == "/" ? "/" : directory + "/").utf8CString.dropLast())
        template.append(contentsOf: Array(".annex-XXXXXX".utf8CString))
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            let code = errno
            throw AnnexError(file: path, reason: "无法在目录“\(directory)”中创建临时文件（\(AtomicOutput.describe(code))）")
        }
        fd = descriptor
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // mkstemp creates the file 0600; give it the mode a new file would get (or the replaced file's).
        var existing = stat()
        let mode: mode_t = stat(destination, &existing) == 0 && (existing.st_mode & S_IFMT) == S_IFREG
            ? existing.st_mode & 0o7777
            : 0o666 & ~AtomicOutput.processUmask
        _ = fchmod(fd, mode)
        capacity = max(4096, bufferSize)
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        if !finished { abandon() }
        buffer.deallocate()
    }

    /// Appends bytes. Throws (and abandons the file) when the disk refuses them.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else {
            throw AnnexError(file: path, reason: "输出文件已经关闭，不能继续写入")
        }
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if bytes.count <= capacity - count {
            (buffer + count).copyMemory(from: source, byteCount: bytes.count)
            count += bytes.count
            return
        }
        try flush()
        if bytes.count >= capacity {
            try writeFully(source, bytes.count)
        } else {
            buffer.copyMemory(from: source, byteCount: bytes.count)
            count = bytes.count
        }
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Appends the UTF-8 bytes of a string.
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Flushes, syncs and renames the temporary file into place. After an error nothing is left behind.
    public func commit() throws {
        guard !finished else {
            throw AnnexError(file: path, reason: "输出文件已经关闭，不能再次提交")
        }
        try flush()
        if fsync(fd) != 0 {
            let code = errno
            if code != EINVAL && code != EROFS {  // e.g. a FIFO-like file system that cannot sync
                abandon()
                throw AnnexError(file: path, reason: "写入磁盘失败（\(AtomicOutput.describe(code))）")
            }
        }
        let closed = close(fd)
        let closeError = errno
        fd = -1
        guard closed == 0 else {
            abandon()
            throw AnnexError(file: path, reason: "写入失败（\(AtomicOutput.describe(closeError))）")
        }
        guard let temporaryPath else { return }
        if rename(temporaryPath, destination) != 0 {
            let code = errno
            abandon()
            let reason = code == EISDIR
                ? "输出路径是一个目录"
                : "无法把临时文件改名为输出文件（\(AtomicOutput.describe(code))）"
            throw AnnexError(file: path, reason: reason)
        }
        self.temporaryPath = nil
        finished = true
    }

    /// Closes and removes the temporary file; an existing destination file is left as it was.
    /// Safe to call more than once, and after a failed `commit()`.
    public func abandon() {
        if fd >= 0 {
            _ = close(fd)
            fd = -1
        }
        if let temporaryPath {
            _ = unlink(temporaryPath)
            self.temporaryPath = nil
        }
        count = 0
        finished = true
    }

    /// Throws when `output` already exists and is the same file as one of `inputs` (compared by device
    /// and inode, so `./a.csv`, `a.csv` and a hard or symbolic link to it all count as the same file).
    public static func refuseOverwriting(output: String, inputs: [String]) throws {
        var target = stat()
        guard stat(output, &target) == 0 else { return }  // nothing there yet: nothing to overwrite
        for input in inputs {
            var source = stat()
            if stat(input, &source) == 0, source.st_dev == target.st_dev, source.st_ino == target.st_ino {
                throw AnnexError(file: output, reason: "输出文件与输入文件“\(input)”是同一个文件，拒绝覆盖；请换一个输出路径")
            }
        }
    }

    /// Instance form of `refuseOverwriting(output:inputs:)` for this output's path.
    public func refuseOverwriting(inputs: [String]) throws {
        try AtomicOutput.refuseOverwriting(output: path, inputs: inputs)
    }

    // MARK: - Internals

    private func flush() throws {
        guard count > 0 else { return }
        let pending = count
        count = 0
        try writeFully(buffer, pending)
    }

    private func writeFully(_ start: UnsafeRawPointer, _ length: Int) throws {
        var offset = 0
        while offset < length {
            let written = Glibc.write(fd, start + offset, length - offset)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                abandon()
                throw AnnexError(file: path, reason: code == ENOSPC
                    ? "磁盘空间不足，输出没有写完（已删除未完成的临时文件）"
                    : "写入失败（\(describe(code))）")
            }
            offset += written
        }
    }

    private func describe(_ code: Int32) -> String { AtomicOutput.describe(code) }

    static func describe(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "目录不存在"
        case EACCES, EPERM: return "没有写入权限"
        case ENOSPC: return "磁盘空间不足"
        case EROFS: return "文件系统是只读的"
        case EISDIR: return "是一个目录"
        case ENOTDIR: return "路径中有一部分不是目录"
        case EXDEV: return "不在同一个文件系统"
        default:
            if let message = strerror(code) { return String(cString: message) }
            return "错误 \(code)"
        }
    }

    /// The directory part of a path, `.` when there is none.
    static func directoryName(_ path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == 0 { return "/" }
        var end = slash
        while end > 1, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// Follows a symbolic link at `path` so that renaming replaces the file it points to, not the link.
    private static func resolvedDestination(_ path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK,
              let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The process's umask, read from /proc without changing it (calling umask(2) twice would race
    /// with other threads creating files).
    static let processUmask: mode_t = {
        let fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0o022 }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return 0o022 }
        let text = String(decoding: bytes[..<n], as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("Umask:") {
            let digits = line.dropFirst("Umask:".count).filter { $0 != "\t" && $0 != " " }
            if let value = UInt32(digits, radix: 8) { return mode_t(value) }
        }
        return 0o022
    }()
}
