import CAnnexSIMD
import Glibc

/// One record as the reader sees it: a view into the reader's buffers, valid only inside the
/// callback that receives it (copy out what you keep). Field bytes are UTF-8, whatever the file's
/// encoding, with quoting already undone.
public struct CSVRecord {
    @usableFromInline let bytes: UnsafePointer<UInt8>
    /// `ends[i]` is the end offset of field `i` in `bytes`; field `i` starts at `ends[i - 1]` (or 0).
    @usableFromInline let ends: UnsafePointer<Int>
    /// The number of fields. A blank line is a record with no fields.
    public let count: Int
    @usableFromInline let unprotectFormulas: Bool
    /// Whether the record was written without a single `"`: then no field holds the delimiter, a
    /// quote, CR or LF, and a CSV writer with the same delimiter need not look for bytes to quote
    /// (`RowView.quoteFreeDelimiter`). False when not known.
    let quoteFree: Bool

    @usableFromInline
    init(bytes: UnsafePointer<UInt8>, ends: UnsafePointer<Int>, count: Int, unprotectFormulas: Bool, quoteFree: Bool = false) {
        self.bytes = bytes
        self.ends = ends
        self.count = count
        self.unprotectFormulas = unprotectFormulas
        self.quoteFree = quoteFree
    }

    /// The UTF-8 bytes of field `index` (after removing a formula-protection `'` when the reader's
    /// `unprotectFormulas` option is on).
    @inlinable @inline(__always)
    public func withUnsafeBytes<Result>(ofField index: Int,
                                        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        precondition(index >= 0 && index < count, "CSVRecord: field index out of range")
        let end = ends[index]
        let start = valueStart(index == 0 ? 0 : ends[index - 1], end)
        return try body(UnsafeBufferPointer(start: bytes + start, count: end - start))
    }

    /// Where the value of the field at `start..<end` of `bytes` starts: past a formula-protection `'`
    /// when the reader's `unprotectFormulas` option is on and the `'` is one.
    @inlinable @inline(__always)
    func valueStart(_ start: Int, _ end: Int) -> Int {
        if unprotectFormulas, end - start >= 2, bytes[start] == FormulaProtection.quote,
           FormulaProtection.shouldStrip(UnsafeBufferPointer(start: bytes + start, count: end - start)) {
            return start + 1
        }
        return start
    }

    /// Whether field `index` is the empty string.
    @inlinable
    public func isEmpty(_ index: Int) -> Bool {
        precondition(index >= 0 && index < count, "CSVRecord: field index out of range")
        return ends[index] == (index == 0 ? 0 : ends[index - 1])
    }

