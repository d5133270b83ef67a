/// A record's bytes that the file declares wrongly (too short for what its fields say). The reader
/// turns it into an `AnnexError` naming the file, sheet and cell.
struct BIFFFormatError: Error {
    var reason: String
}

/// Reads the fields of a record (and its CONTINUE records) in order, little-endian, checking the
/// length before every read.
struct RecordCursor {
    private let bytes: [UInt8]
    private let end: Int
    /// Where CONTINUE records start, ascending (empty for a single record).
    private let boundaries: [Int]
    private var nextBoundary = 0
    private(set) var position: Int

    init(_ record: ContinuedRecord) {
        bytes = record.bytes
        end = record.bytes.count
        boundaries = record.boundaries
        position = 0
    }

    /// The first `count` bytes of `bytes`: one record.
    init(_ bytes: [UInt8], count: Int) {
        self.bytes = bytes
        end = count
        boundaries = []
        position = 0
    }

    var remaining: Int { end - position }

    private func short(_ want: Int) -> BIFFFormatError {
        BIFFFormatError(reason: "记录比其内容声明的短（在第 \(position) 字节处还需要 \(want) 字节，只剩 \(remaining) 字节）")
    }

    mutating func skip(_ count: Int) throws {
        guard count >= 0, count <= remaining else { throw short(count) }
        position += count
    }

    mutating func uint8() throws -> UInt8 {
        guard remaining >= 1 else { throw short(1) }
        position += 1
        return bytes[position - 1]
    }

    mutating func uint16() throws -> UInt16 {
        guard remaining >= 2 else { throw short(2) }
        position += 2
        return UInt16(littleEndianBytes: bytes, at: position - 2)
    }

    mutating func uint32() throws -> UInt32 {
        guard remaining >= 4 else { throw short(4) }
        position += 4
        return UInt32(littleEndianBytes: bytes, at: position - 4)
    }

    mutating func byteArray(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw short(count) }
        position += count
        return bytes[(position - count)..<position]
    }

    /// A BIFF8 string (MS-XLS 2.5.293/2.5.294): `count` characters after the flags byte `flags`, each
    /// one byte (the low byte of UTF-16, "compressed") or two. At a CONTINUE boundary inside the
    /// characters the next record starts with a new flags byte, so the width can switch mid-string
    /// (MS-XLS 2.1.7.1); rich-text runs and the phonetic block after the characters are skipped.
    mutating func unicodeString(count: Int, flags: UInt8, richRuns: Int = 0, phoneticBytes: Int = 0) throws -> String {
        var units: [UInt16] = []
        units.reserveCapacity(min(count, remaining))
        var wide = flags & 0x01 != 0
        while units.count < count {
            while nextBoundary < boundaries.count, boundaries[nextBoundary] < position { nextBoundary += 1 }
            if nextBoundary < boundaries.count, boundaries[nextBoundary] == position {
                wide = try uint8() & 0x01 != 0
                nextBoundary += 1
            }
            let segmentEnd = nextBoundary < boundaries.count ? boundaries[nextBoundary] : end
            let width = wide ? 2 : 1
            let take = min(count - units.count, (segmentEnd - position) / width)
            guard take > 0 else { throw short(width) }
            for k in 0..<take {
                let at = position + k * width
                units.append(wide ? UInt16(littleEndianBytes: bytes, at: at) : UInt16(bytes[at]))
            }
            position += take * width
        }
        try skip(4 * richRuns)
        try skip(phoneticBytes)
        return String(decoding: units, as: UTF16.self)
    }

    /// A BIFF8 string with a 16-bit character count (XLUnicodeString: LABEL, FORMAT, STRING), or a
    /// BIFF5 byte string in the workbook's code page.
    mutating func string16(_ text: TextDecoding) throws -> String {
        let count = Int(try uint16())
        return try text.biff8 ? unicodeString(afterCount: count) : text.decode(byteArray(count))
    }

    /// The same with an 8-bit count (ShortXLUnicodeString: sheet names).
    mutating func string8(_ text: TextDecoding) throws -> String {
        let count = Int(try uint8())
        return try text.biff8 ? unicodeString(afterCount: count) : text.decode(byteArray(count))
    }

    /// The flags byte after a count, and what it announces (rich runs, phonetic block), then the text.
    mutating func unicodeString(afterCount count: Int) throws -> String {
        let flags = try uint8()
        let runs = flags & 0x08 != 0 ? Int(try uint16()) : 0
        let phonetic = flags & 0x04 != 0 ? Int(try uint32()) : 0
        return try unicodeString(count: count, flags: flags, richRuns: runs, phoneticBytes: phonetic)
    }
}
