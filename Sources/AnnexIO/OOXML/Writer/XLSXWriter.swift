/// How `XLSXWriter` writes a workbook.
public struct XLSXWriteOptions: Sendable {
    /// zlib level 0 (store) to 9. Level 1 (the default) is about 5× faster than 6 for ~19 % more bytes.
    public var compressionLevel: Int32
    /// Title, creator and creation time for docProps/core.xml. `created` nil keeps the bytes deterministic.
    public var properties: DocumentProperties
    /// Bytes of distinct text kept in the shared-string table. Text first seen after the table is full
    /// is written as an inline string (`t="inlineStr"`), so memory stays bounded on any input.
    public var sharedStringsLimit: Int
    /// Input files that the output must not replace (compared by device and inode).
    public var refusingToOverwrite: [String]

    public init(compressionLevel: Int32 = 1, properties: DocumentProperties = DocumentProperties(),
                sharedStringsLimit: Int = 64 << 20, refusingToOverwrite: [String] = []) {
        self.compressionLevel = compressionLevel
        self.properties = properties
        self.sharedStringsLimit = sharedStringsLimit
        self.refusingToOverwrite = refusingToOverwrite
    }
}

/// Writes an `.xlsx` workbook as a stream: sheet by sheet, row by row, each sheet part deflated into
/// the zip as its rows arrive (the XML is generated into a byte buffer and flushed every 64 KiB), so
/// a million-row sheet never sits in memory. Shared strings, styles, the workbook and the package
/// parts follow the sheets.
///
/// The output is schema-valid Transitional SpreadsheetML (element order as Excel requires), prints as
/// the layout says (A4, orientation, fit to width, print titles, margins), and is deterministic: the
/// same calls give the same bytes. The file appears only when `finish()` succeeds: any error, or
/// `abandon()`, removes the temporary file and leaves an existing file at the path untouched.
///
/// ```swift
/// let writer = try XLSXWriter(path: "out.xlsx")
/// try writer.beginSheet(name: "附件1", layout: layout)
/// for row in rows { try writer.appendRow(row) }
/// try writer.endSheet(merged: [CellRange("A1:S1")!])
/// try writer.finish()
/// ```
public final class XLSXWriter {
    public let path: String
    private let options: XLSXWriteOptions
    private let output: AtomicOutput
    private let zip: XLSXZipPipeline
    private let xml = XMLBuffer(capacity: 128 * 1024)
    private var styles = XLSXStyleTable()
    private let strings: XLSXSharedStrings
    private var sheets: [XLSXParts.SheetEntry] = []
    private var foldedSheetNames: Set<String> = []

    private enum State { case idle, inSheet, finished, failed }
    private var state = State.idle

    // The sheet being written.
    private var layout = SheetLayout()
    private var rowOpen = false
    private var lastRow = -1
    private var lastColumn = -1
    private var heights: [(row: Int, height: Double)] = []
    private var nextHeight = 0

    /// The last (style, number format) → xf seen in each column: cells of a column mostly look alike,
    /// so most cells skip hashing their style.
    /// Manually managed so that entries are compared in place: copying a CellStyle out of an array
    /// costs several retains and releases per cell.
    private var styleCache = StyleCache()

    private static let flushThreshold = 64 * 1024

    /// Creates the temporary output file beside `path`; nothing appears at `path` before `finish()`.
    public init(path: String, options: XLSXWriteOptions = XLSXWriteOptions()) throws {
        self.path = path
        self.options = options
        if let created = options.properties.created, !XLSXDateSerial.isW3CDTF(created) {
            throw AnnexError(file: path, location: "docProps/core.xml",
                             reason: "创建时间“\(created)”不是 W3CDTF 格式（如 2023-08-28T00:00:00Z）")
        }
        let output = try AtomicOutput(path: path, refusingToOverwrite: options.refusingToOverwrite)
        self.output = output
        do {
            zip = try XLSXZipPipeline(zip: ZipWriter(level: options.compressionLevel) { try output.write($0) })
        } catch let issue as XLSXWriteIssue {
            output.abandon()
            throw AnnexError(file: path, reason: issue.reason)
        }
        strings = XLSXSharedStrings(limit: options.sharedStringsLimit)
    }

    deinit {
        if state != .finished {
            zip.stop()
            output.abandon()
        }
        styleCache.deallocate()
    }

