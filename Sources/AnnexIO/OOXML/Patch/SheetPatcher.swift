/// Rewrites one worksheet part for a marked copy as it streams through: the flagged cells' `<c>` start
/// tags get a new `s` (style) and everything else is copied byte for byte. A flagged cell missing from
/// the XML (an empty cell) is inserted in column order in its row, and the row in row order when it is
/// missing too. When the sheet gains notes, `<legacyDrawing r:id>` is inserted where CT_Worksheet's
/// sequence puts it (ECMA-376 Part 1, 18.3.1.99: after `drawing`, before `legacyDrawingHF` … `extLst`).
///
/// Bytes go in by `feed` in chunks of any size and come out patched; only the unfinished tag at the
/// end of a chunk is held back, so memory stays bounded by the chunk size whatever the sheet's size.
final class SheetPatcher {
    /// The CT_Worksheet children that come after `legacyDrawing`, and the markup-compatibility wrapper
    /// Excel puts around `oleObjects` and `controls` (ECMA-376 Part 3, 10.2.1).
    private static let afterLegacyDrawing: Set<String> = [
        "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst",
        "AlternateContent",
    ]

    private let cells: Set<CellReference>
    private let legacyDrawingID: String?
    private let restyle: (CellReference, Int) -> Int
    /// The relationship id of the sheet's own `<legacyDrawing>`, once passed.
    private(set) var existingLegacyDrawingID: String?

    private var buffer: [UInt8] = []
    private var out: [UInt8] = []
    private var copied = 0
    private var pendingRows: [Int: [Int]] = [:]
    /// Rows to insert in order; a row found in the XML takes its cells out of `pendingRows` instead.
    private let rowOrder: [Int]
    private var nextPendingRow = 0
    private var pendingColumns: [Int] = []
    private var columnStyles: [(ClosedRange<Int>, Int)] = []
    private var prefix = ""
    private var depth = 0
    private var rowIndex = -1
    private var columnIndex = -1
    private var rowStyle: Int?
    private var drawingPlaced: Bool

    /// `restyle` gives a flagged cell's new style from the one it has now (its `s`, or for an empty cell
    /// the row's or column's style). `legacyDrawingID`: a VML drawing relationship to reference, when
    /// the sheet has none yet.
    init(cells: Set<CellReference>, legacyDrawingID: String? = nil, restyle: @escaping (CellReference, Int) -> Int) {
        self.cells = cells
        self.legacyDrawingID = legacyDrawingID
        self.restyle = restyle
        drawingPlaced = legacyDrawingID == nil
        for cell in cells { pendingRows[cell.row, default: []].append(cell.column) }
        for row in pendingRows.keys { pendingRows[row]!.sort() }
        rowOrder = pendingRows.keys.sorted()
    }

    /// The whole part patched at once.
    static func patch(_ bytes: [UInt8], cells: Set<CellReference>, legacyDrawingID: String? = nil,
                      restyle: @escaping (CellReference, Int) -> Int) -> [UInt8] {
        let patcher = SheetPatcher(cells: cells, legacyDrawingID: legacyDrawingID, restyle: restyle)
        return bytes.withUnsafeBytes { patcher.feed($0) } + patcher.finish()
    }

    /// Takes the next bytes of the part; returns the patched bytes that are ready.
    func feed(_ chunk: UnsafeRawBufferPointer) -> [UInt8] {
        buffer.append(contentsOf: chunk)
        let ready: Int
        do {
            var scanner = XMLTagScanner(buffer)
            while let tag = scanner.next() { process(tag, scanner) }
            ready = scanner.incompleteAt ?? buffer.count
        }
        copy(upTo: ready)
        buffer.removeFirst(ready)
        copied = 0
        let patched = out
        out = []
        return patched
    }

    /// The rest of the part, after the last `feed`.
    func finish() -> [UInt8] {
        copy(upTo: buffer.count)
        buffer.removeAll()
        copied = 0
        return out
    }

    // MARK: - Tags

