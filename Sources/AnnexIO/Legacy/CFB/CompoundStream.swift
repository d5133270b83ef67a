#if canImport(Glibc)
import Glibc
#endif

/// One stream of a compound file, read forwards (and re-positioned with `seek`) through a window of
/// up to 64 KiB that is filled with one `pread` per run of consecutive sectors. A small stream from
/// the mini stream is held in memory whole.
final class CompoundStream {
    let size: Int
    private let fd: Int32
    private let chain: [UInt32]
    private let sectorSize: Int
    private let fileSize: Int
    private let path: String
    /// Stream bytes `windowStart ..< windowStart + window.count`.
    private var window: [UInt8]
    private var windowStart = 0
    private(set) var position = 0

    private static let windowSize = 1 << 16

    init(fd: Int32, size: Int, chain: [UInt32], sectorSize: Int, fileSize: Int, path: String) {
        self.fd = fd
        self.size = size
        self.chain = chain
        self.sectorSize = sectorSize
        self.fileSize = fileSize
        self.path = path
        window = []
    }

    private init(bytes: [UInt8]) {
        fd = -1
        size = bytes.count
        chain = []
        sectorSize = 1
        fileSize = bytes.count
        path = ""
        window = bytes
    }

    static func memory(_ bytes: [UInt8]) -> CompoundStream { CompoundStream(bytes: bytes) }

    func seek(to offset: Int) { position = min(max(offset, 0), size) }

    /// Copies `count` bytes at the current position into `target` and moves past them; false (and
    /// nothing moved) when the stream ends first.
    func read(_ count: Int, into target: UnsafeMutablePointer<UInt8>) throws -> Bool {
        guard count <= size - position else { return false }
        var done = 0
        while done < count {
            if position < windowStart || position >= windowStart + window.count { try fill() }
            let available = windowStart + window.count - position
            let take = min(available, count - done)
            window.withUnsafeBufferPointer { source in
                (target + done).update(from: source.baseAddress! + (position - windowStart), count: take)
            }
            done += take
            position += take
        }
        return true
    }

    /// Loads the window at `position`: its sector and the physically consecutive ones after it.
    private func fill() throws {
        let first = position / sectorSize
        guard first < chain.count else {
            throw AnnexError(file: path, reason: "流在 \(position) 字节处中断，文件已损坏或被截断")
        }
        var last = first
        while last + 1 < chain.count, (last + 1 - first) * sectorSize < Self.windowSize, chain[last + 1] == chain[last] + 1 {
            last += 1
        }
        let start = (Int(chain[first]) + 1) * sectorSize
        let want = min((last - first + 1) * sectorSize, size - first * sectorSize)
        guard start + want <= fileSize else {
            throw AnnexError(file: path, reason: "文件在第 \(first) 个扇区处被截断，流的内容不完整")
        }
        window = [UInt8](repeating: 0, count: want)
        let got = window.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(start)) }
        guard got == want else {
            throw AnnexError(file: path, reason: "读取文件失败或文件已被截断（\(String(cString: strerror(errno)))）")
        }
        windowStart = first * sectorSize
    }
}
