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
    /// The rows go into a `CSVRowSpool` until the sheet's extent is known: the merged ranges come after
    /// the cells in .xlsx and .xls, and the width at the end. A source that can find its extent without
    /// reading its rows (a CSV file, `SheetSource.extentScan`) has it found on another thread meanwhile;
    /// once it is known, the spooled rows are written and the rest go straight from reader to writer.
    /// Otherwise everything is written from the spool at the end. Only when every cell of the last
    /// column or of the last row lies under a merge is the sheet read once more, to find the extent
    /// without covered cells.
    public static func writeCSV(_ source: SheetSource, sheet index: Int, to writer: CSVWriter) throws {
        try writeCSV(source, sheet: index, to: writer, spillThreshold: CSVRowSpool.spillThreshold)
    }

    static func writeCSV(_ source: SheetSource, sheet index: Int, to writer: CSVWriter, spillThreshold: Int) throws {
        let scan = source.extentScan(sheet: index).map(BackgroundExtentScan.init)
        let spool = CSVRowSpool(escaper: writer.escaper, spillThreshold: spillThreshold)
        let direct = DirectRows(file: source.path)
        // (The writer, spool and scan go to DirectRows as arguments: references loaded from its
        // properties, or bound with `if let`, were retained and released on every row.)
        let merged = try source.readRows(at: index) { row in
            guard row.count > 0 else { return }
            if direct.extent == nil, case .finished(let extent?)? = try scan?.progress() {
                try direct.start(extent, after: spool, to: writer)
            }
            if direct.extent != nil {
                try direct.write(row, to: writer)
            } else {
                try spool.append(row)
            }
        }
        if direct.extent == nil, let extent = try scan?.wait() {   // the rows were read before the scan ended
            try direct.start(extent, after: spool, to: writer)
        }
        if direct.extent != nil { return try direct.finish(merged: merged) }

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

    /// Rows written as they are read once the sheet's extent is known, padded to it. A row beyond the
    /// extent, or a merged range, means the file changed after its extent was found: an error, not a
    /// ragged file. A class: the row callback would pay exclusivity checks on captured variables.
    private final class DirectRows {
        let file: String
        @exclusivity(unchecked) private(set) var extent: SheetExtent?
        @exclusivity(unchecked) private var nextRow = 0

        init(file: String) {
            self.file = file
        }

        private var changed: AnnexError {
            AnnexError(file: file, reason: "文件在读取过程中被改动了，请等它保存完毕后再试")
        }

        /// Writes the rows spooled so far, padded to `extent`; the next rows go straight out.
        func start(_ extent: SheetExtent, after spool: CSVRowSpool, to writer: CSVWriter) throws {
            self.extent = extent
            var uncovered = CoveredCells([])
            try spool.forEachRow { row in
                guard row.fieldCount <= extent.lastColumn + 1 else { throw changed }
                try padRows(before: row.row, writer)
                try writer.writeRow(row, lastColumn: extent.lastColumn, covered: &uncovered)
            }
        }

        func write(_ row: RowView, to writer: CSVWriter) throws {
            try padRows(before: row[0].reference.row, writer)
            guard try writer.writeRow(row, lastColumn: extent!.lastColumn) else { throw changed }
        }

        /// Empty records for the rows without cells before `row`, which is then the next written.
        @inline(__always)
        private func padRows(before row: Int, _ writer: CSVWriter) throws {
            guard row <= extent!.lastRow else { throw changed }
            while nextRow < row {
                try writer.writeEmptyRow(lastColumn: extent!.lastColumn)
                nextRow += 1
            }
            nextRow += 1
        }

        func finish(merged: [CellRange]) throws {
            guard merged.isEmpty, nextRow == extent!.lastRow + 1 else { throw changed }
        }
    }

    /// A CSV file's name can hold characters a sheet name may not (`[]:*?/\`, over 31 characters).
    static func sheetName(_ name: String) -> String {
        let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }
}
