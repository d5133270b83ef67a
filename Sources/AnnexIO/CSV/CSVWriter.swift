import Glibc

/// How `CSVWriter` writes.
public struct CSVWriteOptions: Sendable {
    /// `.utf8` or `.gb18030` (UTF-16 is only read, never written).
    public var encoding: TextEncoding
    /// Whether a UTF-8 file starts with a byte-order mark (`EF BB BF`), which makes Excel and WPS open
    /// it as UTF-8. On by default; the canonical model CSV (SPEC.md) is written without. Ignored for
    /// GB18030, which is always written without one.
    public var bom: Bool
    /// The field delimiter: an ASCII byte other than `"`, CR and LF.
    public var delimiter: UInt8
    /// Prefix text that a spreadsheet would evaluate as a formula with `'` (see `FormulaProtection`).
    public var protectFormulas: Bool

    public init(encoding: TextEncoding = .utf8, bom: Bool = true, delimiter: UInt8 = UInt8(ascii: ","),
                protectFormulas: Bool = true) {
        self.encoding = encoding
        self.bom = bom
        self.delimiter = delimiter
        self.protectFormulas = protectFormulas
    }
}

/// Writes CSV (RFC 4180): fields that contain the delimiter, a quote, CR or LF are quoted and their
/// quotes doubled; records end with CRLF. UTF-8 (with a byte-order mark unless `bom` is off) or
/// GB18030 (transcoded block by block as it is written, exactly as glibc iconv would; no byte-order
/// mark). A character GB18030 cannot hold (glibc rejects a few private-use ones) is an error.
/// Memory stays at a few blocks of 64 KiB whatever the size of the output.
///
/// **Formula-injection protection** (on by default, `protectFormulas`): a text field starting with
/// `=`, `+`, `@`, a tab, a CR, or `-` followed by something that is not a number is written with a
/// leading `'` (`=SUM(A1)` → `'=SUM(A1)`), so that a spreadsheet shows it instead of evaluating it.
/// Numbers (`-12.5`), a lone `-` and dash markers such as `－` or `—` stay exactly as they are, and
/// `.number` cells are never prefixed. Reading with `CSVReadOptions.unprotectFormulas` removes exactly
/// these apostrophes again; see `FormulaProtection` for the precise rule.
///
/// Output to a path is atomic (`AtomicOutput`): nothing appears at the path until `close()` succeeds,
/// and an existing file there is only replaced then. Dropping the writer without `close()`, or any
/// error, leaves no trace.
///
/// `writeRow([""])` (one empty field) is written as `""`, so that it does not read back as a blank line.
public final class CSVWriter {
    private let sink: any CSVByteSink
    private let options: CSVWriteOptions
    private let path: String
    private let encoder: GB18030Encoder?
    /// The bytes not yet flushed (UTF-8), flushed past `flushThreshold`.
    @exclusivity(unchecked) private var block = ByteScratch(capacity: CSVWriter.flushThreshold * 2)
    private let encoded: UnsafeMutablePointer<UInt8>
    private let encodedCapacity = 64 * 1024
    let escaper: CSVFieldEscaper
    private var closed = false
    private static let flushThreshold = 64 * 1024

    /// Starts writing `path` atomically.
    /// - Parameter inputs: the files this output is made from; refuses when `path` is one of them.
    public convenience init(path: String, options: CSVWriteOptions = CSVWriteOptions(),
                            refusingToOverwrite inputs: [String] = []) throws {
        try CSVWriter.validate(options, file: path)
        let output = try AtomicOutput(path: path, refusingToOverwrite: inputs)
        try self.init(sink: output, name: path, options: options)
    }

    /// Writes to standard output (not atomic: a pipe has no rename).
    public convenience init(standardOutputWith options: CSVWriteOptions = CSVWriteOptions()) throws {
        try self.init(fileDescriptor: 1, name: "标准输出", options: options)
    }

    /// Writes to an open file descriptor, which is not closed.
    public convenience init(fileDescriptor: Int32, name: String, options: CSVWriteOptions = CSVWriteOptions()) throws {
        try CSVWriter.validate(options, file: name)
        try self.init(sink: FileDescriptorOutput(descriptor: fileDescriptor, name: name), name: name, options: options)
    }

    private init(sink: any CSVByteSink, name: String, options: CSVWriteOptions) throws {
        self.sink = sink
        self.options = options
        self.path = name
        if options.encoding == .gb18030 {
            guard let converter = GB18030Encoder() else {
                throw AnnexError(file: name, reason: "这台机器的 iconv 不支持 GB18030 编码")
            }
            encoder = converter
        } else {
            encoder = nil
        }
        encoded = .allocate(capacity: encodedCapacity)
        escaper = CSVFieldEscaper(delimiter: options.delimiter, protectFormulas: options.protectFormulas)
        if options.encoding == .utf8 && options.bom {
            append(0xEF); append(0xBB); append(0xBF)
        }
    }

