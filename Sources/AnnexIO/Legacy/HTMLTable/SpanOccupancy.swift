/// The columns of the current row taken by cells that span down from earlier rows (`rowspan`), so
/// that the next `<td>` moves past them, as a browser lays out a table.
///
/// Kept as column intervals, not per cell: memory grows with the spanning cells still open, never
/// with how many cells they cover (a `rowspan="1000000" colspan="16384"` is one entry).
struct SpanOccupancy {
    private struct Span {
        var firstColumn: Int
        var lastColumn: Int
        var firstRow: Int
        var lastRow: Int
    }

    /// Ordered by first column.
    private var spans: [Span] = []
    private var row = 0
    /// Spans before this index lie left of the last column asked about in this row (cells arrive
    /// left to right).
    private var cursor = 0

    /// Moves to `row`: spans that ended above it are dropped.
    mutating func startRow(_ row: Int) {
        self.row = row
        spans.removeAll { $0.lastRow < row }
        cursor = 0
    }

    /// The first column at or after `column` that no span from an earlier row covers.
    mutating func freeColumn(atOrAfter column: Int) -> Int {
        var free = column
        while cursor < spans.count, spans[cursor].firstColumn <= free {
            let span = spans[cursor]
            if span.firstRow <= row, span.lastColumn >= free { free = span.lastColumn + 1 }
            cursor += 1
        }
        return free
    }

    /// Marks `columns` as taken in the rows after the current one through `lastRow`.
    mutating func reserve(columns: ClosedRange<Int>, throughRow lastRow: Int) {
        guard lastRow > row else { return }
        let span = Span(firstColumn: columns.lowerBound, lastColumn: columns.upperBound, firstRow: row + 1, lastRow: lastRow)
        let index = spans.firstIndex { $0.firstColumn > span.firstColumn } ?? spans.count
        spans.insert(span, at: index)
        if index < cursor { cursor += 1 }
    }
}
