/// How a workbook's strings are stored: BIFF8 writes UTF-16 (or its compressed low bytes); BIFF5/7
/// writes bytes in the code page of the CODEPAGE record (MS-XLS 2.4.52): 936 = GBK on Chinese
/// Windows, 1252 on Western ones, which is also the default when the record is missing.
struct TextDecoding {
    let biff8: Bool
    let codePage: Int
    private let gbk: GB18030Decoder?
    private let iconv: IConv?

    init(biff8: Bool, codePage: Int) {
        self.biff8 = biff8
        self.codePage = codePage
        gbk = !biff8 && codePage == 936 ? GB18030Decoder() : nil
        iconv = biff8 || codePage == 936 ? nil : Self.iconvName(codePage).flatMap { IConv(from: $0, to: "UTF-8") }
    }

    /// Whether this code page can be decoded here (every code page iconv knows).
    var isSupported: Bool { biff8 || gbk != nil || iconv != nil }

    /// glibc iconv's name for a Windows code page number.
    static func iconvName(_ codePage: Int) -> String? {
        switch codePage {
        case 367: "ASCII"
        case 1200: "UTF-16LE"
        case 10000, 32768: "MACINTOSH"
        // 32769 is what Excel 97 writes for 1252 in BIFF5 files (MS-XLS 2.4.52).
        case 32769: "CP1252"
        case 65001: "UTF-8"
        case 950: "BIG5"
        case 437, 737, 775, 850, 852, 855, 857, 860, 861, 862, 863, 864, 865, 866, 869, 874, 932, 949,
             1250...1258: "CP\(codePage)"
        default: nil
        }
    }

    /// Bytes in the workbook's code page as text; a byte sequence the code page does not define
    /// becomes U+FFFD, so that one stray byte does not make a whole workbook unreadable.
    func decode(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.isEmpty { return "" }
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var output: [UInt8] = []
        var input = Array(bytes)
        if let gbk {
            output = [UInt8](repeating: 0, count: GB18030Decoder.maximumOutput(input.count))
            var consumed = 0
            var produced = 0
            while consumed < input.count {
                let result = input.withUnsafeBufferPointer { source in
                    output.withUnsafeMutableBufferPointer { target in
                        gbk.decode(source.baseAddress! + consumed, input.count - consumed, into: target.baseAddress! + produced)
                    }
                }
                consumed += result.consumed
                produced += result.produced
                if result.stop != .done {
                    // U+FFFD (3 bytes) in place of one byte (at most one byte becomes three bytes anyway).
                    output.replaceSubrange(produced..<(produced + 3), with: [0xEF, 0xBF, 0xBD])
                    produced += 3
                    consumed += 1
                    if output.count < produced + GB18030Decoder.maximumOutput(input.count - consumed) {
                        output += [UInt8](repeating: 0, count: GB18030Decoder.maximumOutput(input.count - consumed))
                    }
                }
            }
            return String(decoding: output[..<produced], as: UTF8.self)
        }
        guard let iconv else { return String(decoding: bytes, as: UTF8.self) }
        var produced = 0
        var consumed = 0
        output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        while consumed < input.count {
            let result = input.withUnsafeMutableBytes { source in
                output.withUnsafeMutableBytes { target in
                    iconv.convert(source.baseAddress! + consumed, source.count - consumed,
                                  into: target.baseAddress! + produced, capacity: target.count - produced)
                }
            }
            consumed += result.consumed
            produced += result.produced
            if result.stop == .invalid || result.stop == .incomplete {
                iconv.reset()
                if output.count < produced + 3 + (input.count - consumed) * 4 { output += [UInt8](repeating: 0, count: input.count * 4 + 16) }
                output.replaceSubrange(produced..<(produced + 3), with: [0xEF, 0xBF, 0xBD])
                produced += 3
                consumed += 1
            } else if result.stop == .outputFull {
                output += [UInt8](repeating: 0, count: input.count * 4 + 16)
            }
        }
        return String(decoding: output[..<produced], as: UTF8.self)
    }
}
