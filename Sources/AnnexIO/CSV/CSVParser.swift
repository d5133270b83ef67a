import Glibc

/// One record as the reader sees it: a view into the reader's buffers, valid only inside the
/// callback that receives it (copy out what you keep). Field bytes are UTF-8, whatever the file's
/// encoding, with quoting already undone.
public struct CSVRecord {
    let bytes: UnsafePointer<UInt8>
    /// `ends[i]` is the end offset of field `i` in `bytes`; field `i` starts at `ends[i - 1]` (or 0).
    let ends: UnsafePointer<Int>
    /// The number of fields. A blank line is a record with no fields.
    public let count: Int
    let unprotectFormulas: Bool

    /// The UTF-8 bytes of field `index` (after removing a formula-protection `'` when the reader's
    /// `unprotectFormulas` option is on).
    @inline(__always)
    public func withUnsafeBytes<Result>(ofField index: Int,
                                        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        precondition(index >= 0 && index < count, "CSVRecord: field index out of range")
        var start = index == 0 ? 0 : ends[index - 1]
        let end = ends[index]
        if unprotectFormulas, end - start >= 2, bytes[start] == FormulaProtection.quote,
           FormulaProtection.shouldStrip(UnsafeBufferPointer(start: bytes + start, count: end - start)) {
            start += 1
        }
        return try body(UnsafeBufferPointer(start: bytes + start, count: end - start))
    }

    /// Whether field `index` is the empty string.
    public func isEmpty(_ index: Int) -> Bool {
        precondition(index >= 0 && index < count, "CSVRecord: field index out of range")
        return ends[index] == (index == 0 ? 0 : ends[index - 1])
    }

