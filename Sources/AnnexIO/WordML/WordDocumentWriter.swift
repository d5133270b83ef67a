/// Writes paragraphs as a `.docx` (WordprocessingML) through the zip writer; the file appears whole
/// or not at all (`AtomicOutput`).
public enum WordDocumentWriter {
    public static func write(_ paragraphs: [WordParagraph], to path: String, refusingToOverwrite inputs: [String] = []) throws {
        let output = try AtomicOutput(path: path, refusingToOverwrite: inputs)
        let zip = ZipWriter(level: 6) { try output.write($0) }
        let parts: [(String, String)] = [
            ("[Content_Types].xml", WordParts.contentTypes),
            ("_rels/.rels", WordParts.packageRelationships),
            ("docProps/core.xml", WordParts.core),
            ("docProps/app.xml", WordParts.app),
            ("word/_rels/document.xml.rels", WordParts.documentRelationships),
            ("word/styles.xml", WordParts.styles),
            ("word/settings.xml", WordParts.settings),
            ("word/fontTable.xml", WordParts.fontTable),
            ("word/footer1.xml", WordParts.footer),
        ]
        for (name, text) in parts { try zip.addEntry(name, Array(text.utf8)) }
        try zip.beginEntry("word/document.xml")
        try zip.write(document(paragraphs))
        try zip.endEntry()
        try zip.finish()
        try output.commit()
    }

    /// `word/document.xml`: one `w:p` per paragraph with its style, one `w:r` per run.
    static func document(_ paragraphs: [WordParagraph]) -> [UInt8] {
        let xml = XMLBuffer()
        xml.append(Array(WordParts.declaration.utf8))
        xml.append(Array(#"<w:document xmlns:w="\#(WordParts.mainNamespace)" xmlns:r="\#(WordParts.relationshipNamespace)"><w:body>"#.utf8))
        for paragraph in paragraphs {
            xml.append(#"<w:p><w:pPr><w:pStyle w:val=""#)
            xml.append(Array(paragraph.style.rawValue.utf8))
            xml.append(#""/></w:pPr>"#)
            for run in paragraph.runs {
                xml.append(run.bold ? #"<w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">"# : #"<w:r><w:t xml:space="preserve">"#)
                xml.appendEscapedPlainText(run.text)
                xml.append("</w:t></w:r>")
            }
            xml.append("</w:p>")
        }
        xml.append(Array(WordParts.sectionProperties.utf8))
        xml.append("</w:body></w:document>")
        return Array(xml.bytes)
    }
}
