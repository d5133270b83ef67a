/// One paragraph of a WordprocessingML document as annex writes it: a style and runs of plain or bold text.
public struct WordParagraph: Equatable, Sendable {
    /// The paragraph styles of `WordParts.styles`, named after the 公文 parts they print.
    public enum Style: String, Sendable {
        /// 一、… in 黑体.
        case heading1 = "Heading1"
        /// （一）… in 楷体_GB2312.
        case heading2 = "Heading2"
        /// 仿宋_GB2312, first line indented two characters.
        case body = "BodyText"
        /// The 附件 list, indented like the body.
        case attachment = "Attachment"
    }

    public struct Run: Equatable, Sendable {
        public var text: String
        public var bold: Bool

        public init(text: String, bold: Bool = false) {
            self.text = text
            self.bold = bold
        }
    }

    public var style: Style
    public var runs: [Run]

    public init(style: Style, runs: [Run]) {
        self.style = style
        self.runs = runs
    }
}
