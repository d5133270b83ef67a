/// The fixed parts of the `.docx` that `WordDocumentWriter` writes: package relationships, styles
/// with the 公文 fonts, the A4 page with the 公文 margins, a footer with the page number.
enum WordParts {
    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let contentTypes = declaration + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
        <Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
        <Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>\
        <Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
        </Types>
        """

    static let packageRelationships = declaration + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
        </Relationships>
        """

    static let documentRelationships = declaration + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>\
        <Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>\
        </Relationships>
        """

    /// 三号 (16 pt) text on a fixed 28 pt line, as 公文 (GB/T 9704) sets 22 lines a page.
    static let styles = declaration + """
        <w:styles xmlns:w="\(mainNamespace)">\
        <w:docDefaults><w:rPrDefault><w:rPr>\(fonts("仿宋_GB2312"))<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>\
        <w:pPrDefault><w:pPr><w:spacing w:line="560" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>\
        <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>\
        \(paragraphStyle("Heading1", name: "heading 1", font: "黑体", outline: 0))\
        \(paragraphStyle("Heading2", name: "heading 2", font: "楷体_GB2312", outline: 1))\
        \(paragraphStyle("BodyText", name: "Body Text", font: nil, outline: nil))\
        \(paragraphStyle("Attachment", name: "附件", font: nil, outline: nil))\
        <w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>\
        <w:pPr><w:jc w:val="center"/></w:pPr><w:rPr>\(fonts("宋体"))<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>\
        </w:styles>
        """

    /// The East Asian font, and Times New Roman for digits and Latin letters.
    static func fonts(_ eastAsia: String) -> String {
        #"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="\#(eastAsia)" w:cs="Times New Roman"/>"#
    }

    /// Every paragraph style indents its first line by two characters (w:firstLineChars="200").
    static func paragraphStyle(_ id: String, name: String, font: String?, outline: Int?) -> String {
        let outlineLevel = outline.map { #"<w:outlineLvl w:val="\#($0)"/>"# } ?? ""
        let runProperties = font.map { "<w:rPr>\(fonts($0))</w:rPr>" } ?? ""
        return #"<w:style w:type="paragraph" w:styleId="\#(id)"><w:name w:val="\#(name)"/><w:basedOn w:val="Normal"/><w:qFormat/>"#
            + #"<w:pPr><w:ind w:firstLine="640" w:firstLineChars="200"/>\#(outlineLevel)</w:pPr>\#(runProperties)</w:style>"#
    }

    /// The fonts named by the styles; each falls back to 宋体 where it is not installed.
    static let fontTable = declaration + """
        <w:fonts xmlns:w="\(mainNamespace)">\
        \(["方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312", "宋体"].map(font).joined())\
        <w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>\
        </w:fonts>
        """

    static func font(_ name: String) -> String {
        #"<w:font w:name="\#(name)"><w:altName w:val="宋体"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#
    }

    static let settings = declaration + """
        <w:settings xmlns:w="\(mainNamespace)"><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>\
        <w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>
        """

    /// The page number centred as `— 1 —`, 四号 宋体.
    static let footer = declaration + """
        <w:ftr xmlns:w="\(mainNamespace)"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>\
        <w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>\
        <w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>\
        <w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>
        """

    /// A4 portrait (210 × 297 mm) with the 公文 margins: top 37 mm, bottom 35 mm, left 28 mm,
    /// right 26 mm (1 mm = 56.7 twips).
    static let sectionProperties = #"<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>"#
        + #"<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/>"#
        + #"<w:docGrid w:type="lines" w:linePitch="560"/></w:sectPr>"#

    static let core = declaration + """
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
        xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>annex</dc:creator></cp:coreProperties>
        """

    static let app = declaration + """
        <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>annex</Application></Properties>
        """
}
