#if canImport(Glibc)
import Glibc
#endif

/// What a spreadsheet file really is, told by its first bytes and never by its name: district returns
/// arrive as `.xls` that are BIFF, HTML tables or SpreadsheetML 2003 exported by government web
/// systems, or tab-separated text; and as `.xlsx` that are really `.xls` (SPEC.md, legacy `.xls`).
public enum SpreadsheetFormat: String, Sendable, Equatable {
    /// A zip: an OOXML workbook (or an `.ods`, which the workbook reader names).
    case zip
    /// An OLE2 compound file: a BIFF `.xls`, or a workbook encrypted with an open password.
    case compoundFile
    /// A bare BIFF record stream, no compound file around it: Excel 2.x–4.0 (BIFF2–4), which annex
    /// cannot read (SPEC.md: such files get a clear error).
    case oldBIFF
    /// An HTML document holding a `<table>`.
    case html
    /// SpreadsheetML 2003 (`<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`).
    case spreadsheetML2003
    /// Anything else: read as delimited text (CSV, TSV).
    case text

    /// How many leading bytes `sniff` looks at: enough to pass an XML declaration, a DOCTYPE, an
    /// `<?mso-application?>` instruction and the comments some exporters put first.
    public static let sniffLength = 4096

    /// The format of the file at `path` (`.text` when it cannot be read: the reader then says why).
    public static func sniff(path: String) -> SpreadsheetFormat {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .text }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: sniffLength)
        var filled = 0
        while filled < sniffLength {
            let count = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, sniffLength - filled, off_t(filled)) }
            if count <= 0 { break }
            filled += count
        }
        return sniff(head: head[..<filled])
    }

    /// The format of a file that starts with `head`.
    public static func sniff<Bytes: Collection>(head: Bytes) -> SpreadsheetFormat where Bytes.Element == UInt8 {
        let bytes = Array(head.prefix(sniffLength))
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .compoundFile }
        // A BIFF2, BIFF3 or BIFF4 BOF record (type 0x0009, 0x0209, 0x0409) with a plausible length.
        if bytes.count >= 4, bytes[0] == 0x09, [0x00, 0x02, 0x04].contains(bytes[1]), (4...16).contains(bytes[2]), bytes[3] == 0 {
            return .oldBIFF
        }
        let text = asciiLowercased(markupPrefix(bytes))
        guard text.hasPrefix("<") else { return .text }
        if text.contains("urn:schemas-microsoft-com:office:spreadsheet") || text.contains("progid=\"excel.sheet\"") {
            // An HTML export from Excel also names the spreadsheet namespace (xmlns:x=…:excel), never
            // this one; a SpreadsheetML root is `<Workbook`, possibly prefixed (`<ss:Workbook`).
            if !text.contains("<html") { return .spreadsheetML2003 }
        }
        // Exporters also start with a bare `<meta charset>` and a long `<style>` block, so the
        // `<table>` itself may lie past the sniffed bytes.
        if ["<html", "<table", "<!doctype html", "<head", "<body", "<meta", "<title", "<style"].contains(where: text.contains) {
            return .html
        }
        return .text
    }

    /// The file's leading bytes as ASCII-compatible text: a UTF-8 BOM dropped, UTF-16 narrowed to its
    /// low bytes (the markup words sought are ASCII), leading white space skipped. UTF-16 is known by
    /// its BOM or, without one, by a first `<` next to a zero byte (`3C 00`, `00 3C`), which is how
    /// XML detects it (XML 1.0, appendix F).
    private static func markupPrefix(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        var body = bytes[...]
        let withoutMark = bytes.starts(with: [0x3C, 0x00]) || bytes.starts(with: [0x00, 0x3C])
        if body.starts(with: [0xEF, 0xBB, 0xBF]) {
            body = body.dropFirst(3)
        } else if body.starts(with: [0xFF, 0xFE]) || body.starts(with: [0xFE, 0xFF]) || withoutMark {
            let littleEndian = withoutMark ? body.first == 0x3C : body.first == 0xFF
            let units = body.dropFirst(withoutMark ? 0 : 2)
            var narrowed: [UInt8] = []
            var index = units.startIndex
            while index + 1 < units.endIndex {
                let (low, high) = littleEndian ? (units[index], units[index + 1]) : (units[index + 1], units[index])
                narrowed.append(high == 0 ? low : 0x3F)
                index += 2
            }
            body = narrowed[...]
        }
        return body.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    private static func asciiLowercased(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
