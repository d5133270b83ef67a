import CAnnexSIMD

/// Finds the extent of the sheet a CSV file reads as (`CSVSheetSource`) from the file's raw bytes,
/// before any record is parsed: the last record with a non-empty field, and the rightmost non-empty
/// field of any record.
///
/// Why: the CSV layout of a sheet pads every record to the sheet's width and stops at its last row
/// with a cell, which a streaming writer must know before it writes the first record. A CSV file has no
/// merged ranges, so one pass over its bytes (no decoding, nothing kept) gives exactly what reading it
/// would; the writer then writes each row as it is read instead of keeping the sheet (`CSVRowSpool`).
///
/// Safe on the raw bytes of ASCII-compatible encodings only: in UTF-8 no byte of a multibyte
/// character is ASCII, and in GB18030 the trailing bytes are 0x30–0x39 or 0x40 and above, so a
/// delimiter below 0x30 or in 0x3A–0x3F, `"`, CR and LF are never part of a character. The caller
/// checks that (`CSVReader.scanExtent`).
///
/// The states mirror `CSVParser`'s (the two must agree; tests compare them on random text): a field is
/// non-empty when the parser would give it a byte, so `""` is empty, `""""` and `"",` are not the same.
struct CSVExtentScanner {
    private enum State {
        /// At the start of a field or record (the two differ only in whether a line end makes an empty
        /// field, which does not change the extent).
        case fieldStart
        case unquoted, quoted
        /// Just after a quote inside a quoted field: a doubled quote, the field's end, or text after it.
        case quotedQuote
        /// Just after a CR: an LF here belongs to the same line end.
        case afterCR
    }

    let delimiter: UInt8
    private var state = State.fieldStart
    private var row = 0
    private var column = 0
    /// The last row with a non-empty field, -1 when none.
    private(set) var lastRow = -1
    /// The rightmost column with a non-empty field, -1 when none.
    private(set) var lastColumn = -1

    init(delimiter: UInt8) {
        self.delimiter = delimiter
    }

    /// The field at `column` of `row` has a byte. (Noted as soon as it has one: every field ends, at
    /// a delimiter, a line end or the end of the file; an unterminated quote fails the read anyway.)
    @inline(__always)
    private mutating func noteContent() {
        lastRow = row
        if column > lastColumn { lastColumn = column }
    }

    @inline(__always)
    private mutating func endRecord() {
        row &+= 1
        column = 0
    }

    /// Scans the next `count` bytes of the file.
    mutating func feed(_ p: UnsafePointer<UInt8>, _ count: Int) {
        var i = 0
        while i &+ 64 <= count {
            if !scanBlock(annex_classify64(p + i, delimiter)) {
                for k in i..<(i &+ 64) { step(p[k]) }
            }
            i &+= 64
        }
        while i < count {
            step(p[i])
            i &+= 1
        }
    }

    /// 64 bytes at once, when none is a quote and no quoted field is open (the usual case), from the
    /// bit masks of its delimiters and line ends (bit k for byte k). Returns false, having done
    /// nothing, for a block `step` must take byte by byte.
    @inline(__always)
    private mutating func scanBlock(_ block: annex_byte_classes) -> Bool {
        if state == .quoted {
            // Inside quotes every byte up to the closing quote is the field's.
            guard block.quotes == 0 else { return false }
            noteContent()
            return true
        }
        guard state != .quotedQuote, block.quotes == 0 else { return false }
        // Outside quotes, a field start and an unquoted field take the same steps for these bytes.
        let delimiters = block.delimiters
        let contentBits = ~(delimiters | block.crs | block.lfs)
        // An LF right after a CR (here, or as the block's first byte after one) ends no second record.
        let crBefore = block.crs &<< 1 | (state == .afterCR ? 1 : 0)
        var lineEnds = (block.crs | block.lfs) & ~(block.lfs & crBefore)
        var segment = ~UInt64(0)   // the bytes after the last line end so far
        while true {
            let end = lineEnds & (0 &- lineEnds)   // the next line end's bit, or 0
            let inRecord = segment & (end &- 1)    // the bytes before it (all the rest when 0)
            let content = contentBits & inRecord
            if content != 0 {
                let last = UInt64(63 &- content.leadingZeroBitCount)
                let before = delimiters & inRecord & ((1 &<< last) &- 1)
                lastRow = row
                let at = column &+ before.nonzeroBitCount
                if at > lastColumn { lastColumn = at }
            }
            column &+= (delimiters & inRecord).nonzeroBitCount
            guard end != 0 else { break }
            endRecord()
            lineEnds &= lineEnds &- 1
            segment = ~((end &<< 1) &- 1)
        }
        let lastByte = UInt64(1) &<< 63
        state = block.crs & lastByte != 0 ? .afterCR
            : (block.lfs | delimiters) & lastByte != 0 ? .fieldStart : .unquoted
        return true
    }

    /// One byte, as `CSVParser` takes it.
    @inline(__always)
    private mutating func step(_ byte: UInt8) {
        switch state {
        case .afterCR, .fieldStart, .unquoted:
            if state == .afterCR {
                state = .fieldStart
                if byte == Byte.lf { return }
            }
            if byte == delimiter {
                column &+= 1
                state = .fieldStart
            } else if byte == Byte.cr || byte == Byte.lf {
                endRecord()
                state = byte == Byte.cr ? .afterCR : .fieldStart
            } else if byte == Byte.quote && state == .fieldStart {
                state = .quoted
            } else {   // a quote inside an unquoted field is an ordinary byte, as in `CSVParser`
                noteContent()
                state = .unquoted
            }
        case .quoted:
            if byte == Byte.quote {
                state = .quotedQuote
            } else {
                noteContent()
            }
        case .quotedQuote:
            if byte == Byte.quote {   // a doubled quote: one `"` in the field
                noteContent()
                state = .quoted
            } else {
                // The field ends here, or `"abc"def` continues it: the byte is then taken as in an
                // unquoted field.
                state = .unquoted
                step(byte)
            }
        }
    }

}
