import Foundation

/// Sheet-by-sheet reading for the batch jobs. `AnnexReader.read(file:)` reads a file as a whole and
/// passes over sheets in no known layout when another sheet is recognised; the jobs need the
/// outcome of every sheet, so that each one that cannot be used is named.
extension AnnexReader {
    /// What became of one sheet.
    public enum SheetOutcome: Sendable {
        case read(TableReading)
        /// A sheet without a single cell: nothing to read, nothing to report.
        case empty
        case failed(AnnexError)
    }

    /// Every sheet of a file, in workbook order; a file that cannot be opened gives one `.failed`
    /// with the sheet name empty.
    public func readEverySheet(file: String) -> [(sheet: String, outcome: SheetOutcome)] {
        let source: SheetSource
        do {
            source = try Spreadsheet.open(path: file, csv: csv, zipLimits: zipLimits)
        } catch {
            return [("", .failed(Self.annexError(error, file: file)))]
        }
        let results = readSharingPeriods(source, file: file, indices: Array(source.sheetNames.indices)) { reader, index in
            try reader.readRecognizing(try reader.sheetToRecognize(source, at: index), file: file)
        }
        return zip(source.sheetNames, results).map { name, result in
            switch result {
            case .success(let reading): (name, reading.map(SheetOutcome.read) ?? .empty)
            case .failure(let error): (name, .failed(Self.annexError(error, file: file)))
            }
        }
    }

    /// One sheet in whichever layout it is in; nil for an empty sheet; an error naming the closest
    /// template when no layout matches.
    public func readRecognizing(_ sheet: Sheet, file: String) throws -> TableReading? {
        if sheet.cells.isEmpty { return nil }
        guard let reading = try readRecognized(sheet, file: file) else {
            throw unrecognized(sheet, grid: GridIndex(sheet), file: file)
        }
        return reading
    }

    static func annexError(_ error: Error, file: String) -> AnnexError {
        (error as? AnnexError) ?? AnnexError(file: file, reason: "\(error)")
    }
}

extension AnnexError {
    /// The reason with its place inside the sheet in front, for reports that give the file and the
    /// sheet in fields of their own: `单元格 C7：科目编码“x”不是数字编码`, `第 12 行：…`.
    func reason(inSheet sheet: String) -> String {
        var place: [String] = []
        if let location, !location.isEmpty, location != "工作表“\(sheet)”" { place.append(location) }
        if let cell, !cell.isEmpty { place.append(cell) }
        return place.isEmpty ? reason : place.joined(separator: "，") + "：" + reason
    }
}
