/// Turns the bytes of a text "xls" into UTF-8 for libxml2, chunk by chunk. The parser is then told
/// to ignore the file's own declaration (`<meta charset>`, `<?xml encoding?>`: the `IGNORE_ENC`
/// options), so the encoding is decided here and bytes that are not valid in it are refused with
/// their position instead of becoming wrong characters: libxml2 falls back to Latin-1 in HTML, and
/// its iconv `GB2312` refuses the GBK characters that Windows writes under that label.
final class LegacyTextDecoder {
    private enum Mode {
        /// Nothing declared and only ASCII seen so far.
        case undecided
        case utf8
        case gb18030(GB18030Decoder)
        case iconv(IConv)
    }

    private var mode: Mode
    private var name: String
    private let file: String
    /// The start of a character cut by the end of the previous chunk.
    private var carry: [UInt8] = []
    /// Bytes of the file consumed so far, for messages.
    private var offset = 0
    private var output: UnsafeMutablePointer<UInt8>
    private var outputCapacity = 0

    init(charset: LegacyCharset?, file: String) throws {
        self.file = file
        name = charset?.displayName ?? "UTF-8"
        switch charset {
        case nil: mode = .undecided
        case .utf8?: mode = .utf8
        case .gb18030?: mode = try Self.gb18030(file)
        case .utf16LE?: mode = try Self.iconv("UTF-16LE", file)
        case .utf16BE?: mode = try Self.iconv("UTF-16BE", file)
        case .other(let label)?: mode = try Self.iconv(label, file)
        }
        // Allocated only once nothing can throw: a throwing initializer runs no deinit (a leak the
        // fuzzer found with an unknown charset label).
        output = .allocate(capacity: 1)
    }

    deinit { output.deallocate() }

    /// Decodes `chunk` (after any carried bytes) and passes the UTF-8 to `emit`.
    func decode(_ chunk: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if carry.isEmpty {
            try decodeWhole(chunk.bindMemory(to: UInt8.self), emit: emit)
        } else {
            let joined = carry + chunk
            carry = []
            try joined.withUnsafeBufferPointer { try decodeWhole($0, emit: emit) }
        }
    }

    /// Refuses a file that ends inside a character.
    func finish() throws {
        if !carry.isEmpty {
            throw AnnexError(file: file, reason: "文件末尾有一个不完整的 \(name) 字符")
        }
    }

    private func decodeWhole(_ input: UnsafeBufferPointer<UInt8>, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        let used = try decode(base, input.count, emit: emit)
        carry = Array(input[used...])
        offset += used
        if carry.count > 16 { throw invalid(at: used, base[used]) }
    }

    /// Returns how many bytes were consumed; the rest start an incomplete character.
    private func decode(_ p: UnsafePointer<UInt8>, _ count: Int, emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        switch mode {
        case .undecided:
            let ascii = ByteScan.firstNonASCII(p, count)
            try emit(UnsafeRawBufferPointer(start: p, count: ascii))
            if ascii == count { return count }
            let (valid, status) = ByteScan.validateUTF8(p + ascii, count - ascii)
            if status == .invalid {
                mode = try Self.gb18030(file)
                name = "GB18030"
            } else if valid > 0 {
                mode = .utf8
            } else {
                return ascii   // one cut character: decide with the next chunk
            }
            offset += ascii
            let used = try decode(p + ascii, count - ascii, emit: emit)
            offset -= ascii
            return ascii + used
        case .utf8:
            let (valid, status) = ByteScan.validateUTF8(p, count)
            try emit(UnsafeRawBufferPointer(start: p, count: valid))
            if status == .invalid { throw invalid(at: valid, p[valid]) }
            return valid
        case .gb18030(let decoder):
            reserveOutput(GB18030Decoder.maximumOutput(count))
            let result = decoder.decode(p, count, into: output)
            try emit(UnsafeRawBufferPointer(start: output, count: result.produced))
            if result.stop == .invalid { throw invalid(at: result.consumed, p[result.consumed]) }
            return result.consumed
        case .iconv(let converter):
            reserveOutput(count * 4 + 16)
            var consumed = 0
            while true {
                let result = converter.convert(p + consumed, count - consumed, into: output, capacity: outputCapacity)
                try emit(UnsafeRawBufferPointer(start: output, count: result.produced))
                consumed += result.consumed
                switch result.stop {
                case .done, .incomplete: return consumed
                case .outputFull: continue
                case .invalid:
                    converter.reset()
                    throw invalid(at: consumed, p[consumed])
                }
            }
        }
    }

    private func reserveOutput(_ capacity: Int) {
        guard capacity > outputCapacity else { return }
        output.deallocate()
        output = .allocate(capacity: capacity)
        outputCapacity = capacity
    }

    private func invalid(at position: Int, _ byte: UInt8) -> AnnexError {
        let hex = String(byte, radix: 16, uppercase: true)
        return AnnexError(file: file, location: "第 \(offset + position + 1) 字节",
                          reason: "有不是有效 \(name) 编码的字节（0x\(hex.count == 1 ? "0" + hex : hex)），请确认文件声明的字符集")
    }

    private static func gb18030(_ file: String) throws -> Mode {
        guard let decoder = GB18030Decoder() else {
            throw AnnexError(file: file, reason: "这台机器的 iconv 不支持 GB18030 编码")
        }
        return .gb18030(decoder)
    }

    private static func iconv(_ label: String, _ file: String) throws -> Mode {
        guard let converter = IConv(from: label, to: "UTF-8") else {
            throw AnnexError(file: file, reason: "文件声明的字符集“\(label)”无法识别（iconv 不支持）")
        }
        return .iconv(converter)
    }
}