    deinit {
        if !closed { sink.abandon() }
        block.deallocate()
        encoded.deallocate()
    }

    private static func validate(_ options: CSVWriteOptions, file: String) throws {
        guard options.encoding == .utf8 || options.encoding == .gb18030 else {
            throw AnnexError(file: file, reason: "CSV 只能写成 UTF-8 或 GB18030 编码")
        }
        let d = options.delimiter
        guard d < 0x80, d != Byte.quote, d != Byte.cr, d != Byte.lf else {
            throw AnnexError(file: file, reason: "分隔符必须是一个 ASCII 字符，且不能是引号或换行")
        }
    }

    // MARK: - Rows

    /// Writes one record of text fields (formula protection applies to each).
    public func writeRow(_ fields: [String]) throws {
        for (index, field) in fields.enumerated() {
            if index > 0 { append(options.delimiter) }
            escaper.append(field, protect: options.protectFormulas, to: &block)
        }
        if fields.count == 1 && fields[0].isEmpty { append(Byte.quote); append(Byte.quote) }
        try endRow()
    }

    /// Writes one record of cell values; nil is an empty field. `.number` text is written as it is,
    /// `.bool` as `TRUE`/`FALSE`, the others as their text (formula protection applies to them).
    public func writeRow(_ values: [CellValue?]) throws {
        for (index, value) in values.enumerated() {
            if index > 0 { append(options.delimiter) }
            if let value { escaper.append(value, to: &block) }
        }
        if values.count == 1 && (values[0]?.text.isEmpty ?? true) { append(Byte.quote); append(Byte.quote) }
        try endRow()
    }

    /// Writes a row read from a sheet without merged ranges, dense from column A to `lastColumn`, as
    /// `write(_ sheet:)` lays out a row. Returns false, writing nothing, when the row has a cell right
    /// of `lastColumn`.
    func writeRow(_ row: RowView, lastColumn: Int) throws -> Bool {
        guard row[row.count - 1].reference.column <= lastColumn else { return false }
        let fieldCount = escaper.appendFields(of: row, to: &block)
        try writeEmptyFields(from: fieldCount, through: lastColumn)
        return true
    }

    /// Writes one spooled record, dense from column A to `lastColumn`, as `write(_ sheet:)` lays out a
    /// row: empty fields where the row has no cell or `covered` says the cell lies under a merge (and is
    /// not its first cell). A row no merge touches is copied as it was escaped.
    func writeRow(_ row: SpooledRow, lastColumn: Int, covered: inout CoveredCells) throws {
        let fieldCount = row.fieldCount
        if fieldCount <= lastColumn + 1 && !covered.spans(row: row.row) {
            block.append(row.record)
            try writeEmptyFields(from: fieldCount, through: lastColumn)
            return
        }
        let rowIndex = row.row
        row.forEachField(delimiter: options.delimiter) { column, field in
            guard column <= lastColumn else { return }
            if column > 0 { block.append(options.delimiter) }
            if !covered.covers(CellReference(row: rowIndex, column: column)) { block.append(field) }
        }
        try writeEmptyFields(from: min(fieldCount, lastColumn + 1), through: lastColumn)
    }

    /// A record of `lastColumn + 1` empty fields (a blank line for one column), as `write(_ sheet:)`
    /// writes a row without cells.
    public func writeEmptyRow(lastColumn: Int) throws {
        try writeEmptyFields(from: 0, through: lastColumn)
    }

    private func writeEmptyFields(from first: Int, through lastColumn: Int) throws {
        var column = first
        while column <= lastColumn {
            if column > 0 { append(options.delimiter) }
            column += 1
        }
        try endRow()
    }

    /// Writes a sheet as a dense grid: from A1 to the last used row and column, one record per row,
    /// every record as wide as the widest, empty cells as empty fields. A value in a cell covered by a
    /// merged range (not its top-left cell) is dropped, so a merged cell's text appears once. Merges,
    /// styles, number formats and formulas are not representable in CSV; a formula cell gives its value.
    public func write(_ sheet: Sheet) throws {
        var sorted = true
        sheet.cells.withUnsafeBufferPointer { cells in
            var k = 1
            while k < cells.count, sorted {
                sorted = cells[k - 1].reference <= cells[k].reference
                k += 1
            }
        }
        if sorted {
            try write(sheet.cells, merged: sheet.merged)
        } else {
            try write(sheet.cells.sorted { $0.reference < $1.reference }, merged: sheet.merged)
        }
    }

