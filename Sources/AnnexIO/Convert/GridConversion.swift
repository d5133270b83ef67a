/// `annex convert`: any CSV ↔ .xlsx as a plain grid, no template involved. Streams: rows go from
/// the reader to the writer as they are read, so memory does not grow with the sheet.
public enum GridConversion {
    public struct Options: Sendable {
        /// Only this sheet (by name); nil converts the first sheet to CSV, every sheet to .xlsx.
        public var sheet: String?
        /// Encoding of CSV output.
        public var csvOutput: CSVWriteOptions
        public var csvInput: CSVReadOptions
        public var zipLimits: ZipLimits
        public var compressionLevel: Int32

        public init(sheet: String? = nil, csvOutput: CSVWriteOptions = CSVWriteOptions(),
                    csvInput: CSVReadOptions = CSVReadOptions(), zipLimits: ZipLimits = ZipLimits(),
                    compressionLevel: Int32 = 1) {
            self.sheet = sheet
            self.csvOutput = csvOutput
            self.csvInput = csvInput
            self.zipLimits = zipLimits
            self.compressionLevel = compressionLevel
        }
    }

    public static func isWorkbookPath(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return lowered.hasSuffix(".xlsx") || lowered.hasSuffix(".xlsm")
    }

    public static func convert(input: String, output: String, options: Options = Options()) throws {
        let source = try Spreadsheet.open(path: input, csv: options.csvInput, zipLimits: options.zipLimits)
        let selected = try options.sheet.map { [try source.sheetIndex(named: $0)] }
        if isWorkbookPath(output) {
            try toWorkbook(source, sheets: selected ?? Array(source.sheetNames.indices), output: output, options: options)
        } else {
            try toCSV(source, sheet: selected?.first ?? 0, output: output, options: options)
        }
    }

    /// Every selected sheet with its merges (values stored under a merge are kept: nothing is lost).
    static func toWorkbook(_ source: SheetSource, sheets: [Int], output: String, options: Options) throws {
        let writer = try XLSXWriter(path: output, options: XLSXWriteOptions(
            compressionLevel: options.compressionLevel, refusingToOverwrite: [source.path]))
        do {
            for index in sheets {
                try writer.beginSheet(name: sheetName(source.sheetNames[index]))
                let merged = try source.readSheet(at: index) { row in try writer.appendRow(row) }
                try writer.endSheet(merged: merged)
            }
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// `writeCSV` into a file, atomically.
    static func toCSV(_ source: SheetSource, sheet index: Int, output: String, options: Options) throws {
        let writer = try CSVWriter(path: output, options: options.csvOutput, refusingToOverwrite: [source.path])
        do {
            try writeCSV(source, sheet: index, to: writer)
            try writer.close()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// One sheet as a dense grid, laid out as `CSVWriter.write(_ sheet:)` lays out a sheet in memory
    /// (from A1 to the last cell not covered by a merge; a merged cell's text once), but streamed.
    ///
    /// A source that knows the sheet's extent beforehand (a CSV file, `extentBeforeReading`) has its rows
    /// written as they are read. Otherwise the sheet is read once into a `CSVRowSpool` (the merged ranges
    /// come after the cells in .xlsx and .xls, the width at the end), then written from the spool. Only
    /// when every cell of the last column or of the last row lies under a merge is the sheet read once
    /// more, to find the extent without covered cells.
    public static func writeCSV(_ source: SheetSource, sheet index: Int, to writer: CSVWriter) throws {
        if let extent = try source.extentBeforeReading(sheet: index) {
            try writeCSV(source, sheet: index, extent: extent, to: writer)
        } else {
            try writeCSV(source, sheet: index, to: writer, spillThreshold: CSVRowSpool.spillThreshold)
        }
    }

    /// Rows straight from the reader to the writer, padded to `extent`. A row beyond the extent, or a
    /// merged range, means the file changed since its extent was found: an error, not a ragged file.
    static func writeCSV(_ source: SheetSource, sheet index: Int, extent: SheetExtent, to writer: CSVWriter) throws {
        let changed = AnnexError(file: source.path, reason: "文件在读取过程中被改动了，请等它保存完毕后再试")
        let nextRow = RowCounter()
        let merged = try source.readRows(at: index) { row in
            guard row.count > 0 else { return }
            let rowIndex = row[0].reference.row
            guard rowIndex <= extent.lastRow else { throw changed }
            while nextRow.value < rowIndex {
                try writer.writeEmptyRow(lastColumn: extent.lastColumn)
                nextRow.value += 1
            }
            guard try writer.writeRow(row, lastColumn: extent.lastColumn) else { throw changed }
            nextRow.value += 1
        }
        guard merged.isEmpty, nextRow.value == extent.lastRow + 1 else { throw changed }
    }

    /// A count kept across row callbacks: a captured variable would cost dynamic exclusivity checks
    /// on every row.
    private final class RowCounter {
        @exclusivity(unchecked) var value = 0
    }

    /// Through a `CSVRowSpool` (see `writeCSV(_:sheet:to:)`).
    static func writeCSV(_ source: SheetSource, sheet index: Int, to writer: CSVWriter, spillThreshold: Int) throws {
        let spool = CSVRowSpool(escaper: writer.escaper, spillThreshold: spillThreshold)
        let merged = try source.readRows(at: index) { row in
            if row.count > 0 { try spool.append(row) }
        }
        var lastColumn = spool.lastColumn
        var lastRow = spool.lastRowIndex
        let merges = merged.filter { $0.first != $0.last }
        func isCovered(row: Int, column: Int) -> Bool {
            let reference = CellReference(row: row, column: column)
            return merges.contains { $0.contains(reference) && $0.first != reference }
        }
        // A non-empty field of the last row is surely a cell; when none is outside the merges the
        // extent is found again from the sheet (rare, and exact).
        var lastRowKept = false
        spool.lastRow?.forEachField(delimiter: writer.escaper.delimiter) { column, field in
            if !field.isEmpty && !isCovered(row: lastRow, column: column) { lastRowKept = true }
        }
        let extentKept = lastRowKept && spool.rowsAtLastColumn.contains { !isCovered(row: Int($0), column: lastColumn) }
        // Merged ranges are checked row by row (a whole-column merge must not become a set of cells).
        var covered = CoveredCells(merges)
        if !merges.isEmpty && !extentKept {
            lastRow = -1
            lastColumn = -1
            try source.readRows(at: index) { row in
                for position in 0..<row.count where !covered.covers(row[position].reference) {
                    lastColumn = max(lastColumn, row[position].reference.column)
                    lastRow = row[position].reference.row
                }
            }
            covered = CoveredCells(merges)
        }
        guard lastColumn >= 0 else { return }
        var nextRow = 0
        try spool.forEachRow { row in
            let rowIndex = row.row
            if !merges.isEmpty && rowIndex > lastRow { return }   // only covered cells below
            while nextRow < rowIndex {
                try writer.writeEmptyRow(lastColumn: lastColumn)
                nextRow += 1
            }
            try writer.writeRow(row, lastColumn: lastColumn, covered: &covered)
            nextRow += 1
        }
    }

    /// A CSV file's name can hold characters a sheet name may not (`[]:*?/\`, over 31 characters).
    static func sheetName(_ name: String) -> String {
        let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }
}
