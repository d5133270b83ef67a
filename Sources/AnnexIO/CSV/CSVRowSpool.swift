import Glibc

/// The rows of one sheet as escaped CSV records, kept until the sheet has been read to its end.
///
/// Why: the CSV layout of a sheet (`GridConversion.writeCSV`) drops cells under merged ranges and pads
/// every record to the sheet's width, but .xlsx and .xls store the merged ranges after the cells, and
/// the width is known only at the end. Keeping the records lets a sheet be read once; reading it again
/// cost as much as the first read (the read is most of the time). Each record is escaped as it
/// arrives (empty fields for the columns without a cell; the first of two cells at one column wins),
/// so replaying a row no merge touches is one copy.
///
/// Memory stays bounded: past `spillThreshold` the records go to an unlinked temporary file (in
/// `$TMPDIR`, else `/tmp`), which disappears with the process whatever happens.
///
/// A record: row index, field count and byte length (three `Int32`), then the fields joined by the
/// delimiter, without the line end.
final class CSVRowSpool {
    static let spillThreshold = 4 << 20
    private let escaper: CSVFieldEscaper
    private let threshold: Int
    @exclusivity(unchecked) private var buffer = ByteScratch(capacity: 1 << 16)
    private var file: Int32 = -1
    /// The length of each spilled segment, in order (each holds whole records).
    private var segments: [Int] = []
    /// Where the last record starts in `buffer` (it is never spilled), or -1 before the first.
    private var lastRecordOffset = -1
    /// The rightmost column of the rows so far, the rows that reach it, and the last row: what decides
    /// whether cells under merged ranges could change the sheet's extent (`GridConversion.writeCSV`).
    @exclusivity(unchecked) private(set) var lastColumn = -1
    @exclusivity(unchecked) private(set) var rowsAtLastColumn: [Int32] = []
    @exclusivity(unchecked) private(set) var lastRowIndex = -1

    /// - Parameter spillThreshold: bytes kept in memory before they go to the temporary file.
    init(escaper: CSVFieldEscaper, spillThreshold: Int = CSVRowSpool.spillThreshold) {
        self.escaper = escaper
        threshold = spillThreshold
    }

    deinit {
        buffer.deallocate()
        if file >= 0 { close(file) }
    }

    /// A row with at least one cell.
    func append(_ row: RowView) throws {
        if buffer.count >= threshold { try spill() }
        // A local copy of the buffer (a pointer and two counts) for the row: no access to the class's
        // storage per cell.
        var out = buffer
        defer { buffer = out }
        let header = out.count
        lastRecordOffset = header
        _ = out.reserve(12)
        out.count += 12
        let column = escaper.appendFields(of: row, to: &out)
        let rowIndex = row[0].reference.row
        let record = UnsafeMutableRawPointer(out.base + header)
        record.storeBytes(of: Int32(truncatingIfNeeded: rowIndex), as: Int32.self)
        record.storeBytes(of: Int32(truncatingIfNeeded: column), toByteOffset: 4, as: Int32.self)
        record.storeBytes(of: Int32(truncatingIfNeeded: out.count - header - 12), toByteOffset: 8, as: Int32.self)
        lastRowIndex = rowIndex
        if column - 1 > lastColumn {
            lastColumn = column - 1
            rowsAtLastColumn.removeAll(keepingCapacity: true)
        }
        if column - 1 == lastColumn { rowsAtLastColumn.append(Int32(truncatingIfNeeded: rowIndex)) }
    }

    /// The last record appended, or nil when there is none.
    var lastRow: SpooledRow? {
        lastRecordOffset < 0 ? nil : SpooledRow(base: UnsafePointer(buffer.base + lastRecordOffset))
    }

    /// Every record in the order appended; `body` may be called again later (replays are repeatable).
    func forEachRow(_ body: (SpooledRow) throws -> Void) throws {
        var offset: off_t = 0
        if !segments.isEmpty {
            var segment = ByteScratch(capacity: segments.max()!)
            defer { segment.deallocate() }
            for length in segments {
                segment.count = 0
                let room = segment.reserve(length)
                try readFully(into: room, length, at: offset)
                segment.count = length
                try replay(segment.bytes, body)
                offset += off_t(length)
            }
        }
        try replay(buffer.bytes, body)
    }

    private func replay(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (SpooledRow) throws -> Void) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let row = SpooledRow(base: base + offset)
            try body(row)
            offset += row.byteCount
        }
    }

    private func spill() throws {
        if file < 0 { file = try CSVRowSpool.temporaryFile() }
        var written = 0
        while written < buffer.count {
            let n = write(file, buffer.base + written, buffer.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVRowSpool.failure(errno)
            }
            written += n
        }
        segments.append(buffer.count)
        buffer.count = 0
        lastRecordOffset = -1
    }

    private func readFully(into room: UnsafeMutablePointer<UInt8>, _ length: Int, at offset: off_t) throws {
        var done = 0
        while done < length {
            let n = pread(file, room + done, length - done, offset + off_t(done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw CSVRowSpool.failure(n < 0 ? errno : EIO) }
            done += n
        }
    }

    private static func temporaryFile() throws -> Int32 {
        let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/annex-spool-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw failure(errno) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return descriptor
    }

    private static func failure(_ code: Int32) -> AnnexError {
        AnnexError(file: "临时文件", reason: "大表格转 CSV 时写临时文件失败（\(AtomicOutput.describe(code))），请检查 TMPDIR 所在磁盘的空间")
    }
}

/// One record of a `CSVRowSpool`, read in place.
struct SpooledRow {
    private let base: UnsafePointer<UInt8>

    init(base: UnsafePointer<UInt8>) { self.base = base }

    var row: Int { Int(load(0)) }
    /// The last field's column + 1.
    var fieldCount: Int { Int(load(4)) }
    /// The escaped fields joined by the delimiter.
    var record: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base + 12, count: Int(load(8))) }
    var byteCount: Int { 12 + Int(load(8)) }

    /// Each field's bytes, in column order (a quoted field is one field whatever it holds).
    func forEachField(delimiter: UInt8, _ body: (_ column: Int, _ field: UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let bytes = record
        var column = 0
        var start = 0
        var quoted = false
        for index in 0...bytes.count {
            if index < bytes.count {
                let byte = bytes[index]
                if byte == Byte.quote { quoted.toggle() }
                if quoted || byte != delimiter { continue }
            }
            try body(column, UnsafeBufferPointer(rebasing: bytes[start..<index]))
            column += 1
            start = index + 1
        }
    }

    @inline(__always)
    private func load(_ offset: Int) -> Int32 {
        UnsafeRawPointer(base).loadUnaligned(fromByteOffset: offset, as: Int32.self)
    }
}
