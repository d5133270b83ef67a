import Glibc

/// How `CSVReader` reads a file. The defaults detect everything.
public struct CSVReadOptions: Sendable {
    /// Forces the file's encoding; nil detects it (see `CSVReader`).
    public var encoding: TextEncoding?
    /// Forces the field delimiter (an ASCII byte other than `"`, CR and LF); nil sniffs comma, tab or
    /// semicolon from the first lines.
    public var delimiter: UInt8?
    /// Removes the `'` that `CSVWriter` puts before text a spreadsheet would evaluate as a formula
    /// (see `FormulaProtection`). Off by default: a `'` written by someone else stays.
    public var unprotectFormulas: Bool
    /// Bytes read per `read(2)`; memory stays a small multiple of this. Tests use tiny values to put
    /// multibyte characters across chunk boundaries.
    public var chunkSize: Int

    public init(encoding: TextEncoding? = nil, delimiter: UInt8? = nil, unprotectFormulas: Bool = false,
                chunkSize: Int = 128 * 1024) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.unprotectFormulas = unprotectFormulas
        self.chunkSize = chunkSize
    }
}

/// Streams the records of a CSV file (RFC 4180) in bounded memory: the file is read in chunks, decoded
/// to UTF-8 and split by a byte-level state machine; no more than one chunk and one record are held.
///
/// **Encoding.** A byte-order mark decides (UTF-8, UTF-16 LE/BE, GB18030's `84 31 95 33`) and is
/// skipped. Otherwise the first 64 KiB decide: valid UTF-8 (strictly: no overlong forms or
/// surrogates) is UTF-8, anything else is GB18030 (which includes GBK and GB2312), transcoded with
/// glibc iconv chunk by chunk. A file whose first 64 KiB are plain ASCII stays undecided until its first
/// non-ASCII bytes. If a file detected as UTF-8 stops being valid UTF-8 further on, reading fails at
/// that line rather than guessing; `CSVReadOptions.encoding` forces an encoding.
///
/// **Records.** Fields may be quoted with `"`; quoted fields may contain the delimiter, doubled quotes
/// and line breaks. Line ends are CRLF, LF or a lone CR. The last line needs no line end. A blank
/// line is a record with no fields. An unterminated quote is an error naming the line it starts on.
///
/// Errors are `AnnexError`s naming the file and the line (`location: "第 12 行"`).
public final class CSVReader {
    /// The file as given (or the name given for a descriptor).
    public let path: String
    /// The field delimiter: forced, or sniffed from the first lines (comma when nothing tells).
    public let delimiter: UInt8
    /// Whether the file started with a byte-order mark (which is not part of the first field).
    public let hadByteOrderMark: Bool

    /// The encoding: forced, announced by a byte-order mark or detected. A file that is plain ASCII so
    /// far reports `.utf8`; it changes to `.gb18030` if its first non-ASCII bytes turn out to be GB18030.
    public var encoding: TextEncoding {
        switch mode {
        case .undecided, .utf8: .utf8
        case .gb18030: .gb18030
        case .transcode(let encoding, _): encoding
        }
    }

    /// The size of the window that encoding detection and delimiter sniffing look at.
    static let detectionWindow = 64 * 1024

    private enum Mode {
        /// Only ASCII seen so far and the encoding not forced: UTF-8 and GB18030 agree on ASCII.
        case undecided
        case utf8
        case gb18030(GB18030Decoder)
        /// UTF-16, through iconv.
        case transcode(TextEncoding, IConv)
    }

    private let descriptor: Int32
    private var ownsDescriptor = false
    private let chunkSize: Int
    private let unprotectFormulas: Bool
    private var mode: Mode
    /// Whether UTF-8 was chosen by detection rather than by force (changes the error message).
    private var utf8WasGuessed: Bool
    /// The first bytes of the file, read for detection and served before reading on.
    private var prefix: [UInt8]
    private var prefixOffset: Int
    private var started = false

    /// The size of the file when it is a regular file (for estimates), else nil.
    private(set) var fileSize: Int?

