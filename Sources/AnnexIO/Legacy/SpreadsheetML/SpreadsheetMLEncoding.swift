/// Whether a SpreadsheetML file must be decoded before libxml2 sees it: when its XML declaration
/// names GB2312, GBK or GB18030. Windows writes GBK characters under the label GB2312, which
/// libxml2's iconv `GB2312` (strict EUC-CN) refuses; GB18030, a superset of both, reads them.
/// UTF-8, UTF-16 (told by libxml2 from the first bytes) and other declared encodings are left to
/// libxml2.
enum SpreadsheetMLEncoding {
    /// The decoder to run before parsing, or nil to let libxml2 decode.
    static func decoderNeeded(head: [UInt8]) -> LegacyCharset? {
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard bytes.starts(with: Array("<?xml".utf8)),
              let end = bytes.firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let declaration = Array(bytes[..<end])
        let name = Array("encoding".utf8)
        guard let start = (0...max(0, declaration.count - name.count)).first(where: {
            declaration[$0...].starts(with: name)
        }) else { return nil }
        let isDelimiter = { (byte: UInt8) in byte == 0x20 || byte == UInt8(ascii: "=") || byte == 0x22 || byte == 0x27 }
        let label = declaration[(start + name.count)...].drop(while: isDelimiter).prefix { !isDelimiter($0) && $0 != UInt8(ascii: "?") }
        let charset = LegacyCharset(label: String(decoding: label, as: UTF8.self))
        return charset == .gb18030 ? charset : nil
    }
}
