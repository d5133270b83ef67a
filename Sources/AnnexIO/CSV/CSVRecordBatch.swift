/// Records copied out of the parser's buffer, so that a parsing thread can hand them to a reading
/// thread (`CSVReader` on large files): the bytes and field ends of up to a few thousand records.
/// Reused from batch to batch.
final class CSVRecordBatch: @unchecked Sendable {
    private struct Entry {
        var line: Int
        var bytesOffset: Int
        var endsOffset: Int
        var fieldCount: Int
        var quoteFree: Bool
    }

    // Touched by one thread at a time (the pipe hands the batch over under its lock), several times
    // per record: no dynamic exclusivity checks.
    private let unprotectFormulas: Bool
    @exclusivity(unchecked) private var bytes = ByteScratch(capacity: 1 << 18)
    @exclusivity(unchecked) private var ends: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var endsCount = 0
    @exclusivity(unchecked) private var endsCapacity = 1 << 14
    @exclusivity(unchecked) private var entries: [Entry] = []

    init(unprotectFormulas: Bool) {
        self.unprotectFormulas = unprotectFormulas
        ends = .allocate(capacity: endsCapacity)
        entries.reserveCapacity(4096)
    }

    deinit {
        bytes.deallocate()
        ends.deallocate()
    }

    var count: Int { entries.count }

    /// Whether the batch should be handed over (a single long record makes a batch of its own).
    var isFull: Bool { bytes.count >= 1 << 18 || entries.count >= 4096 }

    func removeAll() {
        bytes.count = 0
        endsCount = 0
        entries.removeAll(keepingCapacity: true)
    }

    func append(line: Int, record: CSVRecord) {
        let length = record.count == 0 ? 0 : record.ends[record.count - 1]
        entries.append(Entry(line: line, bytesOffset: bytes.count, endsOffset: endsCount, fieldCount: record.count,
                             quoteFree: record.quoteFree))
        bytes.append(UnsafeBufferPointer(start: record.bytes, count: length))
        if endsCount + record.count > endsCapacity { growFields(endsCount + record.count) }
        (ends + endsCount).update(from: record.ends, count: record.count)
        endsCount += record.count
    }

    private func growFields(_ needed: Int) {
        var capacity = endsCapacity * 2
        while capacity < needed { capacity *= 2 }
        ends = ends.reallocated(capacity: capacity, keeping: endsCount)
        endsCapacity = capacity
    }

    /// Every record and the line it starts on, as the parser gave them; valid until `removeAll`.
    /// (Through a buffer pointer: indexing the array property would retain and release it per record.)
    @inline(__always)
    func forEachRecord(_ body: (_ line: Int, _ record: CSVRecord) throws -> Void) rethrows {
        let bytes = self.bytes.base, ends = self.ends, unprotect = unprotectFormulas
        try entries.withUnsafeBufferPointer { entries in
            for entry in entries {
                try body(entry.line, CSVRecord(bytes: bytes + entry.bytesOffset, ends: ends + entry.endsOffset,
                                               count: entry.fieldCount, unprotectFormulas: unprotect, quoteFree: entry.quoteFree))
            }
        }
    }
}