    /// Field `index` as a String.
    @inlinable
    public subscript(index: Int) -> String {
        withUnsafeBytes(ofField: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// All fields as Strings.
    @inlinable
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
    /// Whether the record so far had a `"` (a quoted field, or a quote inside an unquoted one).
    var sawQuote = false

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
        copyBytes(from: source, to: store + storeCount, length)
        storeCount &+= length
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
        fieldCount &+= 1
    }

    @inline(__always)
    mutating func reset() {
        storeCount = 0
        fieldCount = 0
        sawQuote = false
    }

    /// The record as the parser hands it out.
    func record(unprotectFormulas: Bool) -> CSVRecord {
        CSVRecord(bytes: store, ends: ends, count: fieldCount, unprotectFormulas: unprotectFormulas, quoteFree: !sawQuote)
    }

    @inline(never)
    mutating func growStore(_ needed: Int) {
        var capacity = storeCapacity * 2
        while capacity < needed { capacity *= 2 }
        store = store.reallocated(capacity: capacity, keeping: storeCount)
        storeCapacity = capacity
    }

    @inline(never)
    mutating func growEnds() {
        let capacity = endsCapacity * 2
        ends = ends.reallocated(capacity: capacity, keeping: fieldCount)
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
    /// Bytes that end an unquoted run or start a field specially: the delimiter, `"`, CR, LF.
    private let startsSpecially: UnsafeMutablePointer<Bool>
    /// Bytes that stop a run inside quotes: `"`, CR, LF.
    private let quotedStops: UnsafeMutablePointer<Bool>

    init(file: String, delimiter: UInt8, unprotectFormulas: Bool) {
        self.file = file
        self.delimiter = delimiter
        self.unprotectFormulas = unprotectFormulas
        startsSpecially = .allocate(capacity: 256)
        startsSpecially.initialize(repeating: false, count: 256)
        quotedStops = .allocate(capacity: 256)
        quotedStops.initialize(repeating: false, count: 256)
        for byte in [delimiter, Byte.quote, Byte.cr, Byte.lf] { startsSpecially[Int(byte)] = true }
        for byte in [Byte.quote, Byte.cr, Byte.lf] { quotedStops[Int(byte)] = true }
    }

    deinit {
        buffer.deallocate()
        startsSpecially.deallocate()
        quotedStops.deallocate()
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
        let startsSpecially = self.startsSpecially
        let quotedStops = self.quotedStops
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
        loop: while i < count {
            switch state {
            case .afterCR:
                if p[i] == Byte.lf { i += 1 }
                state = .recordStart

            case .recordStart, .fieldStart:
                if state == .recordStart { recordLine = line }
                let byte = p[i]
                if startsSpecially[Int(byte)] {
                    i += 1
                    if byte == Byte.quote {
                        state = .quoted
                        buffer.sawQuote = true
                        quoteLine = line
                    } else if byte == delimiter {
                        buffer.endField()
                        state = .fieldStart
                    } else {  // CR or LF
                        if state == .fieldStart { buffer.endField() }
                        try emit(recordLine, buffer.record(unprotectFormulas: unprotect))
                        buffer.reset()
                        line += 1
                        state = byte == Byte.cr ? .afterCR : .recordStart
                    }
                    continue loop
                }
                state = .unquoted
                fallthrough

            case .unquoted:
                // The hot path: unquoted fields, one after the other, across records.
                while true {
                    let start = i
                    i = annex_find_any4(p, i, count, delimiter, Byte.cr, Byte.lf, Byte.quote)
                    if i > start { buffer.append(p + start, i &- start) }
                    if i == count { break loop }
                    let byte = p[i]
                    i &+= 1
                    if byte == Byte.quote {   // an ordinary byte here; noted, so the record is not quote-free
                        buffer.append(byte)
                        buffer.sawQuote = true
                        continue
                    }
                    buffer.endField()
                    if byte == delimiter {
                        // Scanning handles an empty field or a line end at once; only a quote needs the
                        // field-start state.
                        if i < count, p[i] != Byte.quote { continue }
                        state = .fieldStart
                        continue loop
                    }
                    try emit(recordLine, buffer.record(unprotectFormulas: unprotect))
                    buffer.reset()
                    line += 1
                    if byte == Byte.cr {
                        if i == count {
                            state = .afterCR
                            break loop
                        }
                        if p[i] == Byte.lf { i += 1 }
                    }
                    if i < count, !quotedStops[Int(p[i])] {  // not a quote, not a blank line
                        recordLine = line
                        continue
                    }
                    state = .recordStart
                    continue loop
                }

            case .quoted:
                while true {
                    let start = i
                    i = annex_find_any4(p, i, count, Byte.quote, Byte.cr, Byte.lf, Byte.lf)
                    if i > start { buffer.append(p + start, i - start) }
                    if i == count { break loop }
                    let byte = p[i]
                    if byte == Byte.quote {
                        i += 1
                        state = .quotedQuote
                        continue loop
                    }
                    // A line break inside quotes: part of the field, and a new physical line.
                    if byte == Byte.cr {
                        line += 1
                    } else if !(i > 0 ? p[i - 1] == Byte.cr : previousChunkEndedWithCR) {
                        line += 1
                    }
                    buffer.append(byte)
                    i += 1
                }

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
                    try emit(recordLine, buffer.record(unprotectFormulas: unprotect))
                    buffer.reset()
                    line += 1
                    state = byte == Byte.cr ? .afterCR : .recordStart
                    i += 1
                } else {
                    state = .unquoted  // `"abc"def`: keep the text after the closing quote
                }
            }
        }
        if buffer.storeCount &+ buffer.fieldCount &* 8 > CSVParser.maximumRecordBytes {
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
            try emit(recordLine, buffer.record(unprotectFormulas: unprotectFormulas))
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

/// Copies `length` bytes between non-overlapping buffers; short copies (fields are mostly short)
/// without calling memcpy.
@inline(__always)
func copyBytes(from source: UnsafePointer<UInt8>, to destination: UnsafeMutablePointer<UInt8>, _ length: Int) {
    let src = UnsafeRawPointer(source)
    let dst = UnsafeMutableRawPointer(destination)
    switch length {
    case 8...16:
        let head = src.loadUnaligned(as: UInt64.self)
        let tail = src.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
        dst.storeBytes(of: head, as: UInt64.self)
        dst.storeBytes(of: tail, toByteOffset: length - 8, as: UInt64.self)
    case 4..<8:
        let head = src.loadUnaligned(as: UInt32.self)
        let tail = src.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self)
        dst.storeBytes(of: head, as: UInt32.self)
        dst.storeBytes(of: tail, toByteOffset: length - 4, as: UInt32.self)
    case 2..<4:
        let head = src.loadUnaligned(as: UInt16.self)
        let tail = src.loadUnaligned(fromByteOffset: length - 2, as: UInt16.self)
        dst.storeBytes(of: head, as: UInt16.self)
        dst.storeBytes(of: tail, toByteOffset: length - 2, as: UInt16.self)
    case 1:
        destination.pointee = source.pointee
    case 0:
        break
    default:
        memcpy(dst, src, length)
    }
}
