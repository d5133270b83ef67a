/// The text of a written 通报: a `.docx`'s paragraphs, or a text or Markdown file in UTF-8 or GB18030.
public enum NoticeText {
    public static func read(path: String, zipLimits: ZipLimits = ZipLimits()) throws -> String {
        if NoticeOutput.format(of: path) == .docx {
            return try WordDocumentReader.paragraphs(path: path, limits: zipLimits).joined(separator: "\n")
        }
        return try TextFile.read(path: path)
    }
}
