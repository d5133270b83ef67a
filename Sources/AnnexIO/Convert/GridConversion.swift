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

    /// One sheet as a dense grid. Two passes over an .xlsx: the first finds the width and the merged
    /// ranges (stored after the cells), the second writes, leaving a merged cell's text in its first
    /// cell only.
    static func toCSV(_ source: SheetSource, sheet index: Int, output: String, options: Options) throws {
        var lastColumn = -1
        let merged = try source.readSheet(at: index) { row in lastColumn = max(lastColumn, row.last?.reference.column ?? -1) }
        // Merged ranges are checked row by row (a whole-column merge must not become a set of cells).
        var covered = CoveredCells(merged)
        let writer = try CSVWriter(path: output, options: options.csvOutput, refusingToOverwrite: [source.path])
        do {
            var nextRow = 0
            var fields = [CellValue?](repeating: nil, count: lastColumn + 1)
            try source.readSheet(at: index) { row in
                guard let rowIndex = row.first?.reference.row else { return }
                while nextRow < rowIndex {
                    try writer.writeRow([CellValue?](repeating: nil, count: lastColumn + 1))
                    nextRow += 1
                }
                for i in fields.indices { fields[i] = nil }
                for cell in row where !covered.covers(cell.reference) { fields[cell.reference.column] = cell.value }
                try writer.writeRow(fields)
                nextRow += 1
            }
            try writer.close()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// A CSV file's name can hold characters a sheet name may not (`[]:*?/\`, over 31 characters).
    static func sheetName(_ name: String) -> String {
        let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }
}
