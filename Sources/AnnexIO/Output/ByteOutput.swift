#if canImport(Glibc)
import Glibc
#endif

/// Somewhere bytes go: standard output or an `AtomicOutput` file. Buffered by the caller.
public protocol ByteOutput: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension ByteOutput {
    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }
    public func write(_ text: String) throws { try write(Array(text.utf8)) }
}

extension AtomicOutput: ByteOutput {}

/// Standard output with a 64 KiB buffer; a closed pipe (`annex dump x | head`) is an error, not a crash.
public final class StandardOutput: ByteOutput {
    private var buffer: [UInt8] = []

    public init() { buffer.reserveCapacity(1 << 16) }

    deinit { try? flush() }

    /// Blocks of 64 KiB or more (what the streaming writers hand over) go out without a copy.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.count >= 1 << 16 {
            try flush()
            try writeOut(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func flush() throws {
        defer { buffer.removeAll(keepingCapacity: true) }
        try buffer.withUnsafeBytes { try writeOut($0) }
    }

    private func writeOut(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(1, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw AnnexError(file: "标准输出", reason: "写入失败（\(String(cString: strerror(errno)))）")
            }
            offset += written
        }
    }
}
