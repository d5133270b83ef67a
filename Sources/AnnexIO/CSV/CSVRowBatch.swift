/// CSV records turned into grid rows (`CSVSheetSource`) on the thread that parses them: the record
/// bytes and the cell slots of up to a few thousand rows, lent out as `RowView`s. Reused from batch
/// to batch.
///
/// Why here and not where the rows are used: deciding each field's kind (`CSVGrid.isPlainDecimal`)
/// and filling its slot cost as much as parsing; on the parsing thread it runs beside the caller's
/// work (writing CSV or JSON) instead of before it.
final class CSVRowBatch: CSVRecordSink, @unchecked Sendable {
    private let file: String
    /// Every row's cells, one after the other; their text is in `cells.bytes`.
    private let cells = RowBuffer()
    /// Where each row's slots start in `cells`, and how many there are.
    @exclusivity(unchecked) private var rows: [(first: Int32, count: Int32)] = []

    init(file: String) {
        self.file = file
        rows.reserveCapacity(4096)
    }

    var count: Int { rows.count }
    var isEmpty: Bool { rows.isEmpty }
    /// 256 KiB of text or 16,384 cells (512 KiB of slots), whichever comes first; one long record
    /// makes a batch of its own.
    var isFull: Bool { cells.bytes.count >= 1 << 18 || cells.count >= 1 << 14 }

    func removeAll() {
        cells.removeAll()
        rows.removeAll(keepingCapacity: true)
    }

    /// Record `ordinal` is row `ordinal`; field `k` is column `k`; a non-empty field is a cell, a
    /// number when it is a plain decimal (`CSVGrid.isPlainDecimal`), else text. A record without a
    /// non-empty field makes no row.
    func append(ordinal: Int, line: Int, record: CSVRecord) throws {
        if ordinal >= CellReference.maxRows {
            throw AnnexError(file: file, location: "第 \(line) 行", reason: "超过了工作表的最大行数 \(CellReference.maxRows)")
        }
        if record.count > CellReference.maxColumns {
            throw AnnexError(file: file, location: "第 \(line) 行",
                             reason: "有 \(record.count) 个字段，超过了工作表的最大列数 \(CellReference.maxColumns)")
        }
        let length = record.count == 0 ? 0 : record.ends[record.count - 1]
        guard length > 0 else { return }
        // The record's bytes are copied as they are; slots point into them (past a stripped `'`).
        let textOffset = cells.bytes.count
        cells.bytes.append(UnsafeBufferPointer(start: record.bytes, count: length))
        let first = cells.count
        var start = 0
        for column in 0..<record.count {
            let end = record.ends[column]
            defer { start = end }
            guard end > start else { continue }
            let fieldStart = record.valueStart(start, end)
            let field = UnsafeBufferPointer(start: record.bytes + fieldStart, count: end &- fieldStart)
            cells.append(row: ordinal, column: column, kind: CSVGrid.isPlainDecimal(field) ? .number : .string,
                         style: 0, valueOffset: textOffset &+ fieldStart, valueCount: field.count)
        }
        rows.append((Int32(first), Int32(cells.count - first)))
    }

    /// Row `index` of the batch; valid until `removeAll`.
    func row(at index: Int) -> RowView {
        let (first, count) = rows[index]
        return RowView(cells, first: Int(first), count: Int(count))
    }
}