    private func copy(upTo end: Int) {
        out.append(contentsOf: buffer[copied..<end])
        copied = end
    }

    private func emit(_ text: String) { out.append(contentsOf: text.utf8) }

    private func process(_ tag: XMLTagScanner.Tag, _ scanner: XMLTagScanner) {
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
            return
        }
        switch depth {
        case 0:
            prefix = scanner.prefix(tag)
        case 1:
            topLevel(tag, scanner)
        case 2 where scanner.isNamed(tag, "col"):
            if let min = scanner.intValue(tag, "min"), let max = scanner.intValue(tag, "max"), min <= max,
               let style = scanner.intValue(tag, "style") {
                columnStyles.append((min...max, style))
            }
        case 2 where scanner.isNamed(tag, "row"):
            row(tag, scanner)
        case 3 where scanner.isNamed(tag, "c"):
            let reference = scanner.rawValue(tag, "r").flatMap { CellReference(utf8: $0) }
                ?? CellReference(row: max(rowIndex, 0), column: columnIndex + 1)
            columnIndex = reference.column
            copy(upTo: tag.range.lowerBound)
            insertCells(before: reference.column)
            if pendingColumns.first == reference.column { pendingColumns.removeFirst() }
            if cells.contains(reference) { rewriteStyle(of: tag, scanner) { restyle(reference, $0) } }
        default:
            break
        }
        if tag.kind == .start { depth += 1 }
    }

    /// A child of `<worksheet>`.
    private func topLevel(_ tag: XMLTagScanner.Tag, _ scanner: XMLTagScanner) {
        if scanner.isNamed(tag, "legacyDrawing") {
            drawingPlaced = true
            existingLegacyDrawingID = scanner.attributes(tag)
                .first { $0.name.contains(":") && XMLTagScanner.localName(ofAttribute: $0.name) == "id" }
                .map { XMLTagScanner.unescape(buffer[$0.value]) }
        }
        let name = String(decoding: buffer[(tag.name.lowerBound + tag.prefixLength)..<tag.name.upperBound], as: UTF8.self)
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
    }

    private func row(_ tag: XMLTagScanner.Tag, _ scanner: XMLTagScanner) {
        let index = scanner.intValue(tag, "r").map { $0 - 1 } ?? rowIndex + 1
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
            while XMLTagScanner.isSpace(buffer[end - 1]) { end -= 1 }
            copy(upTo: end)
            emit(">")
            insertCells(before: nil)
            emit("</\(prefix)row>")
            copied = tag.range.upperBound
        }
    }

    // MARK: - Insertions

    private func styleOfEmpty(_ column: Int) -> Int {
        rowStyle ?? columnStyles.first { $0.0.contains(column + 1) }?.1 ?? 0
    }

    private func insertCells(before column: Int?) {
        while let first = pendingColumns.first, column.map({ first < $0 }) ?? true {
            let reference = CellReference(row: rowIndex, column: first)
            emit("<\(prefix)c r=\"\(reference)\" s=\"\(restyle(reference, styleOfEmpty(first)))\"/>")
            pendingColumns.removeFirst()
        }
    }

    private func insertRows(before row: Int?) {
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

    private func placeDrawing() {
        guard let id = legacyDrawingID, !drawingPlaced else { return }
        emit("<\(prefix)legacyDrawing xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"\(XLSXCommentParts.escape(id))\"/>")
        drawingPlaced = true
    }

    /// Copies the `<c>` start tag with its `s` attribute replaced, or added after the name.
    private func rewriteStyle(of tag: XMLTagScanner.Tag, _ scanner: XMLTagScanner, restyle: (Int) -> Int) {
        if let existing = scanner.rawValue(tag, "s") {
            let current = scanner.intValue(tag, "s") ?? 0
            copy(upTo: existing.startIndex)
            emit(String(restyle(current)))
            copied = existing.endIndex
        } else {
            copy(upTo: tag.name.upperBound)
            emit(" s=\"\(restyle(0))\"")
        }
    }
}
