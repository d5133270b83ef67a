#if canImport(Glibc)
import Glibc
#endif

/// An OLE2 compound file (MS-CFB): the container of a BIFF `.xls`, and of an encrypted OOXML
/// workbook. Written by hand: Debian has no library that reads `.xls` with merged cells, and
/// libgsf would only give the container.
///
/// Opening reads the header, the DIFAT, the FAT, the mini FAT and the directory; a stream is then
/// read through its sector chain with `pread` (`CompoundStream`), never loaded whole unless it is a
/// small stream living in the mini stream. Every index read from the file is checked: a chain that
/// loops, points past the end of the file or is longer than its stream is an error, never a hang.
final class CompoundFile {
    let path: String
    let fileSize: Int
    let sectorSize: Int
    let entries: [DirectoryEntry]
    /// The sector chains of the file: `fat[s]` is the sector after `s`.
    private let fat: [UInt32]
    private let miniFAT: [UInt32]
    private let miniStreamCutoff: Int
    private let fd: Int32
    /// The root entry's stream, which holds the small streams in 64-byte mini sectors; read on first use.
    private var miniStream: [UInt8]?

    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    static let endOfChain: UInt32 = 0xFFFF_FFFE
    /// Sector numbers from here on are markers (MS-CFB 2.1: DIFSECT, FATSECT, ENDOFCHAIN, FREESECT).
    static let firstMarker: UInt32 = 0xFFFF_FFFA
    static let miniSectorSize = 64

    init(path: String) throws {
        self.path = path
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw AnnexError(file: path, reason: "无法打开文件（\(String(cString: strerror(errno)))）")
        }
        do {
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw AnnexError(file: path, reason: "无法读取文件信息") }
            fileSize = Int(info.st_size)
            let header = try Self.readHeader(fd: fd, path: path)
            sectorSize = header.sectorSize
            miniStreamCutoff = header.miniStreamCutoff
            let reader = SectorReader(fd: fd, fileSize: fileSize, sectorSize: sectorSize, path: path)
            fat = try reader.readFAT(header)
            let directoryBytes = try reader.readChain(from: header.firstDirectorySector, fat: fat,
                                                      byteLimit: fileSize, what: "目录")
            entries = try DirectoryEntry.parse(directoryBytes, version: header.majorVersion, path: path)
            if header.firstMiniFATSector < Self.firstMarker {
                let bytes = try reader.readChain(from: header.firstMiniFATSector, fat: fat,
                                                 byteLimit: header.miniFATSectorCount * sectorSize, what: "迷你 FAT")
                miniFAT = Self.words(bytes)
            } else {
                miniFAT = []
            }
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    /// The stream named `name` among the root storage's children (not inside embedded objects'
    /// storages, which hold workbooks of their own), compared ignoring case as MS-CFB 2.6.4 does.
    func rootStream(named name: String) -> DirectoryEntry? {
        guard let root = entries.first, root.type == .root else { return nil }
        let wanted = name.uppercased()
        var found: DirectoryEntry?
        // The children form a red-black tree (MS-CFB 2.6.4); any order finds the name. `visited`
        // stops a tree whose links form a cycle.
        var visited = Set<UInt32>()
        var pending = [root.child]
        while let id = pending.popLast() {
            guard id < entries.count, visited.insert(id).inserted else { continue }
            let entry = entries[Int(id)]
            if entry.type == .stream, entry.name.uppercased() == wanted { found = entry }
            pending.append(entry.left)
            pending.append(entry.right)
        }
        return found
    }

    /// A reader over a stream's bytes.
    func open(_ entry: DirectoryEntry) throws -> CompoundStream {
        let size = entry.size
        guard size <= fileSize else {
            throw AnnexError(file: path, location: "流“\(entry.name)”",
                             reason: "流的长度 \(size) 字节超过了文件本身（\(fileSize) 字节），文件已损坏或被截断")
        }
        if size < miniStreamCutoff {
            return .memory(try miniStreamBytes(of: entry))
        }
        let reader = SectorReader(fd: fd, fileSize: fileSize, sectorSize: sectorSize, path: path)
        let chain = try reader.chain(from: entry.startSector, fat: fat, sectorsNeeded: (size + sectorSize - 1) / sectorSize,
                                     what: "流“\(entry.name)”")
        return CompoundStream(fd: fd, size: size, chain: chain, sectorSize: sectorSize, fileSize: fileSize, path: path)
    }