    /// Field `index` as a String.
    public subscript(index: Int) -> String {
        withUnsafeBytes(ofField: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// All fields as Strings.
    public var strings: [String] {
        var result: [String] = []
        result.reserveCapacity(count)
        for index in 0..<count { result.append(self[index]) }
        return result
    }
}

/// The bytes and field boundaries of the record being parsed.
struct RecordBuffer {
    var store: UnsafeMutablePointer<UInt8>
    var storeCount = 0
    var storeCapacity: Int
    var ends: UnsafeMutablePointer<Int>
    var fieldCount = 0
    var endsCapacity: Int

    init() {
        storeCapacity = 4096
        store = .allocate(capacity: storeCapacity)
        endsCapacity = 256
        ends = .allocate(capacity: endsCapacity)
    }

    func deallocate() {
        store.deallocate()
        ends.deallocate()
    }

    @inline(__always)
    mutating func append(_ source: UnsafePointer<UInt8>, _ length: Int) {
        if length > storeCapacity - storeCount { growStore(storeCount + length) }
        (store + storeCount).update(from: source, count: length)
        storeCount += length
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if storeCount == storeCapacity { growStore(storeCount + 1) }
        store[storeCount] = byte
        storeCount += 1
    }

    @inline(__always)
    mutating func endField() {
        if fieldCount == endsCapacity { growEnds() }
        ends[fieldCount] = storeCount
        fieldCount += 1
    }

    @inline(__always)
    mutating func reset() {
        storeCount = 0
        fieldCount = 0
    }

    @inline(never)
    mutating func growStore(_ needed: Int) {
        var capacity = storeCapacity * 2
        while capacity < needed { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: store, count: storeCount)
        store.deallocate()
        store = grown
        storeCapacity = capacity
    }

    @inline(never)
    mutating func growEnds() {
        let capacity = endsCapacity * 2
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        grown.update(from: ends, count: fieldCount)
        ends.deallocate()
        ends = grown
        endsCapacity = capacity
    }
}

/// The RFC 4180 state machine over UTF-8 bytes, fed chunk by chunk.
///
/// Line ends are CRLF, LF or a lone CR, inside and outside quotes. Lenient where RFC 4180 leaves no
/// meaning: a quote inside an unquoted field is an ordinary character, and text after a closing quote
/// continues the field. An unterminated quote at the end of the input is an error.
final class CSVParser {
    private enum State {
        case recordStart, fieldStart, unquoted, quoted, quotedQuote, afterCR
    }

    /// The most bytes one record may hold. Bounds memory when a quote is never closed.
    static let maximumRecordBytes = 64 * 1024 * 1024

    let file: String
    let delimiter: UInt8
    let unprotectFormulas: Bool
    private var state = State.recordStart
    /// The physical line (1-based) of the next byte to be fed.
    private(set) var line = 1
    private var recordLine = 1
    private var quoteLine = 1
    private var lastByteWasCR = false
    private var buffer = RecordBuffer()
    private let special: UnsafeMutablePointer<Bool>

    init(file: String, delimiter: UInt8, unprotectFormulas: Bool) {
        self.file = file
        self.delimiter = delimiter
        self.unprotectFormulas = unprotectFormulas
        special = .allocate(capacity: 256)
        special.initialize(repeating: false, count: 256)
        special[Int(delimiter)] = true
        special[Int(Byte.cr)] = true
        special[Int(Byte.lf)] = true
    }

    deinit {
        buffer.deallocate()
        special.deallocate()
    }

    /// Parses `p[0..<count]`, calling `emit` for every record that ends inside it.
    func feed(_ p: UnsafePointer<UInt8>, _ count: Int,
              _ emit: (Int, CSVRecord) throws -> Void) throws {
        guard count > 0 else { return }
        var state = self.state
        var line = self.line
        var recordLine = self.recordLine
        var quoteLine = self.quoteLine
        var buffer = self.buffer
        let delimiter = self.delimiter
        let special = self.special
        let unprotect = unprotectFormulas
        defer {
            self.state = state
            self.line = line
            self.recordLine = recordLine
            self.quoteLine = quoteLine
            self.buffer = buffer
            self.lastByteWasCR = p[count - 1] == Byte.cr
        }
        let previousChunkEndedWithCR = lastByteWasCR
        var i = 0
        while i < count {
            switch state {
            case .recordStart, .fieldStart:
                if state == .recordStart { recordLine = line }
                let byte = p[i]
                if byte == Byte.quote {
                    state = .quoted
                    quoteLine = line
                    i += 1
                } else if byte == delimiter {
                    buffer.endField()
                    state = .fieldStart
                    i += 1
                } else if byte == Byte.cr || byte == Byte.lf {
                    if state == .fieldStart { buffer.endField() }
                    try emit(recordLine, CSVRecord(bytes: buffer.store, ends: buffer.ends, count: buffer.fieldCount,
                                                   unprotectFormulas: unprotect))
                    buffer.reset()
                    line += 1
                    state = byte == Byte.cr ? .afterCR : .recordStart
                    i += 1
                } else {
                    state = .unquoted
                }
            case .unquoted:
                let start = i
                while i < count, !special[Int(p[i])] { i += 1 }
                if i > start { buffer.append(p + start, i - start) }
                if i == count { break }
                let byte = p[i]
                i += 1
                buffer.endField()
                if byte == delimiter {
                    state = .fieldStart
                } else {
                    try emit(recordLine, CSVRecord(bytes: buffer.store, ends: buffer.ends, count: buffer.fieldCount,
                                                   unprotectFormulas: unprotect))
                    buffer.reset()
                    line += 1
                    state = byte == Byte.cr ? .afterCR : .recordStart
                }
            case .quoted:
                let start = i
                while i < count {
                    let byte = p[i]
                    if byte == Byte.quote { break }
                    if byte <= Byte.cr {
                        if byte == Byte.cr {
                            line += 1
                        } else if byte == Byte.lf {
                            let afterCR = i > 0 ? p[i - 1] == Byte.cr : previousChunkEndedWithCR
                            if !afterCR { line += 1 }
                        }
                    }
                    i += 1
                }
                if i > start { buffer.append(p + start, i - start) }
                if i == count { break }
                i += 1
                state = .quotedQuote
            case .quotedQuote:
                let byte = p[i]
                if byte == Byte.quote {
                    buffer.append(Byte.quote)
                    state = .quoted
                    i += 1
                } else if byte == delimiter {
                    buffer.endField()
                    state = .fieldStart
                    i += 1
                } else if byte == Byte.cr || byte == Byte.lf {
                    buffer.endField()
                    try emit(recordLine, CSVRecord(bytes: buffer.store, ends: buffer.ends, count: buffer.fieldCount,
                                                   unprotectFormulas: unprotect))
                    buffer.reset()
                    line += 1
                    state = byte == Byte.cr ? .afterCR : .recordStart
                    i += 1
                } else {
                    state = .unquoted  // `"abc"def`: keep the text after the closing quote
                }
            case .afterCR:
                if p[i] == Byte.lf { i += 1 }
                state = .recordStart
            }
        }
        if buffer.storeCount > CSVParser.maximumRecordBytes {
            let reason = state == .quoted
                ? "从这一行开始的引号一直没有闭合（超过 64 MiB）"
                : "这一行超过 64 MiB，不像是表格数据"
            throw AnnexError(file: file, location: "第 \(state == .quoted ? quoteLine : recordLine) 行", reason: reason)
        }
    }

    /// Ends the input: emits a last record that has no line end, or reports an unterminated quote.
    func finish(_ emit: (Int, CSVRecord) throws -> Void) throws {
        switch state {
        case .recordStart, .afterCR:
            break
        case .fieldStart, .unquoted, .quotedQuote:
            buffer.endField()
            try emit(recordLine, CSVRecord(bytes: buffer.store, ends: buffer.ends, count: buffer.fieldCount,
                                           unprotectFormulas: unprotectFormulas))
            buffer.reset()
        case .quoted:
            throw AnnexError(file: file, location: "第 \(quoteLine) 行", reason: "引号没有闭合：从这一行开始的带引号字段直到文件末尾都没有结束")
        }
        state = .recordStart
    }
}

/// ASCII bytes the CSV code compares against.
enum Byte {
    static let quote = UInt8(ascii: "\"")
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let comma = UInt8(ascii: ",")
    static let tab = UInt8(ascii: "\t")
    static let semicolon = UInt8(ascii: ";")
}
