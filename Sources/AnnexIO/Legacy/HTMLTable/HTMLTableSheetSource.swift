/// An HTML page saved as `.xls` — what many OA and statistics systems (and Excel's "Web page" save)
/// export — read as a workbook: each `<table>` is a sheet, in the order of the start tags.
///
/// Sheet names: the table's `<caption>`; else, when the page has one table, the page `<title>`;
/// else `Sheet1`, `Sheet2`, … by position. Repeated names get ` (2)`, ` (3)`.
/// The file is parsed once when opened (for the names) and once per sheet read, streaming: memory
/// holds one row, the open elements and the row spans still open, never the file.
public final class HTMLTableSheetSource: SheetSource {
    public let path: String
    public let sheetNames: [String]
    private let classFormats: HTMLClassFormats

    public init(path: String) throws {
        self.path = path
        let survey = HTMLTableSurvey(file: path)
        try Self.parse(path: path, handler: survey)
        guard !survey.captions.isEmpty else {
            let title = survey.title.map { "（标题“\($0)”）" } ?? ""
            throw AnnexError(file: path, reason: "这是一个 HTML 网页\(title)，其中没有表格（<table>），不是可以读取的电子表格")
        }
        var names: [String] = []
        for (index, caption) in survey.captions.enumerated() {
            let base = caption ?? (survey.captions.count == 1 ? survey.title : nil) ?? "Sheet\(index + 1)"
            var name = base
            var copy = 2
            while names.contains(name) {
                name = "\(base) (\(copy))"
                copy += 1
            }
            names.append(name)
        }
        sheetNames = names
        classFormats = HTMLClassFormats(css: survey.css)
    }

    @discardableResult
    public func readRows(at index: Int, onRow: @escaping (RowView) throws -> Void) throws -> [CellRange] {
        let reader = HTMLTableRowReader(file: path, sheetName: sheetNames[index], target: index, classFormats: classFormats,
                                        onRow: onRow)
        do {
            try Self.parse(path: path, handler: reader)
            try reader.finish()
        } catch is HTMLTableRowReader.Finished {
            // The table ended: the rest of the page is not needed.
        }
        return reader.merged
    }

    /// Streams the file through the decoder and libxml2's HTML parser into `handler`.
    static func parse(path: String, handler: HTMLEventHandler) throws {
        let parser = HTMLPushParser(handler: handler, file: path)
        var decoder: LegacyTextDecoder?
        var head: [UInt8] = []
        let feed = { (bytes: UnsafeRawBufferPointer) throws in
            try decoder!.decode(bytes) { try parser.feed($0) }
        }
        // The first chunks are held until the encoding is known (a meta tag within the first 8 KiB).
        let startDecoding = { (complete: Bool) throws in
            let (charset, mark) = head.withUnsafeBytes { HTMLCharset.detect($0, complete: complete) }
            decoder = try LegacyTextDecoder(charset: charset, file: path)
            try head.withUnsafeBytes { try feed(UnsafeRawBufferPointer(rebasing: $0[mark...])) }
            head = []
        }
        try FileChunks.forEach(path: path) { chunk in
            if decoder != nil { return try feed(chunk) }
            head += chunk
            if head.count >= HTMLCharset.prescanLength { try startDecoding(false) }
        }
        if decoder == nil { try startDecoding(true) }
        try decoder!.finish()
        try parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), final: true)
    }
}
