/// The text of one table cell as a browser shows it: runs of white space (space, tab, line feed,
/// carriage return, form feed, and `&nbsp;`) become one space, dropped at the start and end of the
/// cell and of each line; `<br>` is a line break (`\n`) that stays; `<p>`/`<div>` boundaries inside
/// a cell also start a new line, as they do on screen.
///
/// `&nbsp;` counts as white space (a browser would keep it): OA systems fill empty cells and pad
/// numbers with it, and a cell of `&nbsp;` must read as empty, not as a string of one space.
final class HTMLCellText {
    private var scratch = ByteScratch(capacity: 256)
    private var pendingSpace = false
    /// Stops collecting past this many bytes (for captions and titles, which only name a sheet).
    private let limit: Int

    init(limit: Int = Int.max) { self.limit = limit }

    deinit { scratch.deallocate() }

    func reset() {
        scratch.count = 0
        pendingSpace = false
    }

    func append(_ chunk: UnsafeRawBufferPointer) {
        var index = 0
        let count = chunk.count
        while index < count, scratch.count < limit {
            let byte = chunk[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D {
                markSpace()
                index += 1
            } else if byte == 0xC2, index + 1 < count, chunk[index + 1] == 0xA0 {   // U+00A0
                markSpace()
                index += 2
            } else {
                if pendingSpace {
                    scratch.append(0x20)
                    pendingSpace = false
                }
                scratch.append(byte)
                index += 1
            }
        }
    }

    /// `<br>`: a line break, unless the cell has no text yet.
    func lineBreak() {
        pendingSpace = false
        if scratch.count > 0 { scratch.append(0x0A) }
    }

    /// The edge of a block inside the cell: a new line unless one has just begun.
    func blockBoundary() {
        pendingSpace = false
        if scratch.count > 0, scratch.base[scratch.count - 1] != 0x0A { scratch.append(0x0A) }
    }

    /// The finished text, trailing line breaks dropped; valid until the next change.
    func finish() -> UnsafeBufferPointer<UInt8> {
        pendingSpace = false
        while scratch.count > 0, scratch.base[scratch.count - 1] == 0x0A { scratch.count -= 1 }
        return scratch.bytes
    }

    /// The finished text with line breaks as spaces (for a sheet name).
    func finishedOnOneLine() -> String {
        String(decoding: finish().map { $0 == 0x0A ? 0x20 : $0 }, as: UTF8.self)
    }

    private func markSpace() {
        if scratch.count > 0, scratch.base[scratch.count - 1] != 0x0A { pendingSpace = true }
    }
}
