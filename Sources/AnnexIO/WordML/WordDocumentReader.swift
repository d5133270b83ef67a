/// The text of a `.docx`: `word/document.xml`'s paragraphs in order, runs joined, `w:tab` as a tab
/// and `w:br` as a line break. Field codes (`w:instrText`) and deleted text are not text.
public enum WordDocumentReader {
    public static func paragraphs(path: String, limits: ZipLimits = ZipLimits()) throws -> [String] {
        let zip = try ZipReader(path: path, limits: limits)
        guard let entry = zip.entry(named: "word/document.xml") else {
            throw AnnexError(file: path, reason: "不是 Word 文档（.docx 中没有 word/document.xml）")
        }
        let handler = ParagraphCollector()
        try SAXParser.parse(entry, in: zip, handler: handler)
        return handler.paragraphs
    }

    final class ParagraphCollector: SAXHandler {
        var paragraphs: [String] = []
        private var current: [UInt8] = []
        private var inText = false
        /// `w:tab` is also a tab stop of the paragraph properties; only inside a run is it text.
        private var inRun = false

        func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
            if name.is("r") { inRun = true }
            else if name.is("t") { inText = true }
            else if inRun && name.is("tab") { current.append(9) }
            else if inRun && (name.is("br") || name.is("cr")) { current.append(10) }
        }

        func endElement(_ name: XMLName) throws {
            if name.is("r") { inRun = false }
            else if name.is("t") { inText = false }
            else if name.is("p") {
                paragraphs.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }

        func characters(_ bytes: UnsafeRawBufferPointer) throws {
            if inText { current.append(contentsOf: bytes) }
        }
    }
}
