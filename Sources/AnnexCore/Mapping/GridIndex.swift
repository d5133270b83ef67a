/// Random access to a sheet's cells by position, and the text a cell shows.
struct GridIndex {
    let sheet: Sheet
    private let cells: [CellReference: Cell]
    /// `TextFolding.matchKey` of the cells where headers are searched, computed once: recognition
    /// compares them for every template at every candidate origin.
    private let keys: [CellReference: String]
    let lastRow: Int

    /// Rows whose match keys are kept (the header search looks at the first 60 rows).
    static let keyedRows = 80

    init(_ sheet: Sheet) {
        self.sheet = sheet
        var cells: [CellReference: Cell] = [:]
        var keys: [CellReference: String] = [:]
        cells.reserveCapacity(sheet.cells.count)
        for cell in sheet.cells {
            cells[cell.reference] = cell
            if cell.reference.row < Self.keyedRows { keys[cell.reference] = TextFolding.matchKey(cell.value.text) }
        }
        self.cells = cells
        self.keys = keys
        lastRow = sheet.cells.last?.reference.row ?? -1
    }

    /// The match key of a cell's text ("" for an empty cell).
    func matchKey(_ row: Int, _ column: Int) -> String {
        let reference = CellReference(row: row, column: column)
        if row < Self.keyedRows { return keys[reference] ?? "" }
        return cells[reference].map { TextFolding.matchKey($0.value.text) } ?? ""
    }

    subscript(row: Int, column: Int) -> Cell? { cells[CellReference(row: row, column: column)] }

    /// The cell's text as printed (numbers as their decimal text), empty for an empty cell.
    func text(_ row: Int, _ column: Int) -> String { self[row, column]?.value.text ?? "" }

    /// The texts of a row's non-empty cells, left to right.
    func rowTexts(_ row: Int) -> [String] {
        sheet.cells.lazy.filter { $0.reference.row == row }.map(\.value.text)
    }
}
