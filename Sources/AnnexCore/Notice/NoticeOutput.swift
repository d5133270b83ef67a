/// Writes a drafted 通报 in the format its file name asks for: `.docx`, `.md`, or plain text.
public enum NoticeOutput {
    public enum Format: String, CaseIterable, Sendable {
        case docx, md, txt
    }

    /// The format of `path` by its extension; nil for any other.
    public static func format(of path: String) -> Format? {
        guard let dot = path.lastIndex(of: ".") else { return nil }
        return Format(rawValue: path[path.index(after: dot)...].lowercased())
    }

    public static func write(_ document: NoticeDocument, to path: String, refusingToOverwrite inputs: [String]) throws {
        switch format(of: path) {
        case .docx: try WordDocumentWriter.write(wordParagraphs(document), to: path, refusingToOverwrite: inputs)
        case .md: try writeText(NoticePlainText.markdown(document), to: path, inputs: inputs)
        case .txt, nil: try writeText(NoticePlainText.text(document), to: path, inputs: inputs)
        }
    }

    static func writeText(_ text: String, to path: String, inputs: [String]) throws {
        let output = try AtomicOutput(path: path, refusingToOverwrite: inputs)
        try output.write(text)
        try output.commit()
    }

    static func wordParagraphs(_ document: NoticeDocument) -> [WordParagraph] {
        document.paragraphs.map { paragraph in
            let style: WordParagraph.Style = switch paragraph.kind {
            case .heading(let level): level == 1 ? .heading1 : .heading2
            case .body: .body
            case .attachment: .attachment
            }
            return WordParagraph(style: style, runs: paragraph.runs.map { WordParagraph.Run(text: $0.text, bold: $0.bold) })
        }
    }
}
