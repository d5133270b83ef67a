/// Writes a marked copy of an .xlsx that keeps the workbook as it was sent: every zip member is copied
/// unchanged (its compressed bytes, not re-deflated) except the few the marks need — the marked
/// sheets, `styles.xml` (appended fills and cell formats), the comments and VML drawing parts, the
/// workbook, its relationships and `[Content_Types].xml` — plus the added sheet. Parts are found through
/// relationships (ECMA-376 Part 2, 9.3), never by fixed path. The copy appears atomically.
public enum WorkbookPatcher {
    /// The workbook has a shape the patcher does not edit (Strict conformance, no styles part…);
    /// the caller can rebuild the copy instead.
    public struct Unsupported: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    public static func write(_ patch: WorkbookPatch, from source: String, to output: String,
                             refusingToOverwrite inputs: [String] = [], limits: ZipLimits = ZipLimits()) throws {
        let zip = try ZipReader(path: source, limits: limits)
        var package = try Package(zip: zip)
        try package.apply(patch)
        let file = try AtomicOutput(path: output, refusingToOverwrite: inputs + [source])
        do {
            // Level 1: only the rewritten parts are compressed, and a large sheet deflates 5× faster
            // than at level 6 for about a fifth more bytes; copied parts keep their own compression.
            let writer = ZipWriter(level: 1, sink: file.write)
            for entry in zip.entries {
                if let bytes = package.replaced[entry.name.lowercased()] {
                    try writer.addEntry(entry.name, bytes)
                } else if let patcher = package.sheets[entry.name.lowercased()] {
                    try writer.beginEntry(entry.name)
                    try zip.stream(entry) { try writer.write(patcher.feed($0)) }
                    try writer.write(patcher.finish())
                    try writer.endEntry()
                } else {
                    try writer.copyEntry(entry, from: zip)
                }
            }
            for (name, bytes) in package.added { try writer.addEntry(name, bytes) }
            try writer.finish()
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }

    /// The source package and the parts the patch replaces or adds, by part name.
    private struct Package {
        let zip: ZipReader
        let workbookPart: String
        let sheetList: [XLSXReader.SheetInfo]
        let stylesPart: String
        var replaced: [String: [UInt8]] = [:]
        /// Marked sheets, patched as they stream into the copy.
        var sheets: [String: SheetPatcher] = [:]
        var added: [(String, [UInt8])] = []
        var contentTypes: PackagePatcher.ContentTypes
        var workbookRelationships: PackagePatcher.Relationships
        var styles: StylesPatcher
        /// The next block of 1024 VML shape ids free in the whole package.
        var nextShapeBlock: Int

        init(zip: ZipReader) throws {
            self.zip = zip
            let reader = try XLSXReader(path: zip.path, limits: zip.limits)
            sheetList = reader.sheets
            let root = try RelationshipsPart.read(for: "", in: zip)
            guard let workbook = root.first(where: { $0.kind == "officeDocument" })?.target.flatMap({ zip.entry(named: $0) }) else {
                throw Unsupported(reason: "找不到工作簿部件的关系")
            }
            workbookPart = workbook.name
            guard let types = zip.entry(named: "[Content_Types].xml") else { throw Unsupported(reason: "缺少 [Content_Types].xml") }
            contentTypes = PackagePatcher.ContentTypes(bytes: try zip.data(types))
            let workbookBytes = try zip.data(workbook)
            if String(decoding: workbookBytes.prefix(2048), as: UTF8.self).contains("purl.oclc.org/ooxml") {
                throw Unsupported(reason: "Strict 格式的工作簿")
            }
            let relationships = try RelationshipsPart.read(for: workbookPart, in: zip)
            guard let styles = relationships.first(where: { $0.kind == "styles" })?.target.flatMap({ zip.entry(named: $0) }) else {
                throw Unsupported(reason: "工作簿没有样式部件")
            }
            stylesPart = styles.name
            let stylesBytes = try zip.data(styles)
            do { self.styles = try StylesPatcher(stylesBytes) } catch { throw Unsupported(reason: error.reason) }
            workbookRelationships = PackagePatcher.Relationships(
                existing: try zip.entry(named: RelationshipsPart.relationshipsPath(for: workbookPart)).map { try zip.data($0) })
            var largestShape = 0
            for entry in zip.entries where entry.name.lowercased().hasSuffix(".vml") {
                let text = String(decoding: try zip.data(entry), as: UTF8.self)
                for match in text.matches(of: /_x0000_s(\d+)/) { largestShape = max(largestShape, Int(match.1) ?? 0) }
            }
            nextShapeBlock = largestShape / 1024 + 1
            replaced[workbookPart.lowercased()] = workbookBytes
        }

        mutating func apply(_ patch: WorkbookPatch) throws {
            for sheet in sheetList {
                guard let marks = patch.marks[sheet.name], !marks.isEmpty, let part = sheet.part,
                      let entry = zip.entry(named: part) else { continue }
                try mark(sheetPart: entry.name, marks: marks, author: patch.noteAuthor)
            }
            try addSheet(patch.addedSheet, links: patch.addedSheetLinks)
            replaced[stylesPart.lowercased()] = styles.render()
            replaced["[content_types].xml"] = contentTypes.bytes
            replaced[RelationshipsPart.relationshipsPath(for: workbookPart).lowercased()] = workbookRelationships.bytes
        }

        /// A first pass over the sheet finds each filled cell's current style and the sheet's legacy
        /// drawing, so that styles, comments and relationships are settled before anything is written;
        /// the sheet itself is patched while it is copied.
        private mutating func mark(sheetPart part: String, marks: [CellReference: WorkbookPatch.Mark], author: String) throws {
            let entry = zip.entry(named: part)!
            let filled = Set(marks.filter { $0.value.fill != nil }.keys)
            var current: [CellReference: Int] = [:]
            let survey = SheetPatcher(cells: filled) { cell, style in current[cell] = style; return style }
            try zip.stream(entry) { _ = survey.feed($0) }
            _ = survey.finish()
            var restyled: [CellReference: Int] = [:]
            for (cell, style) in current {
                restyled[cell] = styles.withFill(styles.solidFill(marks[cell]!.fill!), derivedFrom: style)
            }
            let notes = marks.compactMap { cell, mark in mark.note.map { XLSXComment(cell: cell, text: $0, author: author) } }
            let drawingID = notes.isEmpty ? nil
                : try attach(notes, toSheet: part, legacyDrawingID: survey.existingLegacyDrawingID)
            sheets[entry.name.lowercased()] = SheetPatcher(cells: filled, legacyDrawingID: drawingID) { cell, _ in restyled[cell]! }
        }

        /// Puts the notes into the sheet's comments part and VML drawing, existing or new. Returns the
        /// relationship id of a new VML drawing the sheet must reference, or nil.
        private mutating func attach(_ notes: [XLSXComment], toSheet part: String, legacyDrawingID: String?) throws -> String? {
            let relationshipsPath = RelationshipsPart.relationshipsPath(for: part)
            let existing = try RelationshipsPart.read(for: part, in: zip)
            var relationships = PackagePatcher.Relationships(
                existing: try zip.entry(named: relationshipsPath).map { try zip.data($0) })
            let folder = RelationshipsPart.split(part).folder
            let vml = legacyDrawingID.flatMap { id in existing.first { $0.id == id }?.target }.flatMap { zip.entry(named: $0) }
            let commentsRelationship = existing.first { $0.kind == "comments" }
            let comments = commentsRelationship?.target.flatMap { zip.entry(named: $0) }
            // A second comments part or drawing beside a broken one would make Excel repair the file.
            if commentsRelationship != nil && comments == nil || legacyDrawingID != nil && vml == nil {
                throw Unsupported(reason: "工作表的批注或 VML 绘图部件缺失")
            }

            var needShapes = notes
            if let comments {
                let merged = CommentsPatcher.merge(notes, into: try zip.data(comments))
                replaced[comments.name.lowercased()] = merged.comments
                needShapes = merged.added
            } else {
                let name = freeName { "xl/comments\($0).xml" }
                added.append((name, Array((XLSXCommentParts.commentsPart(notes)).utf8)))
                contentTypes.override(part: name, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml")
                _ = relationships.add(kind: "comments", target: PackagePatcher.relativeTarget(name, from: folder))
            }

            var newDrawingID: String?
            if let vml {
                replaced[vml.name.lowercased()] = CommentsPatcher.mergeShapes(needShapes, into: try zip.data(vml))
            } else {
                let name = freeName { "xl/drawings/vmlDrawing\($0).vml" }
                added.append((name, Array(XLSXCommentParts.vmlPart(needShapes, sheetNumber: nextShapeBlock).utf8)))
                nextShapeBlock += 1
                contentTypes.defaultType(extension: "vml", contentType: "application/vnd.openxmlformats-officedocument.vmlDrawing")
                newDrawingID = relationships.add(kind: "vmlDrawing", target: PackagePatcher.relativeTarget(name, from: folder))
            }
            if zip.entry(named: relationshipsPath) != nil {
                replaced[relationshipsPath.lowercased()] = relationships.bytes
            } else {
                added.append((relationshipsPath, relationships.bytes))
            }
            return newDrawingID
        }

        private mutating func addSheet(_ sheet: Sheet, links: [XLSXHyperlink]) throws {
            let name = freeName { "xl/worksheets/sheet\($0).xml" }
            var styles = self.styles
            added.append((name, ResultsSheetPart.render(sheet, hyperlinks: links) { styles.cellFormat($0 ?? CellStyle()) }))
            self.styles = styles
            contentTypes.override(part: name, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml")
            let id = workbookRelationships.add(
                kind: "worksheet", target: PackagePatcher.relativeTarget(name, from: RelationshipsPart.split(workbookPart).folder))
            guard let workbook = PackagePatcher.addSheet(named: sheet.name, relationshipID: id,
                                                         to: replaced[workbookPart.lowercased()]!) else {
                throw Unsupported(reason: "workbook.xml 没有 <sheets>")
            }
            replaced[workbookPart.lowercased()] = workbook
        }

        /// The first part name `make(n)`, n = 1, 2…, not taken by a member or an added part (case-insensitively).
        private func freeName(_ make: (Int) -> String) -> String {
            var number = 1
            while zip.entry(named: make(number)) != nil || added.contains(where: { $0.0.lowercased() == make(number).lowercased() }) {
                number += 1
            }
            return make(number)
        }
    }
}
