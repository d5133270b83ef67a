/// How a workbook's strings are stored: BIFF8 writes UTF-16 (or its compressed low bytes); BIFF5/7
/// writes bytes in the code page of the CODEPAGE record (MS-XLS 2.4.52): 936 = GBK on Chinese
/// Windows, 1252 on Western ones, which is also the default when the record is missing.
struct TextDecoding {
    let biff8: Bool
    private let gbk: GB18030Decoder?
    private let iconv: IConv?

    init(biff8: Bool, codePage: Int) {
        self.biff8 = biff8
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
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        guard gbk != nil || iconv != nil else { return String(decoding: bytes, as: UTF8.self) }
        let input = Array(bytes)
        var output: [UInt8] = []
        var consumed = 0
        while consumed < input.count {
            // Room for the rest: no code page turns one byte into more than three UTF-8 bytes.
            var chunk = [UInt8](repeating: 0, count: (input.count - consumed) * 4 + 16)
            let result = input.withUnsafeBufferPointer { source in
                chunk.withUnsafeMutableBufferPointer { target in
                    convert(source.baseAddress! + consumed, input.count - consumed, into: target)
                }
            }
            output += chunk[..<result.produced]
            consumed += result.consumed
            if result.stop != .done {
                output += [0xEF, 0xBF, 0xBD]   // U+FFFD for the byte that stopped the decoder
                consumed += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private func convert(_ source: UnsafePointer<UInt8>, _ count: Int,
                         into target: UnsafeMutableBufferPointer<UInt8>) -> (consumed: Int, produced: Int, stop: IConv.Stop) {
        if let gbk { return gbk.decode(source, count, into: target.baseAddress!) }
        guard let iconv else { return (count, 0, .done) }
        let result = iconv.convert(source, count, into: target.baseAddress!, capacity: target.count)
        if result.stop != .done { iconv.reset() }
        return result
    }
}
