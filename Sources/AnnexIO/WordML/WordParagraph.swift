/// One paragraph of a WordprocessingML document as annex writes it: a style and plain text.
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

    public var style: Style
    public var text: String

    public init(style: Style, text: String) {
        self.style = style
        self.text = text
    }
}
