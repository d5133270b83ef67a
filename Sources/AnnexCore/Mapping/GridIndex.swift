/// Random access to a sheet's cells by position, and the text a cell shows.
struct GridIndex {
    let sheet: Sheet
    private let cells: [CellReference: Cell]
    /// `TextFolding.matchKey` of the cells where headers are searched (the first `keyedRows` rows,
    /// the first `keyedColumns` columns), computed once: recognition compares them for every template
    /// at every candidate origin. Each distinct key is numbered (`""` is 0) and the numbers are kept
    /// in a dense row-major table as wide and as tall as the cells there reach, so that a comparison
    /// is one array read and one integer compare.
    private let keyNumbers: [Int32]
    private let numberedRows: Int
    private let numberedColumns: Int
    private let numberOfKey: [String: Int32]
    private let keyOfNumber: [String]
    let lastRow: Int

    /// Rows whose match keys are kept (the header search looks at the first 60 rows).
    static let keyedRows = 80
    /// Columns whose match keys are kept (the header search starts in the first four columns; no
    /// layout is nearly this wide). Cells further right are folded when asked for.
    static let keyedColumns = 256

    init(_ sheet: Sheet) {
        self.sheet = sheet
        var cells: [CellReference: Cell] = [:]
        cells.reserveCapacity(sheet.cells.count)
        var rows = 0, columns = 0
        for cell in sheet.cells {
            cells[cell.reference] = cell
            if Self.isKeyed(cell.reference.row, cell.reference.column) {
                rows = max(rows, cell.reference.row + 1)
                columns = max(columns, cell.reference.column + 1)
            }
        }
        var numberOfKey: [String: Int32] = ["": 0]
        var keyOfNumber = [""]
        var keyNumbers = [Int32](repeating: 0, count: rows * columns)
        for cell in sheet.cells where Self.isKeyed(cell.reference.row, cell.reference.column) {
            let key = TextFolding.matchKey(cell.value.text)
            let number: Int32
            if let known = numberOfKey[key] {
                number = known
            } else {
                number = Int32(keyOfNumber.count)
                numberOfKey[key] = number
                keyOfNumber.append(key)
            }
            keyNumbers[cell.reference.row * columns + cell.reference.column] = number
        }
        self.cells = cells
        self.keyNumbers = keyNumbers
        numberedRows = rows
        numberedColumns = columns
        self.numberOfKey = numberOfKey
        self.keyOfNumber = keyOfNumber
        lastRow = sheet.cells.last?.reference.row ?? -1
    }

    private static func isKeyed(_ row: Int, _ column: Int) -> Bool { row < keyedRows && column < keyedColumns }

    /// The number of a cell's match key (0 for an empty cell); nil outside the keyed rows and columns.
    func keyNumber(_ row: Int, _ column: Int) -> Int32? {
        guard Self.isKeyed(row, column), row >= 0, column >= 0 else { return nil }
        guard row < numberedRows, column < numberedColumns else { return 0 }
        return keyNumbers[row * numberedColumns + column]
    }

    /// The number of a match key if a keyed cell has it.
    func keyNumber(of key: String) -> Int32? { numberOfKey[key] }

    /// The match key a number stands for.
    func key(number: Int32) -> String { keyOfNumber[Int(number)] }

    /// The match key of a cell's text ("" for an empty cell).
    func matchKey(_ row: Int, _ column: Int) -> String {
        if let number = keyNumber(row, column) { return keyOfNumber[Int(number)] }
        return cells[CellReference(row: row, column: column)].map { TextFolding.matchKey($0.value.text) } ?? ""
    }

    subscript(row: Int, column: Int) -> Cell? { cells[CellReference(row: row, column: column)] }

    /// The cell's text as printed (numbers as their decimal text), empty for an empty cell.
    func text(_ row: Int, _ column: Int) -> String { self[row, column]?.value.text ?? "" }

    /// The texts of a row's non-empty cells, left to right.
    func rowTexts(_ row: Int) -> [String] {
        sheet.cells.lazy.filter { $0.reference.row == row }.map(\.value.text)
    }
}