    // MARK: - Public API

    /// Starts the next sheet. `name`: 1–31 characters, none of `[ ] : * ? / \`, not starting or ending
    /// with `'`, unique in the workbook ignoring case.
    public func beginSheet(name: String, layout: SheetLayout = SheetLayout()) throws {
        try guarded {
            guard state == .idle else {
                throw AnnexError(file: path, location: sheetLocation, reason: "上一个工作表还没有结束（缺少 endSheet），不能开始工作表“\(name)”")
            }
            try validateSheetName(name)
            try validate(layout, sheet: name)
            foldedSheetNames.insert(name.lowercased())
            sheets.append(XLSXParts.SheetEntry(name: name, printTitles: layout.page?.repeatRows))
            self.layout = layout
            rowOpen = false
            lastRow = -1
            lastColumn = -1
            heights = layout.rowHeights.sorted { $0.key < $1.key }.map { (row: $0.key, height: $0.value) }
            nextHeight = 0
            state = .inSheet
            try zip.beginEntry("xl/worksheets/sheet\(sheets.count).xml")
            writeSheetHead(layout, selected: sheets.count == 1)
            try flush()
        }
    }

    /// Appends cells in row-major order: rows ascending, columns ascending within a row. A call may hold
    /// one row (the usual case), several, or continue the row of the previous call.
    public func appendRow(_ cells: [Cell]) throws {
        try guarded {
            guard state == .inSheet else { throw notInSheet() }
            try cells.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                for index in 0..<buffer.count { try writeCell(base + index) }
            }
        }
    }

    /// Appends one cell, after the cells already written (row-major order).
    public func append(_ cell: Cell) throws {
        try guarded {
            guard state == .inSheet else { throw notInSheet() }
            try withUnsafePointer(to: cell) { try writeCell($0) }
        }
    }

    /// Appends cells in row-major order.
    public func append(contentsOf cells: some Sequence<Cell>) throws {
        try guarded {
            guard state == .inSheet else { throw notInSheet() }
            for cell in cells { try withUnsafePointer(to: cell) { try writeCell($0) } }
        }
    }

    /// Ends the current sheet with its merged ranges (which must not overlap; one-cell ranges are
    /// dropped, since they merge nothing).
    /// Ends the sheet. `annotations`: notes on cells (comments, shown on hover) and links from cells
    /// to places in the workbook; they are written in-stream (`<hyperlinks>` after the merges,
    /// `<legacyDrawing>` last) with their parts.
    public func endSheet(merged: [CellRange] = [], annotations: XLSXSheetAnnotations = XLSXSheetAnnotations()) throws {
        try guarded {
            guard state == .inSheet else { throw notInSheet() }
            let merges = try validatedMerges(merged)
            if rowOpen { xml.append("</row>") }
            rowOpen = false
            while nextHeight < heights.count {
                writeHeightOnlyRow(heights[nextHeight])
                nextHeight += 1
                try flushIfNeeded()
            }
            xml.append("</sheetData>")
            if layout.isProtected { xml.appendUnescaped(XLSXSheetProtection.element) }
            if !merges.isEmpty {
                xml.append(#"<mergeCells count=""#)
                xml.appendInt(merges.count)
                xml.append(#"">"#)
                for range in merges {
                    xml.append(#"<mergeCell ref=""#)
                    xml.appendCellReference(row: range.first.row, column: range.first.column)
                    xml.append(":")
                    xml.appendCellReference(row: range.last.row, column: range.last.column)
                    xml.append(#""/>"#)
                }
                xml.append("</mergeCells>")
            }
            xml.appendUnescaped(XLSXSheetProtection.dataValidations(layout.dataValidations))
            if !annotations.hyperlinks.isEmpty { xml.appendUnescaped(XLSXHyperlink.element(annotations.hyperlinks)) }
            if let page = layout.page { writePageSetup(page) }
            if !annotations.comments.isEmpty {
                xml.append(#"<legacyDrawing r:id=""#)
                xml.appendUnescaped(XLSXCommentParts.vmlRelationshipID)
                xml.append(#""/>"#)
            }
            xml.append("</worksheet>")
            try flush()
            try zip.endEntry()
            if !annotations.comments.isEmpty {
                let number = sheets.count
                sheets[number - 1].hasComments = true
                try textPart("xl/worksheets/_rels/sheet\(number).xml.rels", XLSXCommentParts.sheetRelationships(sheetNumber: number))
                try textPart("xl/comments\(number).xml", XLSXCommentParts.commentsPart(annotations.comments))
                try textPart("xl/drawings/vmlDrawing\(number).vml", XLSXCommentParts.vmlPart(annotations.comments, sheetNumber: number))
            }
            state = .idle
        }
    }

    /// Writes shared strings, styles, the workbook and package parts, and moves the file into place.
    public func finish() throws {
        try guarded {
            guard state == .idle else {
                throw AnnexError(file: path, location: sheetLocation, reason: "工作表还没有结束（缺少 endSheet），不能完成工作簿")
            }
            guard !sheets.isEmpty else {
                throw AnnexError(file: path, reason: "工作簿至少需要一个工作表")
            }
            try zip.beginEntry("xl/sharedStrings.xml")
            try writeSharedStrings()
            try zip.endEntry()
            try part("xl/styles.xml") { styles.render(into: $0) }
            try part("xl/workbook.xml") { XLSXParts.workbook(sheets: sheets, into: $0) }
            try part("xl/_rels/workbook.xml.rels") { XLSXParts.workbookRelationships(sheetCount: sheets.count, into: $0) }
            try part("docProps/core.xml") { XLSXParts.coreProperties(options.properties, into: $0) }
            try part("docProps/app.xml") { XLSXParts.appProperties(sheetNames: sheets.map(\.name), into: $0) }
            let custom = options.properties.custom
            if !custom.isEmpty {
                try part("docProps/custom.xml") { XLSXParts.customProperties(custom, into: $0) }
            }
            try part("_rels/.rels") { XLSXParts.packageRelationships(hasCustomProperties: !custom.isEmpty, into: $0) }
            try part("[Content_Types].xml") { XLSXParts.contentTypes(sheets: sheets, hasCustomProperties: !custom.isEmpty, into: $0) }
            try zip.finish()
            try output.commit()
            state = .finished
        }
    }

    /// Gives up: removes the temporary file; nothing appears at `path`. Safe to call at any time.
    public func abandon() {
        if state != .finished {
            zip.stop()
            output.abandon()
            state = .failed
        }
    }

    /// Writes a whole workbook. Document properties come from the workbook, field by field, falling
    /// back to `options.properties`.
    public static func write(_ workbook: Workbook, to path: String, options: XLSXWriteOptions = XLSXWriteOptions()) throws {
        var options = options
        options.properties = DocumentProperties(
            title: workbook.properties.title ?? options.properties.title,
            creator: workbook.properties.creator ?? options.properties.creator,
            created: workbook.properties.created ?? options.properties.created,
            custom: workbook.properties.custom.isEmpty ? options.properties.custom : workbook.properties.custom)
        let writer = try XLSXWriter(path: path, options: options)
        do {
            for sheet in workbook.sheets {
                try writer.beginSheet(name: sheet.name, layout: sheet.layout)
                try writer.appendRow(sheet.cells)
                try writer.endSheet(merged: sheet.merged)
            }
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    // MARK: - Errors

    private var sheetLocation: String? {
        state == .inSheet ? sheets.last.map { "工作表“\($0.name)”" } : nil
    }

    private func notInSheet() -> AnnexError {
        AnnexError(file: path, reason: state == .idle
            ? "还没有开始工作表（缺少 beginSheet），不能写入单元格或结束工作表"
            : "工作簿已经完成或已放弃，不能继续写入")
    }

    /// Runs a step; any error abandons the output (no file appears) and comes out as an AnnexError.
    @inline(__always)
    private func guarded(_ body: () throws -> Void) throws {
        guard state != .finished && state != .failed else {
            throw AnnexError(file: path, reason: "工作簿已经完成或已放弃，不能继续写入")
        }
        do {
            try body()
        } catch {
            let converted = convert(error)
            abandon()
            throw converted
        }
    }

    private func convert(_ error: Error) -> AnnexError {
        switch error {
        case let error as AnnexError: error
        case let issue as XLSXWriteIssue: AnnexError(file: path, location: sheetLocation, reason: issue.reason)
        case let error as ZipWriterError: AnnexError(file: path, reason: error.description)
        default: AnnexError(file: path, reason: "写入失败：\(error)")
        }
    }

    private func cellError(_ reference: CellReference, _ reason: String) -> AnnexError {
        AnnexError(file: path, location: sheetLocation, cell: reference.description, reason: reason)
    }

    // MARK: - Validation

    private func validateSheetName(_ name: String) throws {
        func invalid(_ why: String) -> AnnexError {
            AnnexError(file: path, location: "工作表“\(name)”", reason: "工作表名称无效：\(why)")
        }
        let length = name.utf16.count
        guard length >= 1, length <= 31 else { throw invalid("长度应为 1 到 31 个字符（现为 \(length) 个）") }
        if let bad = name.first(where: { "[]:*?/\\".contains($0) }) {
            throw invalid("不能包含字符“\(bad)”（[ ] : * ? / \\ 都不允许）")
        }
        guard !name.hasPrefix("'"), !name.hasSuffix("'") else { throw invalid("不能以单引号开头或结尾") }
        guard !XMLBuffer.hasForbiddenCharacters(name) else { throw invalid("不能包含控制字符") }
        guard name.lowercased() != "history" else { throw invalid("“History”是 Excel 保留的名称") }
        guard !foldedSheetNames.contains(name.lowercased()) else {
            throw invalid("与已有工作表重名（不区分大小写）")
        }
    }

    private func validate(_ layout: SheetLayout, sheet: String) throws {
        func invalid(_ why: String) -> AnnexError {
            AnnexError(file: path, location: "工作表“\(sheet)”", reason: "版式无效：\(why)")
        }
        for (column, width) in layout.columnWidths {
            guard column >= 0, column < CellReference.maxColumns else { throw invalid("列序号 \(column) 超出范围") }
            guard width.isFinite, width >= 0, width <= 255 else {
                throw invalid("\(CellReference.columnName(column)) 列宽 \(width) 应在 0 到 255 之间")
            }
        }
        for (row, height) in layout.rowHeights {
            guard row >= 0, row < CellReference.maxRows else { throw invalid("行序号 \(row) 超出范围") }
            guard height.isFinite, height >= 0, height <= 409 else {
                throw invalid("第 \(row + 1) 行行高 \(height) 应在 0 到 409 磅之间")
            }
        }
        if let freeze = layout.freezeAt {
            guard freeze.row >= 0, freeze.row < CellReference.maxRows, freeze.column >= 0,
                  freeze.column < CellReference.maxColumns else { throw invalid("冻结位置超出工作表范围") }
        }
        if let page = layout.page {
            guard page.paperSize >= 1 else { throw invalid("纸张代码 \(page.paperSize) 无效") }
            if let fit = page.fitToWidth, fit < 0 || fit > 32767 { throw invalid("页宽 \(fit) 无效") }
            if let rows = page.repeatRows, rows.lowerBound < 0 || rows.upperBound >= CellReference.maxRows {
                throw invalid("打印标题行超出工作表范围")
            }
            let m = page.margins
            for value in [m.left, m.right, m.top, m.bottom, m.header, m.footer] {
                guard value.isFinite, value >= 0, value < 49 else { throw invalid("页边距 \(value) 英寸无效") }
            }
        }
    }

    private func validatedMerges(_ merged: [CellRange]) throws -> [CellRange] {
        var merges: [CellRange] = []
        for range in merged {
            guard range.first.row >= 0, range.first.column >= 0, range.last.row < CellReference.maxRows,
                  range.last.column < CellReference.maxColumns else {
                throw AnnexError(file: path, location: sheetLocation, cell: range.description, reason: "合并区域超出工作表范围")
            }
            if range.first != range.last { merges.append(range) }
        }
        // Sweep by first row, keeping the ranges that reach the current row.
        var active: [CellRange] = []
        for range in merges.sorted() {
            active.removeAll { $0.last.row < range.first.row }
            if let other = active.first(where: { $0.overlaps(range) }) {
                throw AnnexError(file: path, location: sheetLocation, cell: range.description,
                                 reason: "合并区域 \(range) 与 \(other) 重叠")
            }
            active.append(range)
        }
        return merges
    }

    // MARK: - Sheet parts

    private func writeSheetHead(_ layout: SheetLayout, selected: Bool) {
        xml.append(XLSXParts.declaration)
        xml.append(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#)
        if layout.page?.fitToWidth != nil {
            xml.append(#"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#)
        }
        xml.append(selected ? #"<sheetViews><sheetView tabSelected="1" workbookViewId="0""# : #"<sheetViews><sheetView workbookViewId="0""#)
        if let freeze = layout.freezeAt, freeze.row > 0 || freeze.column > 0 {
            let pane: StaticString = freeze.row > 0 ? (freeze.column > 0 ? "bottomRight" : "bottomLeft") : "topRight"
            xml.append("><pane")
            if freeze.column > 0 {
                xml.append(#" xSplit=""#)
                xml.appendInt(freeze.column)
                xml.append("\"")
            }
            if freeze.row > 0 {
                xml.append(#" ySplit=""#)
                xml.appendInt(freeze.row)
                xml.append("\"")
            }
            xml.append(#" topLeftCell=""#)
            xml.appendCellReference(row: freeze.row, column: freeze.column)
            xml.append(#"" activePane=""#)
            xml.append(pane)
            xml.append(#"" state="frozen"/><selection pane=""#)
            xml.append(pane)
            xml.append(#"" activeCell=""#)
            xml.appendCellReference(row: freeze.row, column: freeze.column)
            xml.append(#"" sqref=""#)
            xml.appendCellReference(row: freeze.row, column: freeze.column)
            xml.append(#""/></sheetView></sheetViews>"#)
        } else {
            xml.append("/></sheetViews>")
        }
        if !layout.columnWidths.isEmpty {
            xml.append("<cols>")
            let widths = layout.columnWidths.sorted { $0.key < $1.key }
            var index = 0
            while index < widths.count {
                // One <col> for a run of adjacent columns of the same width.
                var end = index
                while end + 1 < widths.count, widths[end + 1].key == widths[end].key + 1,
                      widths[end + 1].value == widths[index].value { end += 1 }
                xml.append(#"<col min=""#)
                xml.appendInt(widths[index].key + 1)
                xml.append(#"" max=""#)
                xml.appendInt(widths[end].key + 1)
                xml.append(#"" width=""#)
                xml.appendDouble(widths[index].value)
                xml.append(#"" customWidth="1"/>"#)
                index = end + 1
            }
            xml.append("</cols>")
        }
        xml.append("<sheetData>")
    }

    private func writePageSetup(_ page: PageSetup) {
        let m = page.margins
        xml.append(#"<pageMargins left=""#)
        xml.appendDouble(m.left)
        xml.append(#"" right=""#)
        xml.appendDouble(m.right)
        xml.append(#"" top=""#)
        xml.appendDouble(m.top)
        xml.append(#"" bottom=""#)
        xml.appendDouble(m.bottom)
        xml.append(#"" header=""#)
        xml.appendDouble(m.header)
        xml.append(#"" footer=""#)
        xml.appendDouble(m.footer)
        xml.append(#""/><pageSetup paperSize=""#)
        xml.appendInt(page.paperSize)
        xml.append(page.orientation == .landscape ? #"" orientation="landscape""# : #"" orientation="portrait""#)
        if let fit = page.fitToWidth {
            xml.append(#" fitToWidth=""#)
            xml.appendInt(fit)
            xml.append(#"" fitToHeight="0""#)
        }
        xml.append("/>")
    }

    private func writeHeightOnlyRow(_ entry: (row: Int, height: Double)) {
        xml.append(#"<row r=""#)
        xml.appendInt(entry.row + 1)
        xml.append(#"" ht=""#)
        xml.appendDouble(entry.height)
        xml.append(#"" customHeight="1"/>"#)
    }

    private func openRow(_ row: Int) throws {
        if rowOpen { xml.append("</row>") }
        while nextHeight < heights.count, heights[nextHeight].row < row {
            writeHeightOnlyRow(heights[nextHeight])
            nextHeight += 1
        }
        xml.append(#"<row r=""#)
        xml.appendInt(row + 1)
        if nextHeight < heights.count, heights[nextHeight].row == row {
            xml.append(#"" ht=""#)
            xml.appendDouble(heights[nextHeight].height)
            xml.append(#"" customHeight="1">"#)
            nextHeight += 1
        } else {
            xml.append(#"">"#)
        }
        rowOpen = true
        lastRow = row
        lastColumn = -1
    }

    // MARK: - Cells

    /// Writes one cell, read in place (no copy of the Cell and its strings).
    @inline(__always)
    private func writeCell(_ cell: UnsafePointer<Cell>) throws {
        let row = cell.pointee.reference.row
        let column = cell.pointee.reference.column
        guard row >= 0, row < CellReference.maxRows, column >= 0, column < CellReference.maxColumns else {
            throw cellError(cell.pointee.reference, "单元格位置（第 \(row + 1) 行，第 \(column + 1) 列）超出 Excel 工作表的范围（1048576 行 × 16384 列）")
        }
        if row != lastRow {
            guard row > lastRow else {
                throw cellError(cell.pointee.reference, "行顺序错误：第 \(row + 1) 行出现在第 \(lastRow + 1) 行之后（行必须按升序写入）")
            }
            try openRow(row)
        }
        guard column > lastColumn else {
            throw cellError(cell.pointee.reference, column == lastColumn
                ? "单元格重复：同一单元格写入了两次"
                : "列顺序错误：\(CellReference.columnName(column)) 列出现在 \(CellReference.columnName(lastColumn)) 列之后（同一行的单元格必须按列升序写入）")
        }
        lastColumn = column
        do {
            try writeValue(cell, row: row, column: column)
        } catch let issue as XLSXWriteIssue {
            throw cellError(cell.pointee.reference, issue.reason)
        }
        if xml.count >= XLSXWriter.flushThreshold { try flush() }
    }

    @inline(__always)
    private func writeValue(_ cell: UnsafePointer<Cell>, row: Int, column: Int) throws {
        let hasFormula = cell.pointee.formula?.isEmpty == false
        switch cell.pointee.value {
        case .number(let text):
            let xf = try styleIndex(cell, column: column)
            try XMLBuffer.withUTF8(text) { bytes in
                guard XLSXWriter.isNumber(bytes) else {
                    throw XLSXWriteIssue(reason: "数值“\(text)”不是有限的十进制数")
                }
                openCell(row: row, column: column, xf: xf, type: nil)
                if hasFormula { writeFormula(cell.pointee.formula!) }
                xml.append("<v>")
                xml.append(bytes)
                xml.append("</v></c>")
            }
        case .string(let text) where text.isEmpty && !hasFormula:
            // An empty text cell is written as a styled blank (`<c r s/>`), as Excel stores a bordered
            // empty cell of a printed table: it reads back as no value, not as an empty string.
            let xf = try styleIndex(cell, column: column)
            openCell(row: row, column: column, xf: xf, type: nil)
            xml.append("</c>")
        case .string(let text):
            let xf = try styleIndex(cell, column: column)
            try XMLBuffer.withUTF8(text) { bytes in
                if bytes.count > 32767, text.utf16.count > 32767 {
                    throw XLSXWriteIssue(reason: "文本长 \(text.utf16.count) 个字符，超过 Excel 单元格上限 32767")
                }
                if hasFormula, text.utf8.count == cell.pointee.formula!.utf8.count + 1,
                   text.hasPrefix("="), text.utf8.dropFirst().elementsEqual(cell.pointee.formula!.utf8) {
                    // A formula read without a cached value (its text `=…` is what the reader shows):
                    // written back without one, for the program that opens it to calculate.
                    openCell(row: row, column: column, xf: xf, type: nil)
                    writeFormula(cell.pointee.formula!)
                    xml.append("</c>")
                } else if hasFormula {
                    openCell(row: row, column: column, xf: xf, type: "str")
                    writeFormula(cell.pointee.formula!)
                    xml.append("<v>")
                    xml.appendEscapedText(bytes)
                    xml.append("</v></c>")
                } else if let index = strings.index(of: bytes) {
                    openCell(row: row, column: column, xf: xf, type: "s")
                    xml.append("<v>")
                    xml.appendInt(index)
                    xml.append("</v></c>")
                } else {
                    openCell(row: row, column: column, xf: xf, type: "inlineStr")
                    xml.append(XMLBuffer.needsPreserve(bytes) ? #"<is><t xml:space="preserve">"# : "<is><t>")
                    xml.appendEscapedText(bytes)
                    xml.append("</t></is></c>")
                }
            }
        case .bool(let value):
            let xf = try styleIndex(cell, column: column)
            openCell(row: row, column: column, xf: xf, type: "b")
            if hasFormula { writeFormula(cell.pointee.formula!) }
            xml.append(value ? "<v>1</v></c>" : "<v>0</v></c>")
        case .error(let text):
            guard XLSXWriter.errorValues.contains(text) else {
                throw XLSXWriteIssue(reason: "错误值“\(text)”不是 Excel 的错误值（如 #DIV/0!、#N/A）")
            }
            let xf = try styleIndex(cell, column: column)
            openCell(row: row, column: column, xf: xf, type: "e")
            if hasFormula { writeFormula(cell.pointee.formula!) }
            xml.append("<v>")
            xml.appendUnescaped(text)
            xml.append("</v></c>")
        case .duration(let iso):
            let serial = try XLSXDateSerial.durationSerial(iso)
            let xf = try styleIndexSlow(style: cell.pointee.style, format: cell.pointee.numberFormat ?? "[h]:mm:ss", column: column)
            openCell(row: row, column: column, xf: xf, type: nil)
            if hasFormula { writeFormula(cell.pointee.formula!) }
            xml.append("<v>")
            xml.appendUnescaped(serial)
            xml.append("</v></c>")
        case .date(let iso):
            let serial = try XLSXDateSerial.serial(iso)
            let format = cell.pointee.numberFormat ?? XLSXDateSerial.defaultFormat(serial.kind)
            let xf = try styleIndexSlow(style: cell.pointee.style, format: format, column: column)
            openCell(row: row, column: column, xf: xf, type: nil)
            if hasFormula { writeFormula(cell.pointee.formula!) }
            xml.append("<v>")
            xml.appendUnescaped(serial.text)
            xml.append("</v></c>")
        }
    }

    @inline(__always)
    private func openCell(row: Int, column: Int, xf: Int, type: StaticString?) {
        xml.append(#"<c r=""#)
        xml.appendColumnName(column)
        xml.appendInt(row + 1)
        if xf != 0 {
            xml.append(#"" s=""#)
            xml.appendInt(xf)
        }
        if let type {
            xml.append(#"" t=""#)
            xml.append(type)
        }
        xml.append(#"">"#)
    }

    private func writeFormula(_ formula: String) {
        xml.append("<f>")
        xml.appendEscapedText(formula)
        xml.append("</f>")
    }

    /// The xf of a cell's style and number format. The fast path compares the cell with the last
    /// style and format seen in its column, in place (the style by identity first): no String is
    /// copied or retained.
    @inline(__always)
    private func styleIndex(_ cell: UnsafePointer<Cell>, column: Int) throws -> Int {
        // (Optional chaining down to a trivial field tests for nil without copying the optional.)
        let hasStyle = cell.pointee.style?.font.bold != nil
        let hasFormat = cell.pointee.numberFormat?.isEmpty != nil
        if !hasStyle && !hasFormat { return 0 }
        if column < styleCache.count, styleCache.xfs[column] >= 0,
           styleCache.hasStyle[column] == hasStyle, styleCache.hasFormat[column] == hasFormat {
            // Read-only projections into the caller's cell (the mutable pointer is never written).
            let cell = UnsafeMutablePointer(mutating: cell)
            let sameFormat = !hasFormat || withUnsafeMutablePointer(to: &cell.pointee.numberFormat!) {
                $0.pointee == styleCache.formats[column]
            }
            if sameFormat && (!hasStyle || withUnsafeMutablePointer(to: &cell.pointee.style!) {
                XLSXWriter.same($0, styleCache.styles + column)
            }) {
                return styleCache.xfs[column]
            }
        }
        return try styleIndexSlow(style: cell.pointee.style, format: cell.pointee.numberFormat, column: column)
    }

    @inline(__always)
    private static func same(_ a: UnsafePointer<CellStyle>, _ b: UnsafePointer<CellStyle>) -> Bool {
        a.pointee.sharesParts(with: b.pointee) || a.pointee == b.pointee
    }

    @inline(never)
    private func styleIndexSlow(style: CellStyle?, format: String?, column: Int) throws -> Int {
        let xf = try styles.xf(style: style, numberFormat: format)
        styleCache.store(column: column, style: style, format: format, xf: xf)
        return xf
    }

    /// Per column: the last style and number format seen and their xf (-1: none yet).
    private struct StyleCache {
        private(set) var count = 0
        private(set) var styles: UnsafeMutablePointer<CellStyle> = .allocate(capacity: 0)
        private(set) var formats: UnsafeMutablePointer<String> = .allocate(capacity: 0)
        private(set) var hasStyle: UnsafeMutablePointer<Bool> = .allocate(capacity: 0)
        private(set) var hasFormat: UnsafeMutablePointer<Bool> = .allocate(capacity: 0)
        private(set) var xfs: UnsafeMutablePointer<Int> = .allocate(capacity: 0)

        mutating func store(column: Int, style: CellStyle?, format: String?, xf: Int) {
            if column >= count { grow(to: max(column + 1, count * 2, 32)) }
            styles[column] = style ?? CellStyle()
            formats[column] = format ?? ""
            hasStyle[column] = style != nil
            hasFormat[column] = format != nil
            xfs[column] = xf
        }

        private mutating func grow(to newCount: Int) {
            func moved<T>(_ old: UnsafeMutablePointer<T>, filler: T) -> UnsafeMutablePointer<T> {
                let new = UnsafeMutablePointer<T>.allocate(capacity: newCount)
                new.moveInitialize(from: old, count: count)
                (new + count).initialize(repeating: filler, count: newCount - count)
                old.deallocate()
                return new
            }
            styles = moved(styles, filler: CellStyle())
            formats = moved(formats, filler: "")
            hasStyle = moved(hasStyle, filler: false)
            hasFormat = moved(hasFormat, filler: false)
            xfs = moved(xfs, filler: -1)
            count = newCount
        }

        func deallocate() {
            styles.deinitialize(count: count)
            styles.deallocate()
            formats.deinitialize(count: count)
            formats.deallocate()
            hasStyle.deallocate()
            hasFormat.deallocate()
            xfs.deallocate()
        }
    }

    /// Excel's error values (ECMA-376 Part 1, 18.17.3.2, and the ones later versions added).
    static let errorValues: Set<String> = [
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
        "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!",
    ]

    /// A finite decimal as xsd:double spells it: `-?(d+(.d*)?|.d+)([eE][+-]?d+)?`.
    /// (CellValue.number is plain decimal text; an exponent is accepted for robustness.)
    static func isNumber(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        var i = 0
        if i < n, bytes[i] == UInt8(ascii: "-") { i += 1 }
        var leadingZeros = true
        var integerDigits = 0
        var significantInteger = 0
        while i < n, bytes[i] &- 48 < 10 {
            if bytes[i] != 48 { leadingZeros = false }
            if !leadingZeros { significantInteger += 1 }
            integerDigits += 1
            i += 1
        }
        var fractionDigits = 0
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, bytes[i] &- 48 < 10 { fractionDigits += 1; i += 1 }
        }
        guard integerDigits + fractionDigits > 0 else { return false }
        if i == n { return significantInteger <= 308 }
        guard bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") else { return false }
        i += 1
        if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        let exponentStart = i
        while i < n, bytes[i] &- 48 < 10 { i += 1 }
        guard i > exponentStart, i == n else { return false }
        // Rare: let the standard library decide whether it overflows.
        guard let value = Double(String(decoding: bytes, as: UTF8.self)) else { return false }
        return value.isFinite
    }

    // MARK: - Output

    @inline(__always)
    private func flushIfNeeded() throws {
        if xml.count >= XLSXWriter.flushThreshold { try flush() }
    }

    private func flush() throws {
        guard xml.count > 0 else { return }
        try zip.write(xml.bytes)
        xml.removeAll()
    }

    private func part(_ name: String, _ render: (XMLBuffer) -> Void) throws {
        try zip.beginEntry(name)
        render(xml)
        try flush()
        try zip.endEntry()
    }

    private func textPart(_ name: String, _ text: String) throws {
        try part(name) { $0.appendUnescaped(text) }
    }

    private func writeSharedStrings() throws {
        xml.append(XLSXParts.declaration)
        xml.append(#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count=""#)
        xml.appendInt(strings.references)
        xml.append(#"" uniqueCount=""#)
        xml.appendInt(strings.uniqueCount)
        xml.append(#"">"#)
        for index in 0..<strings.uniqueCount {
            let text = strings.text(index)
            xml.append(XMLBuffer.needsPreserve(text) ? #"<si><t xml:space="preserve">"# : "<si><t>")
            xml.appendEscapedText(text)
            xml.append("</t></si>")
            try flushIfNeeded()
        }
        xml.append("</sst>")
        try flush()
    }
}
