/// A file of one or more sheets that can be streamed row by row: an .xlsx workbook or a CSV file.
/// Everything above the Grid reads through this and never asks which format a file was.
public protocol SheetSource: AnyObject {
    var path: String { get }
    var sheetNames: [String] { get }
    /// Streams the sheet's non-empty rows in order, as views valid during the call; returns its merged ranges.
    @discardableResult
    func readRows(at index: Int, onRow: @escaping (RowView) throws -> Void) throws -> [CellRange]
    /// The file's custom document properties by name (xlsx `docProps/custom.xml`); empty for formats
    /// without them.
    var documentProperties: [String: String] { get }
    /// A way to find the extent `readRows(at:)` will show, without reading the rows, for a sheet
    /// without merged ranges (a CSV file: a scan of its bytes); nil when the source has none, and
    /// always for a sheet with merged ranges. The function may run on another thread while the rows
    /// are read, and returns nil when it cannot tell after all. Writers that pad every row to the
    /// sheet's width (`GridConversion.writeCSV`) then write rows as they arrive instead of keeping them.
    func extentScan(sheet index: Int) -> (@Sendable () throws -> SheetExtent?)?
}

/// How far a sheet's cells reach: the last row and the rightmost column that hold a cell, -1 for an
/// empty sheet.
public struct SheetExtent: Equatable, Sendable {
    public var lastRow: Int
    public var lastColumn: Int

    public init(lastRow: Int, lastColumn: Int) {
        self.lastRow = lastRow
        self.lastColumn = lastColumn
    }
}

extension SheetSource {
    public var documentProperties: [String: String] { [:] }

    public func extentScan(sheet index: Int) -> (@Sendable () throws -> SheetExtent?)? { nil }

    /// Streams the sheet's non-empty rows in order as owned cells; returns its merged ranges.
    @discardableResult
    public func readSheet(at index: Int, onRow: @escaping ([Cell]) throws -> Void) throws -> [CellRange] {
        try readRows(at: index) { row in
            // A new array per row: a captured, reused one costs an exclusivity check per append.
            try onRow((0..<row.count).map { row.cell(at: $0) })
        }
    }

    /// The whole sheet in memory.
    public func sheet(at index: Int) throws -> Sheet {
        var cells: [Cell] = []
        let merged = try readSheet(at: index) { cells.append(contentsOf: $0) }
        return Sheet(name: sheetNames[index], cells: cells, merged: merged)
    }

    /// The index of a sheet by name (exact, then ignoring case), or an error listing the sheets.
    public func sheetIndex(named name: String) throws -> Int {
        if let index = sheetNames.firstIndex(of: name)
            ?? sheetNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) {
            return index
        }
        let list = sheetNames.map { "“\($0)”" }.joined(separator: "、")
        throw AnnexError(file: path, reason: "没有名为“\(name)”的工作表（现有：\(list)）")
    }
}

extension XLSXReader: SheetSource {
    public var sheetNames: [String] { sheets.map(\.name) }
}
