/// The records of a BIFF stream (MS-XLS 2.1.4): a 2-byte type, a 2-byte length, then that many bytes.
/// A record's length is checked against the stream before it is read; `data` is reused, so a record's
/// bytes are valid until the next call.
final class RecordStream {
    private let stream: CompoundStream
    private let path: String
    /// The current record's bytes (at most 65,535: the length field is 16 bits).
    private(set) var data = [UInt8](repeating: 0, count: 0xFFFF)
    private(set) var type: UInt16 = 0
    private(set) var length = 0
    /// Where the current record starts in the stream.
    private(set) var offset = 0
    /// A header read ahead by `peekType` and not yet consumed.
    private var pending: (type: UInt16, length: Int, offset: Int)?

    static let continueRecord: UInt16 = 0x003C

    init(_ stream: CompoundStream, path: String) {
        self.stream = stream
        self.path = path
    }

    func seek(to offset: Int) {
        pending = nil
        stream.seek(to: offset)
    }

    /// Reads the next record; false at the end of the stream.
    func next() throws -> Bool {
        guard let header = try pending ?? readHeader() else { return false }
        pending = nil
        type = header.type
        length = header.length
        offset = header.offset
        let complete = try data.withUnsafeMutableBufferPointer { try stream.read(length, into: $0.baseAddress!) }
        guard complete else {
            throw AnnexError(file: path, reason: "记录 \(Self.name(type))（位于 \(offset) 字节处）声明长度 \(length) 字节，超出了流的末尾，文件已损坏或被截断")
        }
        return true
    }

    /// The type of the record after the current one, without consuming it (nil at the end).
    func peekType() throws -> UInt16? {
        if pending == nil { pending = try readHeader() }
        return pending?.type
    }

    /// The current record followed by its CONTINUE records, as one body with the offsets where each
    /// continuation starts (strings restart their character-width flag there: MS-XLS 2.1.7.1).
    func readContinued() throws -> ContinuedRecord {
        var body = Array(data[0..<length])
        var boundaries: [Int] = []
        while try peekType() == Self.continueRecord {
            _ = try next()
            boundaries.append(body.count)
            body += data[0..<length]
        }
        return ContinuedRecord(bytes: body, boundaries: boundaries)
    }

    /// `0x00FC`: how MS-XLS names a record type.
    static func name(_ type: UInt16) -> String {
        let digits = String(type, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    private func readHeader() throws -> (type: UInt16, length: Int, offset: Int)? {
        let start = stream.position
        if start >= stream.size { return nil }
        var header: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let complete = try withUnsafeMutableBytes(of: &header) {
            try stream.read(4, into: $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        // Writers pad the stream to a whole sector with zeros; a partial header is that padding too.
        guard complete else { return nil }
        return (UInt16(header.0) | UInt16(header.1) << 8, Int(header.2) | Int(header.3) << 8, start)
    }
}

/// A record and its continuations as one body, read through a cursor that never passes its end.
struct ContinuedRecord {
    let bytes: [UInt8]
    /// Offsets in `bytes` where a CONTINUE record's data starts, ascending.
    let boundaries: [Int]
}
