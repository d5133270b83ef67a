/// The small package parts written once per workbook: content types, relationships, workbook,
/// document properties. Each renders into an `XMLBuffer`.
enum XLSXParts {
    static let declaration: StaticString = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    struct SheetEntry {
        var name: String
        var printTitles: ClosedRange<Int>?
        /// The sheet has notes: `xl/commentsN.xml` and `xl/drawings/vmlDrawingN.vml`.
        var hasComments = false
    }

    static func contentTypes(sheets: [SheetEntry], hasCustomProperties: Bool = false, into xml: XMLBuffer) {
        let sheetCount = sheets.count
        xml.append(declaration)
        xml.append(#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#)
        xml.append(#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#)
        xml.append(#"<Default Extension="xml" ContentType="application/xml"/>"#)
        if sheets.contains(where: \.hasComments) {
            xml.append(#"<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>"#)
        }
        xml.append(#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#)
        for index in 1...sheetCount {
            xml.append(#"<Override PartName="/xl/worksheets/sheet"#)
            xml.appendInt(index)
            xml.append(#".xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#)
        }
        for (index, sheet) in sheets.enumerated() where sheet.hasComments {
            xml.append(#"<Override PartName="/xl/comments"#)
            xml.appendInt(index + 1)
            xml.append(#".xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>"#)
        }
        xml.append(#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#)
        xml.append(#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#)
        xml.append(#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#)
        xml.append(#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#)
        if hasCustomProperties {
            xml.append(#"<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>"#)
        }
        xml.append("</Types>")
    }

    static func packageRelationships(hasCustomProperties: Bool = false, into xml: XMLBuffer) {
        xml.append(declaration)
        xml.append(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#)
        xml.append(#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#)
        xml.append(#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#)
        xml.append(#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#)
        if hasCustomProperties {
            xml.append(#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/>"#)
        }
        xml.append("</Relationships>")
    }

    /// Sheets are rId1…rIdN, then styles and shared strings.
    static func workbookRelationships(sheetCount: Int, into xml: XMLBuffer) {
        xml.append(declaration)
        xml.append(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#)
        for index in 1...sheetCount {
            xml.append(#"<Relationship Id="rId"#)
            xml.appendInt(index)
            xml.append(#"" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet"#)
            xml.appendInt(index)
            xml.append(#".xml"/>"#)
        }
        xml.append(#"<Relationship Id="rId"#)
        xml.appendInt(sheetCount + 1)
        xml.append(#"" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#)
        xml.append(#"<Relationship Id="rId"#)
        xml.appendInt(sheetCount + 2)
        xml.append(#"" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#)
        xml.append("</Relationships>")
    }

    static func workbook(sheets: [SheetEntry], into xml: XMLBuffer) {
        xml.append(declaration)
        xml.append(#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#)
        xml.append(#"<bookViews><workbookView/></bookViews><sheets>"#)
        for (offset, sheet) in sheets.enumerated() {
            xml.append(#"<sheet name=""#)
            xml.appendEscapedAttribute(sheet.name)
            xml.append(#"" sheetId=""#)
            xml.appendInt(offset + 1)
            xml.append(#"" r:id="rId"#)
            xml.appendInt(offset + 1)
            xml.append(#""/>"#)
        }
        xml.append("</sheets>")
        if sheets.contains(where: { $0.printTitles != nil }) {
            xml.append("<definedNames>")
            for (offset, sheet) in sheets.enumerated() {
                guard let rows = sheet.printTitles else { continue }
                xml.append(#"<definedName name="_xlnm.Print_Titles" localSheetId=""#)
                xml.appendInt(offset)
                xml.append(#"">"#)
                xml.appendEscapedText(quotedSheetName(sheet.name))
                xml.append("!$")
                xml.appendInt(rows.lowerBound + 1)
                xml.append(":$")
                xml.appendInt(rows.upperBound + 1)
                xml.append("</definedName>")
            }
            xml.append("</definedNames>")
        }
        xml.append("</workbook>")
    }

    /// `'Sheet 1'` with inner quotes doubled, as formulas and defined names spell a sheet.
    static func quotedSheetName(_ name: String) -> String {
        var quoted = "'"
        for character in name {
            if character == "'" { quoted += "''" } else { quoted.append(character) }
        }
        return quoted + "'"
    }

    static func coreProperties(_ properties: DocumentProperties, into xml: XMLBuffer) {
        xml.append(declaration)
        xml.append(#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#)
        if let title = properties.title {
            xml.append("<dc:title>")
            xml.appendEscapedPlainText(XMLBuffer.removingForbiddenCharacters(title))
            xml.append("</dc:title>")
        }
        if let creator = properties.creator {
            xml.append("<dc:creator>")
            xml.appendEscapedPlainText(XMLBuffer.removingForbiddenCharacters(creator))
            xml.append("</dc:creator>")
        }
        if let created = properties.created {
            // Validated by the writer (W3CDTF) before anything is written.
            xml.append(#"<dcterms:created xsi:type="dcterms:W3CDTF">"#)
            xml.appendUnescaped(created)
            xml.append("</dcterms:created>")
        }
        xml.append("</cp:coreProperties>")
    }

    /// `docProps/custom.xml` (ECMA-376 Part 1, 22.3): text properties. Every property carries the
    /// fmtid of user-defined properties; pids start at 2 (0 and 1 are reserved).
    static func customProperties(_ properties: [DocumentProperties.Custom], into xml: XMLBuffer) {
        xml.append(declaration)
        xml.append(#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#)
        for (index, property) in properties.enumerated() {
            xml.append(#"<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid=""#)
            xml.appendInt(index + 2)
            xml.append(#"" name=""#)
            xml.appendEscapedAttribute(property.name)
            xml.append(#""><vt:lpwstr>"#)
            xml.appendEscapedText(property.value)
            xml.append("</vt:lpwstr></property>")
        }
        xml.append("</Properties>")
    }

    static func appProperties(sheetNames: [String], into xml: XMLBuffer) {
        xml.append(declaration)
        xml.append(#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#)
        xml.append("<Application>annex</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>")
        xml.append(#"<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>"#)
        xml.appendInt(sheetNames.count)
        xml.append(#"</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size=""#)
        xml.appendInt(sheetNames.count)
        xml.append(#"" baseType="lpstr">"#)
        for name in sheetNames {
            xml.append("<vt:lpstr>")
            xml.appendEscapedPlainText(name)
            xml.append("</vt:lpstr>")
        }
        xml.append("</vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>")
    }
}
