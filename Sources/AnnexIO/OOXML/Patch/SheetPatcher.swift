/// Rewrites one worksheet part for a marked copy: the flagged cells' `<c>` start tags get a new `s`
/// (style) and everything else is copied byte for byte. A flagged cell missing from the XML (an empty
/// cell) is inserted in column order in its row, and the row in row order when it is missing too.
/// When the sheet gains notes, `<legacyDrawing r:id>` is inserted where CT_Worksheet's sequence puts it
/// (ECMA-376 Part 1, 18.3.1.99: after `drawing`, before `legacyDrawingHF` … `extLst`).
struct SheetPatcher {
    /// Cells to restyle.
    var cells: Set<CellReference>
    /// The relationship id of a legacy VML drawing to reference, when the sheet has none yet.
    var legacyDrawingID: String?

    /// The CT_Worksheet children that come after `legacyDrawing`.
    private static let afterLegacyDrawing: Set<String> = [
        "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst",
    ]

    /// Whether the sheet already references a legacy VML drawing, and with which relationship id.
    static func legacyDrawingID(in bytes: [UInt8]) -> String? {
        var scanner = XMLTagScanner(bytes)
        var depth = 0
        while let tag = scanner.next() {
            if tag.kind == .end { depth -= 1; continue }
            if depth == 1, scanner.isNamed(tag, "legacyDrawing") {
                return scanner.attributes(tag).first { XMLTagScanner.localName(ofAttribute: $0.name) == "id" && $0.name.contains(":") }
                    .map { XMLTagScanner.unescape(bytes[$0.value]) }
            }
            if tag.kind == .start { depth += 1 }
        }
        return nil
    }