    /// A small stream's bytes, gathered from 64-byte sectors of the mini stream through the mini FAT.
    private func miniStreamBytes(of entry: DirectoryEntry) throws -> [UInt8] {
        if entry.size == 0 { return [] }
        if miniStream == nil {
            let root = entries[0]
            let reader = SectorReader(fd: fd, fileSize: fileSize, sectorSize: sectorSize, path: path)
            miniStream = try reader.readChain(from: root.startSector, fat: fat,
                                              byteLimit: min(root.size, miniFAT.count * Self.miniSectorSize), what: "迷你流")
        }
        let container = miniStream ?? []
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entry.size)
        var sector = entry.startSector
        var visited = Set<UInt32>()
        while bytes.count < entry.size {
            let start = Int(sector) * Self.miniSectorSize
            let take = min(Self.miniSectorSize, entry.size - bytes.count)
            guard sector < miniFAT.count, visited.insert(sector).inserted, start + take <= container.count else {
                throw AnnexError(file: path, location: "流“\(entry.name)”",
                                 reason: "迷你扇区链断裂、循环或指向文件之外（扇区 \(sector)），文件已损坏")
            }
            bytes += container[start..<(start + take)]
            sector = miniFAT[Int(sector)]
        }
        return bytes
    }

    static func words(_ bytes: [UInt8]) -> [UInt32] {
        stride(from: 0, to: bytes.count - 3, by: 4).map { UInt32(littleEndianBytes: bytes, at: $0) }
    }

    struct Header {
        var majorVersion: Int
        var sectorSize: Int
        var fatSectorCount: Int
        var firstDirectorySector: UInt32
        var miniStreamCutoff: Int
        var firstMiniFATSector: UInt32
        var miniFATSectorCount: Int
        var firstDIFATSector: UInt32
        var difatSectorCount: Int
        /// The first 109 FAT sector numbers, kept in the header itself.
        var headerDIFAT: [UInt32]
    }

    /// MS-CFB 2.2: the 512-byte header at the start of the file.
    private static func readHeader(fd: Int32, path: String) throws -> Header {
        var bytes = [UInt8](repeating: 0, count: 512)
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 512, 0) }
        guard got == 512, bytes.starts(with: signature) else {
            throw AnnexError(file: path, reason: "复合文档（OLE2）的文件头不完整，文件已被截断或损坏")
        }
        let major = Int(UInt16(littleEndianBytes: bytes, at: 26))
        let shift = Int(UInt16(littleEndianBytes: bytes, at: 30))
        // Version 3 uses 512-byte sectors, version 4 4096-byte ones (MS-CFB 2.2); nothing else exists.
        guard (major == 3 && shift == 9) || (major == 4 && shift == 12) else {
            throw AnnexError(file: path, reason: "复合文档的版本 \(major) 或扇区大小 2^\(shift) 无效，文件已损坏")
        }
        let word = { (offset: Int) in UInt32(littleEndianBytes: bytes, at: offset) }
        return Header(
            majorVersion: major,
            sectorSize: 1 << shift,
            fatSectorCount: Int(word(44)),
            firstDirectorySector: word(48),
            miniStreamCutoff: Int(word(56)),
            firstMiniFATSector: word(60),
            miniFATSectorCount: Int(word(64)),
            firstDIFATSector: word(68),
            difatSectorCount: Int(word(72)),
            headerDIFAT: (0..<109).map { word(76 + 4 * $0) })
    }
}

/// One 128-byte directory entry (MS-CFB 2.6).
struct DirectoryEntry {
    enum Kind: UInt8 { case unused = 0, storage = 1, stream = 2, root = 5 }
    static let noStream: UInt32 = 0xFFFF_FFFF

    var name: String
    var type: Kind
    var left: UInt32
    var right: UInt32
    var child: UInt32
    var startSector: UInt32
    var size: Int

    static func parse(_ bytes: [UInt8], version: Int, path: String) throws -> [DirectoryEntry] {
        var entries: [DirectoryEntry] = []
        var offset = 0
        while offset + 128 <= bytes.count {
            let nameLength = min(Int(UInt16(littleEndianBytes: bytes, at: offset + 64)), 64)
            let units = stride(from: 0, to: max(nameLength - 2, 0), by: 2).map { UInt16(littleEndianBytes: bytes, at: offset + $0) }
            let low = UInt64(UInt32(littleEndianBytes: bytes, at: offset + 120))
            let high = UInt64(UInt32(littleEndianBytes: bytes, at: offset + 124))
            // Version 3 files may leave garbage in the size's high half (MS-CFB 2.6.3): ignore it there.
            let size = version == 3 ? low : (high << 32 | low)
            entries.append(DirectoryEntry(
                name: String(decoding: units, as: UTF16.self),
                type: Kind(rawValue: bytes[offset + 66]) ?? .unused,
                left: UInt32(littleEndianBytes: bytes, at: offset + 68),
                right: UInt32(littleEndianBytes: bytes, at: offset + 72),
                child: UInt32(littleEndianBytes: bytes, at: offset + 76),
                startSector: UInt32(littleEndianBytes: bytes, at: offset + 116),
                size: size > UInt64(Int.max / 2) ? Int.max / 2 : Int(size)))
            offset += 128
        }
        guard entries.first?.type == .root else {
            throw AnnexError(file: path, reason: "复合文档的目录中没有根条目，文件已损坏")
        }
        return entries
    }
}

extension UInt16 {
    init(littleEndianBytes bytes: [UInt8], at offset: Int) {
        self = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }
}

extension UInt32 {
    init(littleEndianBytes bytes: [UInt8], at offset: Int) {
        self = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
