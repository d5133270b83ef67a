#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry point for the legacy .xls reader. The first input byte picks what the rest is:
/// even, a whole file (the compound file is fuzzed too); odd, a `Workbook` stream, which is wrapped
/// here in a valid compound file so that mutations reach the BIFF records instead of breaking the
/// container. The file is opened with `XLSReader` and every sheet read to the end. Errors are
/// expected outcomes; a crash, a sanitizer report, a hang or a memory blow-up is a bug.
/// Built by Fuzz/run.sh together with the AnnexIO sources, in one module.
private let inputPath = "/dev/shm/annex-fuzz-\(getpid()).xls"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let file = data[0] & 1 == 0 ? body : compoundFile(workbook: body)
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return 0 }
    _ = file.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    do {
        let reader = try XLSReader(path: inputPath)
        for index in reader.sheetNames.indices {
            try reader.readRows(at: index) { row in
                for position in 0..<row.count { _ = row[position].text.count }
            }
        }
    } catch {
    }
    return 0
}

/// A version-3 compound file (MS-CFB) whose only stream is `Workbook`, padded to 4096 bytes so that
/// it lives in regular sectors: header, stream sectors, one directory sector, then the FAT.
private func compoundFile(workbook: [UInt8]) -> [UInt8] {
    var stream = workbook
    if stream.count < 4096 { stream += [UInt8](repeating: 0, count: 4096 - stream.count) }
    let streamSectors = (stream.count + 511) / 512
    stream += [UInt8](repeating: 0, count: streamSectors * 512 - stream.count)
    let directorySector = streamSectors
    var fatSectors = 1
    while fatSectors * 128 < streamSectors + 1 + fatSectors { fatSectors += 1 }
    var fat: [UInt32] = (0..<streamSectors).map { $0 + 1 == streamSectors ? 0xFFFF_FFFE : UInt32($0 + 1) }
    fat.append(0xFFFF_FFFE)                                        // the directory
    fat += [UInt32](repeating: 0xFFFF_FFFD, count: fatSectors)     // the FAT itself
    fat += [UInt32](repeating: 0xFFFF_FFFF, count: fatSectors * 128 - fat.count)

    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * $0) & 0xFF) } }
    func entry(_ name: String, type: UInt8, child: UInt32, start: UInt32, size: Int) -> [UInt8] {
        var units = Array(name.utf16).flatMap { le16(Int($0)) }
        units += [UInt8](repeating: 0, count: 64 - units.count)
        return units + le16(name.utf16.count * 2 + 2) + [type, 1] + le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF) + le32(child)
            + [UInt8](repeating: 0, count: 36) + le32(start) + le32(UInt32(size)) + le32(0)
    }
    var header: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 16)
    header += le16(0x3E) + le16(3) + le16(0xFFFE) + le16(9) + le16(6) + [UInt8](repeating: 0, count: 10)
    header += le32(UInt32(fatSectors)) + le32(UInt32(directorySector)) + le32(0) + le32(4096)
    header += le32(0xFFFF_FFFE) + le32(0) + le32(0xFFFF_FFFE) + le32(0)
    header += (0..<109).flatMap { le32($0 < fatSectors ? UInt32(directorySector + 1 + $0) : 0xFFFF_FFFF) }
    var directory = entry("Root Entry", type: 5, child: 1, start: 0xFFFF_FFFE, size: 0)
        + entry("Workbook", type: 2, child: 0xFFFF_FFFF, start: 0, size: workbook.count < 4096 ? 4096 : workbook.count)
    directory += [UInt8](repeating: 0, count: 512 - directory.count)
    return header + stream + directory + fat.flatMap(le32)
}
