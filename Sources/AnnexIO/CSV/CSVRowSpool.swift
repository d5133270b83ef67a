import Glibc

/// The rows of one sheet as escaped CSV fields, kept until the sheet has been read to its end.
///
/// Why: the CSV layout of a sheet (`GridConversion.writeCSV`) drops cells under merged ranges and pads
/// every record to the sheet's width, but .xlsx and .xls store the merged ranges after the cells, and
/// the width is known only at the end. Keeping the fields lets a sheet be read once; reading it again
/// cost as much as the first read (the read is most of the time). Each field is escaped as it arrives,
/// so replaying is copying.
///
/// Memory stays bounded: past `spillThreshold` the records go to an unlinked temporary file (in
/// `$TMPDIR`, else `/tmp`), which disappears with the process whatever happens.
///
/// A record: row index and cell count (two `Int32`), then per cell its column and field length (two
/// `Int32`) and the field's bytes.
final class CSVRowSpool {
    static let spillThreshold = 4 << 20
    private let escaper: CSVFieldEscaper
    private let threshold: Int
    @exclusivity(unchecked) private var buffer = ByteScratch(capacity: 1 << 16)
    private var file: Int32 = -1
    /// The length of each spilled segment, in order (each holds whole records).
    private var segments: [Int] = []

    /// - Parameter spillThreshold: bytes kept in memory before they go to the temporary file.
    init(escaper: CSVFieldEscaper, spillThreshold: Int = CSVRowSpool.spillThreshold) {
        self.escaper = escaper
        threshold = spillThreshold
    }

    deinit {
        buffer.deallocate()
        if file >= 0 { close(file) }
    }

    func append(_ row: RowView) throws {
        let header = buffer.count
        _ = buffer.reserve(8)
        buffer.count += 8
        store(Int32(truncatingIfNeeded: row.count > 0 ? row[0].reference.row : 0), at: header)
        store(Int32(truncatingIfNeeded: row.count), at: header + 4)
        for position in 0..<row.count {
            let cell = row[position]
            let start = buffer.count
            _ = buffer.reserve(8)
            buffer.count += 8
            escaper.append(cell, to: &buffer)
            store(Int32(truncatingIfNeeded: cell.reference.column), at: start)
            store(Int32(truncatingIfNeeded: buffer.count - start - 8), at: start + 4)
        }
        if buffer.count >= threshold { try spill() }
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

    @inline(__always)
    private func store(_ value: Int32, at offset: Int) {
        UnsafeMutableRawPointer(buffer.base + offset).storeBytes(of: value, as: Int32.self)
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
    var count: Int { Int(load(4)) }

    /// The cells, in the order the reader gave them: column and escaped field bytes.
    @inline(__always)
    func forEachCell(_ body: (_ column: Int, _ field: UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var offset = 8
        for _ in 0..<count {
            let length = Int(load(offset + 4))
            try body(Int(load(offset)), UnsafeBufferPointer(start: base + offset + 8, count: length))
            offset += 8 + length
        }
    }

    /// The record's length in the spool.
    var byteCount: Int {
        var offset = 8
        for _ in 0..<count { offset += 8 + Int(load(offset + 4)) }
        return offset
    }

    @inline(__always)
    private func load(_ offset: Int) -> Int32 {
        UnsafeRawPointer(base).loadUnaligned(fromByteOffset: offset, as: Int32.self)
    }
}