    private func write(_ cellArray: [Cell], merged: [CellRange]) throws {
        try cellArray.withUnsafeBufferPointer { cells in
            // Extent, without covered cells.
            var covered = CoveredCells(merged)
            var lastRow = -1
            var lastColumn = -1
            for index in cells.indices where !covered.covers(cells[index].reference) {
                lastRow = max(lastRow, cells[index].reference.row)
                lastColumn = max(lastColumn, cells[index].reference.column)
            }
            guard lastRow >= 0 else { return }
            covered = CoveredCells(merged)
            var index = 0
            for row in 0...lastRow {
                var column = 0
                while index < cells.count, cells[index].reference.row == row {
                    let reference = cells[index].reference
                    defer { index += 1 }
                    // Skip covered cells and repeated references (the first one wins).
                    if reference.column < column || covered.covers(reference) { continue }
                    while column < reference.column {
                        if column < lastColumn { append(options.delimiter) }
                        column += 1
                    }
                    escaper.append(cells[index].value, to: &block)
                    if column < lastColumn { append(options.delimiter) }
                    column += 1
                }
                while column < lastColumn {
                    append(options.delimiter)
                    column += 1
                }
                try endRow()
            }
        }
    }

    /// Flushes and (for a path) renames the file into place. Nothing is written after this.
    public func close() throws {
        guard !closed else { return }
        do {
            try flushBlock()
            closed = true
            try sink.commit()
        } catch {
            closed = true
            sink.abandon()
            throw error
        }
    }

    /// Gives up: removes the temporary file, leaves any existing file at the path untouched.
    public func abandon() {
        closed = true
        sink.abandon()
    }

    /// Writes a whole sheet to `path` (see `write(_:)`), atomically.
    public static func write(_ sheet: Sheet, to path: String, options: CSVWriteOptions = CSVWriteOptions(),
                             refusingToOverwrite inputs: [String] = []) throws {
        let writer = try CSVWriter(path: path, options: options, refusingToOverwrite: inputs)
        do {
            try writer.write(sheet)
            try writer.close()
        } catch {
            writer.abandon()
            throw error
        }
    }

    // MARK: - Bytes

    @inline(__always)
    private func append(_ byte: UInt8) { block.append(byte) }

    private func endRow() throws {
        guard !closed else {
            throw AnnexError(file: path, reason: "CSV 输出已经关闭，不能继续写入")
        }
        append(Byte.cr)
        append(Byte.lf)
        if block.count >= CSVWriter.flushThreshold { try flushBlock() }
    }

    private func flushBlock() throws {
        let count = block.count
        guard count > 0 else { return }
        defer { block.count = 0 }
        let bytes = block.base
        guard let encoder else {
            try sink.write(UnsafeRawBufferPointer(start: bytes, count: count))
            return
        }
        // GB18030, in slices that end on a character boundary and fit `encoded` at the worst case.
        let slice = (encodedCapacity - 16) / 2
        var offset = 0
        while offset < count {
            var end = min(count, offset + slice)
            while end < count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            let result = encoder.encode(bytes + offset, end - offset, into: encoded)
            if result.produced > 0 { try sink.write(UnsafeRawBufferPointer(start: encoded, count: result.produced)) }
            if result.stop != .done {
                let at = offset + result.consumed
                let scalar = String(decoding: UnsafeBufferPointer(start: bytes + at, count: min(4, count - at)),
                                    as: UTF8.self).unicodeScalars.first
                let name = scalar.map { "U+" + String($0.value, radix: 16, uppercase: true) } ?? "?"
                throw AnnexError(file: path, reason: "字符 \(name) 无法用 GB18030 编码写出")
            }
            offset = end
        }
    }
}

/// Where `CSVWriter` puts its bytes.
protocol CSVByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    func commit() throws
    func abandon()
}

extension AtomicOutput: CSVByteSink {}

/// Unbuffered `write(2)` to a descriptor that is not ours (the writer already writes in large blocks).
final class FileDescriptorOutput: CSVByteSink {
    let descriptor: Int32
    let name: String

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw AnnexError(file: name, reason: "写入失败（\(AtomicOutput.describe(code))）")
            }
            offset += n
        }
    }

    func commit() throws {}
    func abandon() {}
}

/// Answers “is this cell covered by a merged range, other than the range's top-left cell?” for cells
/// visited in row order, keeping only the ranges that span the current row.
struct CoveredCells {
    private let ranges: [CellRange]
    private var next = 0
    private var active: [CellRange] = []
    private var row = -1

    init(_ merged: [CellRange]) {
        ranges = merged.filter { $0.first != $0.last }.sorted { $0.first.row < $1.first.row }
    }

    mutating func covers(_ reference: CellReference) -> Bool {
        guard spans(row: reference.row) else { return false }
        for range in active where range.contains(reference) {
            return reference != range.first
        }
        return false
    }

    /// Whether a merged range spans `row` (moving to that row).
    mutating func spans(row target: Int) -> Bool {
        if ranges.isEmpty { return false }
        if target != row {
            if target < row {  // not in row order: start again
                next = 0
                active = []
            }
            row = target
            active.removeAll { $0.last.row < row }
            while next < ranges.count, ranges[next].first.row <= row {
                if ranges[next].last.row >= row { active.append(ranges[next]) }
                next += 1
            }
        }
        return !active.isEmpty
    }
}
