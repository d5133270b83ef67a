/// Random access to a sheet's cells by position, and the text a cell shows.
struct GridIndex {
    let sheet: Sheet
    private let cells: [CellReference: Cell]
    let lastRow: Int

    init(_ sheet: Sheet) {
        self.sheet = sheet
        var cells: [CellReference: Cell] = [:]
        cells.reserveCapacity(sheet.cells.count)
        for cell in sheet.cells { cells[cell.reference] = cell }
        self.cells = cells
        lastRow = sheet.cells.last?.reference.row ?? -1
    }

    subscript(row: Int, column: Int) -> Cell? { cells[CellReference(row: row, column: column)] }

    /// The cell's text as printed (numbers as their decimal text), empty for an empty cell.
    func text(_ row: Int, _ column: Int) -> String { self[row, column]?.value.text ?? "" }

    /// The texts of a row's non-empty cells, left to right.
    func rowTexts(_ row: Int) -> [String] {
        sheet.cells.lazy.filter { $0.reference.row == row }.map(\.value.text)
    }
}
