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

/// Adds comments and internal hyperlinks to a workbook that `XLSXWriter` wrote, as a copy: every part
/// is carried over, the annotated worksheets get `<hyperlinks>` and `<legacyDrawing>`, a relationship
/// part, a comments part (`xl/commentsN.xml`) and the VML drawing that displays the notes
/// (`xl/drawings/vmlDrawingN.vml`); `[Content_Types].xml` declares them. The output appears
/// atomically (`AtomicOutput`), the source is only read.
///
/// `XLSXWriter` streams sheets and has no place for these parts, so they are added after it finishes.
/// Element order follows CT_Worksheet: `hyperlinks` after `mergeCells` and before `pageMargins`,
/// `legacyDrawing` last.
public enum XLSXAnnotations {
    static let relationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let commentsType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
    static let vmlType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"

    /// Copies `source` to `destination`, annotating sheets by zero-based workbook position.
    public static func write(source: String, to destination: String, annotations: [Int: XLSXSheetAnnotations],
                             refusingToOverwrite inputs: [String] = [], compressionLevel: Int32 = 6) throws {
        let reader = try ZipReader(path: source, limits: .unlimited)
        var parts: [(name: String, bytes: [UInt8])] = try reader.entries.filter { !$0.isDirectory }.map { ($0.name, try reader.data($0)) }
        func text(_ name: String) -> String? {
            parts.first { $0.name == name }.map { String(decoding: $0.bytes, as: UTF8.self) }
        }
        func replace(_ name: String, _ text: String) {
            if let index = parts.firstIndex(where: { $0.name == name }) { parts[index].bytes = Array(text.utf8) }
            else { parts.append((name, Array(text.utf8))) }
        }
        let sheetParts = try worksheetParts(workbook: text("xl/workbook.xml") ?? "",
                                            relationships: text("xl/_rels/workbook.xml.rels") ?? "", file: source)
        var contentTypes = text("[Content_Types].xml") ?? ""
        var commentCount = 0
        for (index, annotation) in annotations.sorted(by: { $0.key < $1.key }) where !annotation.isEmpty {
            guard index < sheetParts.count, var sheet = text(sheetParts[index]) else {
                throw AnnexError(file: source, reason: "没有第 \(index + 1) 个工作表，无法添加批注")
            }
            let part = sheetParts[index]
            if !annotation.hyperlinks.isEmpty {
                let links = XLSXHyperlink.element(annotation.hyperlinks)
                let before = ["<printOptions", "<pageMargins", "<pageSetup", "<headerFooter", "<drawing", "<legacyDrawing", "</worksheet>"]
                    .compactMap { sheet.firstRange(of: $0) }.min { $0.lowerBound < $1.lowerBound }!
                sheet.insert(contentsOf: links, at: before.lowerBound)
            }
            if !annotation.comments.isEmpty {
                commentCount += 1
                let folder = part.split(separator: "/").dropLast().joined(separator: "/")
                let file = String(part.split(separator: "/").last!)
                let relsName = folder + "/_rels/" + file + ".rels"
                var rels = text(relsName) ?? XLSXParts.declaration.description
                    + #"<Relationships xmlns="\#(relationshipsNamespace)"></Relationships>"#
                let commentsName = "xl/comments\(commentCount).xml"
                let vmlName = "xl/drawings/vmlDrawing\(commentCount).vml"
                let commentsID = "rIdAnnexComments", vmlID = "rIdAnnexVml"
                rels = rels.replacing("</Relationships>", with:
                    #"<Relationship Id="\#(commentsID)" Type="\#(commentsType)" Target="\#(relative(from: folder, to: commentsName))"/>"#
                    + #"<Relationship Id="\#(vmlID)" Type="\#(vmlType)" Target="\#(relative(from: folder, to: vmlName))"/>"#
                    + "</Relationships>")
                replace(relsName, rels)
                replace(commentsName, commentsPart(annotation.comments))
                replace(vmlName, vmlPart(annotation.comments, sheetNumber: commentCount))
                guard let end = sheet.ranges(of: "</worksheet>").last else {
                    throw AnnexError(file: source, location: part, reason: "工作表部件不完整")
                }
                sheet.insert(contentsOf: #"<legacyDrawing r:id="\#(vmlID)"/>"#, at: end.lowerBound)
                if !sheet.contains("xmlns:r=") {
                    sheet = sheet.replacing("<worksheet ", with: #"<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#)
                }
                contentTypes = contentTypes.replacing("</Types>", with:
                    #"<Override PartName="/\#(commentsName)" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/></Types>"#)
            }
            replace(part, sheet)
        }
        if commentCount > 0 && !contentTypes.contains(#"Extension="vml""#) {
            contentTypes = contentTypes.replacing("<Override ", with:
                #"<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/><Override "#,
                maxReplacements: 1)
        }
        replace("[Content_Types].xml", contentTypes)

        let output = try AtomicOutput(path: destination, refusingToOverwrite: inputs + [source])
        do {
            let zip = ZipWriter(level: compressionLevel) { try output.write($0) }
            // [Content_Types].xml first, as Office writes it; the rest in their original order.
            for part in parts.sorted(by: { ($0.name == "[Content_Types].xml" ? 0 : 1) < ($1.name == "[Content_Types].xml" ? 0 : 1) }) {
                try zip.addEntry(part.name, part.bytes)
            }
            try zip.finish()
            try output.commit()
        } catch {
            output.abandon()
            throw error
        }
    }

    /// The worksheet part of each `<sheet>` of the workbook, in workbook order.
    static func worksheetParts(workbook: String, relationships: String, file: String) throws -> [String] {
        var targets: [String: String] = [:]
        for element in elements("Relationship", in: relationships) {
            if let id = attribute("Id", in: element), let target = attribute("Target", in: element) {
                targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            }
        }
        return try elements("sheet", in: workbook).map { element in
            guard let id = attribute("r:id", in: element), let target = targets[id] else {
                throw AnnexError(file: file, location: "xl/workbook.xml", reason: "工作表缺少关系")
            }
            return target
        }
    }

    static func elements(_ name: String, in xml: String) -> [Substring] {
        var result: [Substring] = []
        var rest = xml[...]
        while let start = rest.firstRange(of: "<" + name + " ") {
            guard let end = rest[start.upperBound...].firstRange(of: ">") else { break }
            result.append(rest[start.lowerBound..<end.upperBound])
            rest = rest[end.upperBound...]
        }
        return result
    }

    static func attribute(_ name: String, in element: Substring) -> String? {
        guard let start = element.firstRange(of: " " + name + "=\"") else { return nil }
        let value = element[start.upperBound...]
        guard let end = value.firstIndex(of: "\"") else { return nil }
        return String(value[..<end])
    }

    /// A target relative to the folder of the part that refers to it (`xl/worksheets` → `../comments1.xml`).
    static func relative(from folder: String, to name: String) -> String {
        let depth = folder.split(separator: "/").count - 1   // below xl/
        return String(repeating: "../", count: max(0, depth)) + name.dropFirst(3)
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
            let text = String(comment.text.prefix(32_000)).replacing("\r\n", with: "\n")
            xml += #"<comment ref="\#(comment.cell)" authorId="\#(authors.firstIndex(of: comment.author)!)"><text>"#
            xml += #"<r><rPr><b/><sz val="9"/><rFont val="宋体"/></rPr><t xml:space="preserve">\#(escape(comment.author)):</t></r>"#
            xml += #"<r><rPr><sz val="9"/><rFont val="宋体"/></rPr><t xml:space="preserve">"#
            xml += escape("\n" + text).replacing("&#10;", with: "\n")
            xml += "</t></r></text></comment>"
        }
        return xml + "</commentList></comments>"
    }

    /// One comment per cell, row-major.
    static func sorted(_ comments: [XLSXComment]) -> [XLSXComment] {
        var seen: Set<CellReference> = []
        return comments.sorted { $0.cell < $1.cell }.filter { seen.insert($0.cell).inserted }
    }

    /// The legacy VML drawing that positions each note box (hidden until the cell is hovered).
    static func vmlPart(_ comments: [XLSXComment], sheetNumber: Int) -> String {
        var xml = #"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">"#
        xml += #"<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="\#(sheetNumber)"/></o:shapelayout>"#
        xml += #"<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">"#
        xml += #"<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>"#
        for (index, comment) in sorted(comments).enumerated() {
            let row = comment.cell.row, column = comment.cell.column
            // Anchor: left column, offset, top row, offset, right column, offset, bottom row, offset.
            let anchor = "\(column + 1), 15, \(max(0, row - 1)), 10, \(column + 4), 15, \(max(0, row - 1) + 5), 4"
            xml += ##"<v:shape id="_x0000_s\##(sheetNumber * 1024 + index + 1)" type="#_x0000_t202" style="position:absolute;margin-left:80pt;margin-top:2pt;width:220pt;height:80pt;z-index:\##(index + 1);visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">"##
            xml += ##"<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>"##
            xml += #"<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>"#
            xml += #"<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>\#(anchor)</x:Anchor>"#
            xml += "<x:AutoFill>False</x:AutoFill><x:Row>\(row)</x:Row><x:Column>\(column)</x:Column></x:ClientData></v:shape>"
        }
        return xml + "</xml>"
    }
}
