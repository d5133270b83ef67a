#if canImport(Glibc)
import Glibc
#endif

/// Reads sectors and follows sector chains of a compound file, checking every sector number it meets:
/// inside the file, inside the FAT, and visited once (a chain that loops is an error, not a hang).
struct SectorReader {
    let fd: Int32
    let fileSize: Int
    let sectorSize: Int
    let path: String

    /// Sector `s` starts after the header, which takes one sector's room (MS-CFB 2.2).
    func offset(of sector: UInt32) -> Int { (Int(sector) + 1) * sectorSize }

    private func corrupt(_ what: String, _ reason: String) -> AnnexError {
        AnnexError(file: path, location: what, reason: reason + "，文件已损坏或被截断")
    }

    /// One whole sector. A last sector cut short by the end of the file is padded with zeros, as
    /// some writers leave it; a sector starting past the end is an error.
    func readSector(_ sector: UInt32, what: String) throws -> [UInt8] {
        let start = offset(of: sector)
        guard sector < CompoundFile.firstMarker, start < fileSize else {
            throw corrupt(what, "扇区编号 \(sector) 指向文件之外")
        }
        var bytes = [UInt8](repeating: 0, count: sectorSize)
        let want = min(sectorSize, fileSize - start)
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(start)) }
        guard got == want else { throw corrupt(what, "读取扇区 \(sector) 失败") }
        return bytes
    }

    /// The FAT: its sector numbers come from the header's 109 DIFAT entries, then from the chain of
    /// DIFAT sectors, each ending with the number of the next (MS-CFB 2.5).
    func readFAT(_ header: CompoundFile.Header) throws -> [UInt32] {
        let maximumSectors = fileSize / sectorSize + 1
        guard header.fatSectorCount <= maximumSectors, header.difatSectorCount <= maximumSectors else {
            throw corrupt("FAT", "文件头声明的 FAT 扇区数 \(header.fatSectorCount) 超出文件大小")
        }
        var fatSectors = Array(header.headerDIFAT.prefix(header.fatSectorCount))
        var next = header.firstDIFATSector
        var visited = Set<UInt32>()
        let perSector = sectorSize / 4 - 1
        while fatSectors.count < header.fatSectorCount {
            guard visited.count < header.difatSectorCount, visited.insert(next).inserted else {
                throw corrupt("DIFAT", "DIFAT 扇区链循环或比声明的短")
            }
            let words = CompoundFile.words(try readSector(next, what: "DIFAT"))
            fatSectors += words.prefix(min(perSector, header.fatSectorCount - fatSectors.count))
            next = words[perSector]
        }
        var fat: [UInt32] = []
        fat.reserveCapacity(fatSectors.count * sectorSize / 4)
        for sector in fatSectors {
            fat += CompoundFile.words(try readSector(sector, what: "FAT"))
        }
        return fat
    }

    /// The sector numbers of a stream that needs `sectorsNeeded` sectors, from `first` through the FAT.
    func chain(from first: UInt32, fat: [UInt32], sectorsNeeded: Int, what: String) throws -> [UInt32] {
        var chain: [UInt32] = []
        chain.reserveCapacity(sectorsNeeded)
        var visited = SectorSet(count: fat.count)
        var sector = first
        while chain.count < sectorsNeeded {
            if sector == CompoundFile.endOfChain {
                throw corrupt(what, "扇区链比流的长度短（\(chain.count) 个扇区，需要 \(sectorsNeeded) 个）")
            }
            guard sector < fat.count, offset(of: sector) < fileSize else {
                throw corrupt(what, "扇区链指向文件之外（扇区 \(sector)）")
            }
            guard visited.insert(sector) else { throw corrupt(what, "扇区链出现循环（扇区 \(sector)）") }
            chain.append(sector)
            sector = fat[Int(sector)]
        }
        return chain
    }

    /// The bytes of a chain up to its end, or up to `byteLimit` bytes (directory, mini FAT, mini stream).
    func readChain(from first: UInt32, fat: [UInt32], byteLimit: Int, what: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var visited = SectorSet(count: fat.count)
        var sector = first
        while sector != CompoundFile.endOfChain, bytes.count < byteLimit {
            guard sector < fat.count else { throw corrupt(what, "扇区链指向文件之外（扇区 \(sector)）") }
            guard visited.insert(sector) else { throw corrupt(what, "扇区链出现循环（扇区 \(sector)）") }
            bytes += try readSector(sector, what: what)
            sector = fat[Int(sector)]
        }
        return bytes
    }
}

/// Which sectors a chain has passed, one bit per FAT entry.
struct SectorSet {
    private var words: [UInt64]

    init(count: Int) { words = [UInt64](repeating: 0, count: count / 64 + 1) }

    /// False when `sector` was already in the set.
    mutating func insert(_ sector: UInt32) -> Bool {
        let index = Int(sector) / 64
        let bit = UInt64(1) << (UInt64(sector) % 64)
        if words[index] & bit != 0 { return false }
        words[index] |= bit
        return true
    }
}