    /// Opens `path` and detects its encoding and delimiter.
    public convenience init(path: String, options: CSVReadOptions = CSVReadOptions()) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            let reason: String
            switch code {
            case ENOENT: reason = "文件不存在"
            case EACCES, EPERM: reason = "没有读取这个文件的权限"
            default: reason = "无法打开文件（\(AtomicOutput.describe(code))）"
            }
            throw AnnexError(file: path, reason: reason)
        }
        do {
            try self.init(descriptor: fd, name: path, owning: true, options: options)
        } catch {
            close(fd)
            throw error
        }
    }

    /// Reads an open file descriptor (standard input, a pipe); `name` is used in messages.
    /// The descriptor is not closed.
    public convenience init(fileDescriptor: Int32, name: String, options: CSVReadOptions = CSVReadOptions()) throws {
        try self.init(descriptor: fileDescriptor, name: name, owning: false, options: options)
    }

    private init(descriptor: Int32, name: String, owning: Bool, options: CSVReadOptions) throws {
        self.descriptor = descriptor
        self.path = name
        chunkSize = max(1, options.chunkSize)
        unprotectFormulas = options.unprotectFormulas
        if let forced = options.delimiter {
            guard forced < 0x80, forced != Byte.quote, forced != Byte.cr, forced != Byte.lf else {
                throw AnnexError(file: name, reason: "分隔符必须是一个 ASCII 字符，且不能是引号或换行")
            }
        }

        // Read the detection window.
        var prefix = [UInt8](repeating: 0, count: CSVReader.detectionWindow)
        var filled = 0
        while filled < prefix.count {
            let n = prefix.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw AnnexError(file: name, reason: code == EISDIR ? "这是一个目录，不是 CSV 文件" : "读取失败（\(AtomicOutput.describe(code))）")
            }
            if n == 0 { break }
            filled += n
        }
        prefix.removeSubrange(filled...)
        let atEnd = filled < CSVReader.detectionWindow

        // Encoding.
        var skip = 0
        var chosen: TextEncoding?
        let mark = prefix.withUnsafeBytes { TextEncoding.detectByteOrderMark($0) }
        if let forced = options.encoding {
            chosen = forced
            if let (encoding, length) = mark, encoding == forced { skip = length }
        } else if let (encoding, length) = mark {
            chosen = encoding
            skip = length
        } else {
            chosen = prefix.withUnsafeBufferPointer { bytes -> TextEncoding? in
                guard let base = bytes.baseAddress else { return nil }
                let firstNonASCII = ByteScan.firstNonASCII(base, bytes.count)
                if firstNonASCII == bytes.count { return nil }
                let (valid, status) = ByteScan.validateUTF8(base, bytes.count)
                switch status {
                case .complete: return .utf8
                case .invalid: return .gb18030
                case .incomplete:
                    if atEnd { return .gb18030 }
                    return valid > firstNonASCII ? .utf8 : nil
                }
            }
        }
        hadByteOrderMark = skip > 0
        utf8WasGuessed = options.encoding == nil && skip == 0
        switch chosen {
        case nil:
            mode = .undecided
        case .utf8?:
            mode = .utf8
        case .gb18030?:
            mode = .gb18030(try CSVReader.makeGB18030Decoder(name))
        case let encoding?:
            guard let converter = IConv(from: encoding.iconvName, to: "UTF-8") else {
                throw AnnexError(file: name, reason: "这台机器的 iconv 不支持 \(encoding.rawValue) 编码")
            }
            mode = .transcode(encoding, converter)
        }
        self.prefix = prefix
        prefixOffset = skip

        // Delimiter.
        if let forced = options.delimiter {
            delimiter = forced
        } else {
            let sample: [UInt8]
            switch chosen {
            case .utf16LE?: sample = CSVReader.asciiProjection(ofUTF16: prefix[skip...], littleEndian: true)
            case .utf16BE?: sample = CSVReader.asciiProjection(ofUTF16: prefix[skip...], littleEndian: false)
            default: sample = Array(prefix[skip...])  // delimiters never occur inside GB18030 characters
            }
            delimiter = CSVReader.sniffDelimiter(sample, complete: atEnd)
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { fileSize = Int(info.st_size) }
        self.ownsDescriptor = owning
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// The extent of the sheet this file reads as (`CSVExtentScanner`), found from the raw bytes
    /// without parsing; nil when the bytes cannot be scanned so: not a regular file (a pipe can be read
    /// only once), UTF-16, or a delimiter that can be a byte of a GB18030 character. Must be called
    /// before reading; the file is then read from its start as usual.
    func scanExtent() throws -> SheetExtent? {
        guard !started, fileSize != nil else { return nil }
        switch mode {
        case .utf8: break   // every byte of a UTF-8 multibyte character is 0x80 or above
        case .undecided, .gb18030:
            guard delimiter < 0x30 || (0x3A...0x3F).contains(delimiter) else { return nil }
        case .transcode: return nil
        }
        var scanner = CSVExtentScanner(delimiter: delimiter)
        let capacity = 256 * 1024
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { chunk.deallocate() }
        var offset = off_t(prefixOffset)   // past a byte-order mark
        while true {
            let n = pread(descriptor, chunk, capacity, offset)
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw AnnexError(file: path, reason: "读取失败（\(AtomicOutput.describe(code))）")
            }
            if n == 0 { break }
            scanner.feed(chunk, n)
            offset += off_t(n)
        }
        return SheetExtent(lastRow: scanner.lastRow, lastColumn: scanner.lastColumn)
    }

    /// Calls `body` with every record: the physical line it starts on (1-based) and its fields.
    /// Reads the file once; a second call throws.
    public func forEachRecord(_ body: (_ lineNumber: Int, _ fields: [String]) throws -> Void) throws {
        try forEachRawRecord { line, record in try body(line, record.strings) }
    }

    /// Like `forEachRecord`, without making Strings: the record is a view of UTF-8 bytes that is only
    /// valid inside `body`. The fast path for callers that look at bytes (numbers, keys).
    public func forEachRawRecord(_ body: (_ lineNumber: Int, _ record: CSVRecord) throws -> Void) throws {
        guard !started else {
            throw AnnexError(file: path, reason: "CSV 文件只能顺序读取一次")
        }
        started = true
        guard let fileSize, fileSize > 4 * chunkSize else { return try parseAll(body) }
        // A large file is read, decoded and parsed on a second thread, which hands over batches of
        // records; what the caller does with them runs here. On two cores that is about half the
        // time of one thread doing both.
        let batches = (0..<3).map { _ in CSVRecordBatch(unprotectFormulas: unprotectFormulas) }
        try SlotPipeline.run(batches, threadFailure: { [path] code in
            AnnexError(file: path, reason: "无法启动读取线程（错误 \(code)）")
        }, produce: { pipe in
            let filling = try BatchFiller(pipe)
            // The records before an error are delivered before it, as when reading on one thread.
            defer { filling.submit() }
            try self.parseAll { line, record in try filling.append(line: line, record: record) }
        }, consume: { batch, _ in
            try batch.forEachRecord(body)
        })
    }

    /// The parsing thread's batch being filled. A class, not a captured variable: the record callback
    /// would otherwise pay a dynamic exclusivity check per record.
    private final class BatchFiller {
        let pipe: SlotPipe<CSVRecordBatch>
        @exclusivity(unchecked) var slot: Int
        /// The slot's batch, which the pipe keeps alive. Unmanaged: a strong reference loaded from this
        /// property was retained and released around every record.
        @exclusivity(unchecked) var batch: Unmanaged<CSVRecordBatch>

        init(_ pipe: SlotPipe<CSVRecordBatch>) throws {
            self.pipe = pipe
            slot = try pipe.acquire()
            batch = Unmanaged.passUnretained(pipe[slot])
            batch._withUnsafeGuaranteedRef { $0.removeAll() }
        }

        /// Whether `slot` is still to be submitted.
        @exclusivity(unchecked) var holding = true

        @inline(__always)
        func append(line: Int, record: CSVRecord) throws {
            let full = batch._withUnsafeGuaranteedRef { batch in
                batch.append(line: line, record: record)
                return batch.isFull
            }
            if full {
                submit()
                slot = try pipe.acquire()
                batch = Unmanaged.passUnretained(pipe[slot])
                batch._withUnsafeGuaranteedRef { $0.removeAll() }
                holding = true
            }
        }

        func submit() {
            if holding {
                pipe.submit(slot, count: batch._withUnsafeGuaranteedRef { $0.count })
            }
            holding = false
        }
    }

    /// Reads, decodes and parses the whole file, calling `body` with every record.
    private func parseAll(_ body: (_ lineNumber: Int, _ record: CSVRecord) throws -> Void) throws {
        let parser = CSVParser(file: path, delimiter: delimiter, unprotectFormulas: unprotectFormulas)
        do {
            try readText { text in
                try parser.feed(text.baseAddress!.assumingMemoryBound(to: UInt8.self), text.count, body)
            }
        } catch let failure as DecodeFailure {
            // Everything before the bad bytes has been parsed: the parser is at their line.
            throw AnnexError(file: path, location: "第 \(parser.line) 行", reason: failure.reason)
        }
        try parser.finish(body)
    }

    /// Bytes that are not valid in the file's encoding; `forEachRawRecord` adds the line.
    private struct DecodeFailure: Error {
        let reason: String
    }

    /// Reads the whole file, emitting it as UTF-8 in pieces (never empty).
    private func readText(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let carryRoom = 16
        let raw = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize + carryRoom)
        defer { raw.deallocate() }
        let outputCapacity = max(256, GB18030Decoder.maximumOutput(chunkSize + carryRoom), chunkSize * 2)
        let output = UnsafeMutableRawPointer.allocate(byteCount: outputCapacity, alignment: 16)
        defer { output.deallocate() }
        let emitNonEmpty = { (p: UnsafePointer<UInt8>, count: Int) throws in
            if count > 0 { try emit(UnsafeRawBufferPointer(start: p, count: count)) }
        }
        var carry = 0
        while true {
            let count = try readRaw(into: raw + carry, maximum: chunkSize)
            if count == 0 {
                if carry > 0 { throw DecodeFailure(reason: "文件末尾有一个不完整的\(encodingName)字符") }
                break
            }
            let total = carry + count
            let left = try decode(raw, total, output: output, outputCapacity: outputCapacity, emitNonEmpty)
            if left > 0 { memmove(raw, raw + (total - left), left) }
            carry = left
            precondition(carry <= carryRoom, "CSVReader: carried more than a character")
        }
    }

    // MARK: - Decoding

    private var encodingName: String {
        switch mode {
        case .undecided, .utf8: "UTF-8"
        case .gb18030: "GB18030"
        case .transcode(let encoding, _): encoding.rawValue.uppercased()
        }
    }

    /// Decodes `p[0..<count]` to UTF-8 and emits it. Returns how many bytes at the end form an
    /// incomplete character, to be carried over to the front of the next chunk.
    private func decode(_ p: UnsafeMutablePointer<UInt8>, _ count: Int,
                        output: UnsafeMutableRawPointer, outputCapacity: Int,
                        _ emit: (UnsafePointer<UInt8>, Int) throws -> Void) throws -> Int {
        switch mode {
        case .undecided:
            let first = ByteScan.firstNonASCII(p, count)
            try emit(p, first)
            if first == count { return 0 }
            let (valid, status) = ByteScan.validateUTF8(p + first, count - first)
            if status == .invalid {
                mode = .gb18030(try CSVReader.makeGB18030Decoder(path))
            } else if valid > 0 {
                mode = .utf8
            } else {
                return count - first  // only the start of one character: decide with the next chunk
            }
            return try decode(p + first, count - first, output: output, outputCapacity: outputCapacity, emit)

        case .utf8:
            let (valid, status) = ByteScan.validateUTF8(p, count)
            try emit(p, valid)
            switch status {
            case .complete: return 0
            case .incomplete: return count - valid
            case .invalid:
                let reason = utf8WasGuessed
                    ? "不是有效的 UTF-8 编码（文件开头按 UTF-8 识别）；如果这是 GB18030/GBK 编码的文件，请使用 --encoding gb18030"
                    : "不是有效的 UTF-8 编码"
                throw DecodeFailure(reason: reason)
            }

        case .gb18030(let decoder):
            let out = output.assumingMemoryBound(to: UInt8.self)
            let result = decoder.decode(p, count, into: out)
            try emit(out, result.produced)
            switch result.stop {
            case .done, .outputFull:
                return 0
            case .incomplete:
                return count - result.consumed
            case .invalid:
                throw invalidBytes(p[result.consumed])
            }

        case .transcode(_, let converter):
            let out = output.assumingMemoryBound(to: UInt8.self)
            var offset = 0
            while true {
                let result = converter.convert(p + offset, count - offset, into: output, capacity: outputCapacity)
                try emit(out, result.produced)
                offset += result.consumed
                switch result.stop {
                case .done:
                    return 0
                case .outputFull:
                    continue
                case .incomplete:
                    return count - offset
                case .invalid:
                    converter.reset()
                    throw invalidBytes(p[offset])
                }
            }
        }
    }

    private func invalidBytes(_ byte: UInt8) -> DecodeFailure {
        DecodeFailure(reason: "有不是有效 \(encodingName) 编码的字节（0x\(hex(byte))）；请确认文件的编码，或用 --encoding 指定")
    }

    private static func makeGB18030Decoder(_ name: String) throws -> GB18030Decoder {
        guard let decoder = GB18030Decoder() else {
            throw AnnexError(file: name, reason: "这台机器的 iconv 不支持 GB18030 编码")
        }
        return decoder
    }

    private func readRaw(into destination: UnsafeMutablePointer<UInt8>, maximum: Int) throws -> Int {
        if prefixOffset < prefix.count {
            let n = min(maximum, prefix.count - prefixOffset)
            prefix.withUnsafeBufferPointer { destination.update(from: $0.baseAddress! + prefixOffset, count: n) }
            prefixOffset += n
            if prefixOffset == prefix.count { prefix = [] ; prefixOffset = 0 }
            return n
        }
        while true {
            let n = read(descriptor, destination, maximum)
            if n >= 0 { return n }
            let code = errno
            if code == EINTR { continue }
            throw AnnexError(file: path, reason: "读取失败（\(AtomicOutput.describe(code))）")
        }
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    // MARK: - Delimiter sniffing

    /// The delimiter among comma, tab and semicolon that occurs (outside quotes) on the most of the
    /// first lines, then the one whose count per line is the most regular; comma when none occurs.
    static func sniffDelimiter(_ sample: [UInt8], complete: Bool) -> UInt8 {
        let candidates = [Byte.comma, Byte.tab, Byte.semicolon]
        var lines: [[Int]] = []
        var counts = [0, 0, 0]
        var inQuotes = false
        var lineHasContent = false
        var index = 0
        let maximumLines = 50
        while index < sample.count, lines.count < maximumLines {
            let byte = sample[index]
            index += 1
            if byte == Byte.quote {
                inQuotes.toggle()
                lineHasContent = true
            } else if !inQuotes, byte == Byte.cr || byte == Byte.lf {
                if lineHasContent { lines.append(counts) }
                counts = [0, 0, 0]
                lineHasContent = false
            } else {
                lineHasContent = true
                if !inQuotes, let k = candidates.firstIndex(of: byte) { counts[k] += 1 }
            }
        }
        // A last line without its end counts only when it is the end of the file (or the only line).
        if lineHasContent, lines.count < maximumLines, complete || lines.isEmpty { lines.append(counts) }

        var best = Byte.comma
        var bestScore = (0, 0)
        for (k, candidate) in candidates.enumerated() {
            let perLine = lines.map { $0[k] }.filter { $0 > 0 }
            guard !perLine.isEmpty else { continue }
            var frequency: [Int: Int] = [:]
            for n in perLine { frequency[n, default: 0] += 1 }
            let score = (perLine.count, frequency.values.max() ?? 0)
            if score > bestScore {
                best = candidate
                bestScore = score
            }
        }
        return best
    }

    /// The ASCII characters of UTF-16 text, one byte per code unit (non-ASCII units become `x`).
    static func asciiProjection(ofUTF16 bytes: ArraySlice<UInt8>, littleEndian: Bool) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let unit = littleEndian
                ? UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
                : UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
            result.append(unit < 0x80 ? UInt8(unit) : UInt8(ascii: "x"))
            index += 2
        }
        return result
    }
}
