#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry point for every reader behind `Spreadsheet.open`. The first input byte picks what
/// the rest is: 0 a whole .xlsx file (zip, relationships, workbook, every part); 1 a worksheet part,
/// 2 a shared strings part, 3 a styles part — each wrapped here in an otherwise valid workbook, so
/// that mutations reach the `<sheetData>` scanner (and its libxml2 fallback), the shared-string
/// table and the number formats instead of breaking the zip; 4 a CSV file (encoding and delimiter
/// sniffing, the threaded parser, the extent scan checked against the parser); 5 a whole .xls (the compound file and its property sets too); 6 a
/// BIFF `Workbook` stream, wrapped here in a valid compound file so that mutations reach the BIFF
/// records and the formula tokens; 7 any file, opened by content as a user's file is (HTML tables,
/// SpreadsheetML 2003 and the rest).
/// Every sheet is read to the end, through row views and through `Cell`s.
/// Errors are expected outcomes; a crash, a sanitizer report, a hang or a memory blow-up is a bug.
/// Built by Fuzz/run.sh together with the AnnexIO sources, in one module.
private let inputPath = "/dev/shm/annex-fuzz-\(getpid())"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReaders(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let mode = data[0] % 8
    let file: [UInt8]
    switch mode {
    case 1: file = workbook(sheet: body)
    case 2: file = workbook(sharedStrings: body)
    case 3: file = workbook(styles: body)
    case 6: file = compoundFile(workbook: body)
    default: file = body
    }
    let path = inputPath + [".xlsx", ".xlsx", ".xlsx", ".xlsx", ".csv", ".xls", ".xls", ".xls"][Int(mode)]
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return 0 }
    _ = file.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    do {
        let source: SheetSource = switch mode {
        case 4: try CSVSheetSource(path: path)
        case 5, 6: try XLSReader(path: path)
        case 7: try Spreadsheet.open(path: path)
        default: try XLSXReader(path: path)
        }
        _ = source.documentProperties.count
        for index in source.sheetNames.indices {
            try source.readRows(at: index) { row in
                for position in 0..<row.count { _ = row[position].text.count + row[position].formula.count }
                checkQuoteFree(row)
            }
            _ = try source.sheet(at: index)
        }
        if mode == 4 { try checkExtentScan(source) }
    } catch {
    }
    return 0
}

/// A row marked quote-free (the CSV writer then copies its fields without looking for bytes to quote)
/// must hold no delimiter, quote, CR or LF.
private func checkQuoteFree(_ row: RowView) {
    guard let delimiter = row.quoteFreeDelimiter else { return }
    for position in 0..<row.count {
        precondition(!row[position].text.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A },
                     "quote-free row holds a byte to quote at \(row[position].reference)")
    }
}

/// The CSV extent scan, which reads raw bytes, must find the extent the parser gives (a difference would
/// pad `dump --format csv` wrongly): a crash for the fuzzer to report.
private func checkExtentScan(_ source: SheetSource) throws {
    guard let scan = source.extentScan(sheet: 0), let scanned = try scan() else { return }
    final class Seen { var extent = SheetExtent(lastRow: -1, lastColumn: -1) }
    let seen = Seen()
    try source.readRows(at: 0) { row in
        guard row.count > 0 else { return }
        seen.extent.lastRow = row[0].reference.row
        seen.extent.lastColumn = max(seen.extent.lastColumn, row[row.count - 1].reference.column)
    }
    precondition(seen.extent == scanned, "CSV extent scan \(scanned) differs from the read \(seen.extent)")
}

private let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
private let validSheet = Array("""
    <worksheet xmlns="\(main)"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>45138</v></c></row></sheetData></worksheet>
    """.utf8)
private let validStrings = Array("<sst xmlns=\"\(main)\"><si><t>东湖区</t></si></sst>".utf8)
private let validStyles = Array("""
    <styleSheet xmlns="\(main)"><numFmts count="1"><numFmt numFmtId="164" formatCode="[h]:mm:ss"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>
    """.utf8)

/// A one-sheet workbook with the given parts (the valid ones where not given), stored uncompressed.
private func workbook(sheet: [UInt8] = validSheet, sharedStrings: [UInt8] = validStrings, styles: [UInt8] = validStyles) -> [UInt8] {
    var bytes: [UInt8] = []
    let zip = ZipWriter(level: 0) { bytes.append(contentsOf: $0) }
    let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    let parts: [(String, [UInt8])] = [
        ("[Content_Types].xml", Array("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>".utf8)),
        ("_rels/.rels", Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(relationships)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".utf8)),
        ("xl/workbook.xml", Array("<workbook xmlns=\"\(main)\" xmlns:r=\"\(relationships)\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".utf8)),
        ("xl/_rels/workbook.xml.rels", Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(relationships)/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"\(relationships)/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"\(relationships)/styles\" Target=\"styles.xml\"/></Relationships>".utf8)),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", sharedStrings),
        ("xl/styles.xml", styles),
    ]
    do {
        for (name, content) in parts { try zip.addEntry(name, content) }
        try zip.finish()
    } catch {
        return []
    }
    return bytes
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
