/// A note (comment) on a cell, as Excel and LibreOffice show it: a yellow box on hover, a red corner.
public struct XLSXComment: Hashable, Sendable {
    public var cell: CellReference
    public var text: String
    public var author: String

    public init(cell: CellReference, text: String, author: String = "annex") {
        self.cell = cell
        self.text = text
        self.author = author
    }
}

/// Comments and hyperlinks of one worksheet.
public struct XLSXSheetAnnotations: Sendable {
    public var comments: [XLSXComment]
    public var hyperlinks: [XLSXHyperlink]

    public init(comments: [XLSXComment] = [], hyperlinks: [XLSXHyperlink] = []) {
        self.comments = comments
        self.hyperlinks = hyperlinks
    }

    var isEmpty: Bool { comments.isEmpty && hyperlinks.isEmpty }
}

/// The parts behind a sheet's notes, written by `XLSXWriter.endSheet(merged:annotations:)`: the
/// comments part (`xl/commentsN.xml`), the legacy VML drawing that displays them
/// (`xl/drawings/vmlDrawingN.vml`, which Excel still requires for notes) and the sheet's relationships.
enum XLSXCommentParts {
    static let vmlRelationshipID = "rIdAnnexVml"

    static func sheetRelationships(sheetNumber n: Int) -> String {
        XLSXParts.declaration.description
            + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + #"<Relationship Id="rIdAnnexComments" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments\#(n).xml"/>"#
            + #"<Relationship Id="\#(vmlRelationshipID)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="../drawings/vmlDrawing\#(n).vml"/>"#
            + "</Relationships>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\r", "\t": out += "&#\(scalar.value);"
            default:
                // Control characters are not allowed in XML 1.0.
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func commentsPart(_ comments: [XLSXComment]) -> String {
        var authors: [String] = []
        for comment in comments where !authors.contains(comment.author) { authors.append(comment.author) }
        var xml = XLSXParts.declaration.description
        xml += #"<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors>"#
        xml += authors.map { "<author>\(escape($0))</author>" }.joined()
        xml += "</authors><commentList>"
        for comment in sorted(comments) {
            xml += #"<comment ref="\#(comment.cell)" authorId="\#(authors.firstIndex(of: comment.author)!)"><text>"#
            xml += runs(comment) + "</text></comment>"
        }
        return xml + "</commentList></comments>"
    }

    /// The rich-text runs of a note: the author in bold, then the text on the next line. `prefix` is the
    /// part's SpreadsheetML prefix with its colon (empty for the default namespace); `continuing` starts
    /// the author on a new line, after another author's text in the same comment.
    static func runs(_ comment: XLSXComment, prefix p: String = "", continuing: Bool = false) -> String {
        let text = String(comment.text.prefix(32_000)).replacing("\r\n", with: "\n")
        return "<\(p)r><\(p)rPr><\(p)b/><\(p)sz val=\"9\"/><\(p)rFont val=\"宋体\"/></\(p)rPr><\(p)t xml:space=\"preserve\">\(continuing ? "\n" : "")\(escape(comment.author)):</\(p)t></\(p)r>"
            + "<\(p)r><\(p)rPr><\(p)sz val=\"9\"/><\(p)rFont val=\"宋体\"/></\(p)rPr><\(p)t xml:space=\"preserve\">"
            + escape("\n" + text).replacing("&#10;", with: "\n") + "</\(p)t></\(p)r>"
    }

    /// One comment per cell, row-major.
    static func sorted(_ comments: [XLSXComment]) -> [XLSXComment] {
        var seen: Set<CellReference> = []
        return comments.sorted { $0.cell < $1.cell }.filter { seen.insert($0.cell).inserted }
    }

    /// The shape type of a note box, which each note's shape refers to (`#_x0000_t202`).
    static let noteShapeType = #"<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">"#
        + #"<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>"#

    /// The legacy VML drawing that positions each note box (hidden until the cell is hovered).
    static func vmlPart(_ comments: [XLSXComment], sheetNumber: Int) -> String {
        var xml = #"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">"#
        xml += #"<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="\#(sheetNumber)"/></o:shapelayout>"#
        xml += noteShapeType
        for (index, comment) in sorted(comments).enumerated() {
            xml += vmlShape(comment, id: sheetNumber * 1024 + index + 1, zIndex: index + 1)
        }
        return xml + "</xml>"
    }

    /// One note box: VML shape `_x0000_s<id>` anchored beside the cell.
    static func vmlShape(_ comment: XLSXComment, id: Int, zIndex: Int) -> String {
        let row = comment.cell.row, column = comment.cell.column
        // Anchor: left column, offset, top row, offset, right column, offset, bottom row, offset.
        let anchor = "\(column + 1), 15, \(max(0, row - 1)), 10, \(column + 4), 15, \(max(0, row - 1) + 5), 4"
        var xml = ##"<v:shape id="_x0000_s\##(id)" type="#_x0000_t202" style="position:absolute;margin-left:80pt;margin-top:2pt;width:220pt;height:80pt;z-index:\##(zIndex);visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">"##
        xml += ##"<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>"##
        xml += #"<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>"#
        xml += #"<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>\#(anchor)</x:Anchor>"#
        return xml + "<x:AutoFill>False</x:AutoFill><x:Row>\(row)</x:Row><x:Column>\(column)</x:Column></x:ClientData></v:shape>"
    }
}
