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

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                buffer.removeAll()
                throw AnnexError(file: "标准输出", reason: "写入失败（\(String(cString: strerror(errno)))）")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
