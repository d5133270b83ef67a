/// The drafted 通报 as Markdown or plain text (UTF-8), one paragraph per line with a blank line
/// between, as people paste it into a document.
public enum NoticePlainText {
    /// Headings as `##` (一、) and `###` (（一）); bold labels as `**…**`.
    public static func markdown(_ document: NoticeDocument) -> String {
        render(document) { paragraph in
            switch paragraph.kind {
            case .heading(let level): String(repeating: "#", count: level + 1) + " " + paragraph.text
            case .body, .attachment: paragraph.runs.map { $0.bold ? "**\($0.text)**" : $0.text }.joined()
            }
        }
    }

    /// Paragraphs indented by two ideographic spaces, as a 公文 indents its first lines.
    public static func text(_ document: NoticeDocument) -> String {
        render(document) { paragraph in
            switch paragraph.kind {
            case .heading, .attachment: paragraph.text
            case .body: "\u{3000}\u{3000}" + paragraph.text
            }
        }
    }

    static func render(_ document: NoticeDocument, _ line: (NoticeDocument.Paragraph) -> String) -> String {
        document.paragraphs.map(line).joined(separator: "\n\n") + "\n"
    }
}
