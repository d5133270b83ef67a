/// The character encoding of a text "xls" (an HTML table, SpreadsheetML), as `LegacyTextDecoder`
/// decodes it.
enum LegacyCharset: Equatable {
    case utf8
    /// GBK and GB2312 are subsets of GB18030, so all three are decoded as GB18030.
    case gb18030
    case utf16LE
    case utf16BE
    /// Any other label, handed to iconv as it is spelled (`big5`, `windows-1252`).
    case other(String)

    /// Maps an encoding label to a decoder. Labels for a UTF-16 page read as ASCII bytes cannot be
    /// true (the bytes would not be ASCII), so they are taken as UTF-8, as the HTML Standard says.
    init?(label: String) {
        let folded = label.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch folded {
        case "": return nil
        case "utf8", "unicode11utf8", "utf16", "utf16le", "utf16be", "unicode": self = .utf8
        case "gbk", "gb2312", "gb18030", "xgbk", "cp936", "ms936", "windows936", "euccn", "chinese", "csgb2312", "gb231280":
            self = .gb18030
        case "iso88591", "latin1", "usascii", "ascii", "windows1252", "cp1252":
            self = .other("WINDOWS-1252")   // the HTML Standard reads all of these as windows-1252
        default: self = .other(label)
        }
    }

    /// The name for messages.
    var displayName: String {
        switch self {
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        case .utf16LE: "UTF-16LE"
        case .utf16BE: "UTF-16BE"
        case .other(let label): label
        }
    }
}