    /// The patched part. `restyle` gives a flagged cell's new style from the one it has now (its `s`,
    /// or for an empty cell the row's or column's style).
    func patch(_ bytes: [UInt8], restyle: (CellReference, Int) -> Int) -> [UInt8] {
        var scanner = XMLTagScanner(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + cells.count * 24 + 128)
        var copied = 0
        func copy(upTo end: Int) {
            out.append(contentsOf: bytes[copied..<end])
            copied = end
        }
        func emit(_ text: String) { out.append(contentsOf: text.utf8) }

        var pendingRows: [Int: [Int]] = [:]
        for cell in cells { pendingRows[cell.row, default: []].append(cell.column) }
        for row in pendingRows.keys { pendingRows[row]!.sort() }
        // Rows to insert in order; a row found in the XML takes its cells out of `pendingRows` instead.
        let rowOrder = pendingRows.keys.sorted()
        var nextPendingRow = 0
        var pendingColumns: [Int] = []
        var columnStyles: [(ClosedRange<Int>, Int)] = []
        var prefix = ""
        var depth = 0
        var rowIndex = -1
        var columnIndex = -1
        var rowStyle: Int?
        var drawingPlaced = legacyDrawingID == nil

        func styleOfEmpty(_ column: Int) -> Int {
            rowStyle ?? columnStyles.first { $0.0.contains(column + 1) }?.1 ?? 0
        }
        func insertCell(row: Int, column: Int) {
            let reference = CellReference(row: row, column: column)
            let style = restyle(reference, styleOfEmpty(column))
            emit("<\(prefix)c r=\"\(reference)\" s=\"\(style)\"/>")
        }
        func insertCells(before column: Int?) {
            while let first = pendingColumns.first, column.map({ first < $0 }) ?? true {
                insertCell(row: rowIndex, column: first)
                pendingColumns.removeFirst()
            }
        }
        func insertRows(before row: Int?) {
            while nextPendingRow < rowOrder.count, row.map({ rowOrder[nextPendingRow] < $0 }) ?? true {
                let index = rowOrder[nextPendingRow]
                nextPendingRow += 1
                guard let columns = pendingRows.removeValue(forKey: index) else { continue }
                rowIndex = index
                rowStyle = nil
                pendingColumns = columns
                emit("<\(prefix)row r=\"\(index + 1)\">")
                insertCells(before: nil)
                emit("</\(prefix)row>")
            }
        }
        func placeDrawing() {
            guard let id = legacyDrawingID, !drawingPlaced else { return }
            emit("<\(prefix)legacyDrawing xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"\(XLSXCommentParts.escape(id))\"/>")
            drawingPlaced = true
        }

        while let tag = scanner.next() {
            if tag.kind == .end {
                depth -= 1
                if depth == 2, scanner.isNamed(tag, "row") {
                    copy(upTo: tag.range.lowerBound)
                    insertCells(before: nil)
                } else if depth == 1, scanner.isNamed(tag, "sheetData") {
                    copy(upTo: tag.range.lowerBound)
                    insertRows(before: nil)
                } else if depth == 0 {
                    copy(upTo: tag.range.lowerBound)
                    placeDrawing()
                }
                continue
            }
            switch depth {
            case 0:
                prefix = scanner.prefix(tag)
            case 1:
                if scanner.isNamed(tag, "legacyDrawing") { drawingPlaced = true }
                let name = String(decoding: bytes[(tag.name.lowerBound + tag.prefixLength)..<tag.name.upperBound], as: UTF8.self)
                if Self.afterLegacyDrawing.contains(name) {
                    copy(upTo: tag.range.lowerBound)
                    placeDrawing()
                }
                if tag.kind == .empty, scanner.isNamed(tag, "sheetData"), !pendingRows.isEmpty {
                    copy(upTo: tag.range.lowerBound)
                    emit("<\(prefix)sheetData>")
                    insertRows(before: nil)
                    emit("</\(prefix)sheetData>")
                    copied = tag.range.upperBound
                }
            case 2 where scanner.isNamed(tag, "col"):
                if let min = scanner.intValue(tag, "min"), let max = scanner.intValue(tag, "max"), min <= max,
                   let style = scanner.intValue(tag, "style") {
                    columnStyles.append((min...max, style))
                }
            case 2 where scanner.isNamed(tag, "row"):
                let number = scanner.intValue(tag, "r")
                let index = number.map { $0 - 1 } ?? rowIndex + 1
                copy(upTo: tag.range.lowerBound)
                insertRows(before: index)
                rowIndex = index
                columnIndex = -1
                let custom = scanner.rawValue(tag, "customFormat")
                rowStyle = custom.map { $0.elementsEqual("1".utf8) || $0.elementsEqual("true".utf8) } == true
                    ? scanner.intValue(tag, "s") : nil
                pendingColumns = pendingRows.removeValue(forKey: index) ?? []
                if tag.kind == .empty, !pendingColumns.isEmpty {
                    // `<row …/>` becomes `<row …>` + the inserted cells + `</row>`.
                    var end = tag.range.upperBound - 2
                    while XMLTagScanner.isSpace(bytes[end - 1]) { end -= 1 }
                    copy(upTo: end)
                    emit(">")
                    insertCells(before: nil)
                    emit("</\(prefix)row>")
                    copied = tag.range.upperBound
                }
            case 3 where scanner.isNamed(tag, "c"):
                let reference = scanner.rawValue(tag, "r").flatMap { CellReference(utf8: $0) }
                    ?? CellReference(row: max(rowIndex, 0), column: columnIndex + 1)
                columnIndex = reference.column
                copy(upTo: tag.range.lowerBound)
                insertCells(before: reference.column)
                if pendingColumns.first == reference.column { pendingColumns.removeFirst() }
                if cells.contains(reference) {
                    rewriteStyle(of: tag, in: scanner, out: &out, copied: &copied) { restyle(reference, $0) }
                }
            default:
                break
            }
            if tag.kind == .start { depth += 1 }
        }
        copy(upTo: bytes.count)
        return out
    }

    /// Copies the `<c>` start tag with its `s` attribute replaced, or added after the name.
    private func rewriteStyle(of tag: XMLTagScanner.Tag, in scanner: XMLTagScanner, out: inout [UInt8],
                              copied: inout Int, restyle: (Int) -> Int) {
        let bytes = scanner.bytes
        let existing = scanner.attributes(tag).first { $0.name == "s" }
        let current = existing.flatMap { Int(String(decoding: bytes[$0.value], as: UTF8.self)) } ?? 0
        let style = String(restyle(current))
        if let existing {
            out.append(contentsOf: bytes[copied..<existing.value.lowerBound])
            out.append(contentsOf: style.utf8)
            copied = existing.value.upperBound
        } else {
            out.append(contentsOf: bytes[copied..<tag.name.upperBound])
            out.append(contentsOf: " s=\"\(style)\"".utf8)
            copied = tag.name.upperBound
        }
    }
}
