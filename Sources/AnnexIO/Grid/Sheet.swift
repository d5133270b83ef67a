/// One sheet as a grid: its non-empty cells in row-major order and its merged ranges.
/// The meeting point of readers and writers; nothing here knows what an annex is.
public struct Sheet: Sendable {
    public var name: String
    /// Cells sorted by row, then column.
    public var cells: [Cell]
    public var merged: [CellRange]
    public var layout: SheetLayout

    public init(name: String, cells: [Cell] = [], merged: [CellRange] = [], layout: SheetLayout = SheetLayout()) {
        self.name = name
        self.cells = cells
        self.merged = merged
        self.layout = layout
    }

    /// The cells grouped by row, in row order.
    public var rows: [[Cell]] {
        var result: [[Cell]] = []
        for cell in cells {
            if let last = result.last?.last, last.reference.row == cell.reference.row {
                result[result.count - 1].append(cell)
            } else {
                result.append([cell])
            }
        }
        return result
    }

    /// The value at a reference, if the cell is not empty.
    public func value(at reference: CellReference) -> CellValue? {
        var low = 0
        var high = cells.count
        while low < high {
            let mid = (low + high) / 2
            if cells[mid].reference < reference { low = mid + 1 } else { high = mid }
        }
        return low < cells.count && cells[low].reference == reference ? cells[low].value : nil
    }
}

/// Column widths, row heights, panes and printing: what makes a written sheet print like the annex.
public struct SheetLayout: Hashable, Sendable {
    /// Width in characters of the default font, by zero-based column.
    public var columnWidths: [Int: Double]
    /// Height in points, by zero-based row.
    public var rowHeights: [Int: Double]
    /// The first cell below and right of the frozen panes (`B4` freezes three rows and one column).
    public var freezeAt: CellReference?
    public var page: PageSetup?
    /// Protected without a password: locked cells (all but those whose style unlocks them) cannot be
    /// changed until the protection is turned off, which needs no password.
    public var isProtected: Bool
    /// What the cells of ranges accept (a blank return's data cells: a number, “-” or “无”).
    public var dataValidations: [DataValidation]

    public init(columnWidths: [Int: Double] = [:], rowHeights: [Int: Double] = [:],
                freezeAt: CellReference? = nil, page: PageSetup? = nil, isProtected: Bool = false,
                dataValidations: [DataValidation] = []) {
        self.columnWidths = columnWidths
        self.rowHeights = rowHeights
        self.freezeAt = freezeAt
        self.page = page
        self.isProtected = isProtected
        self.dataValidations = dataValidations
    }
}

public struct PageSetup: Hashable, Sendable {
    public enum Orientation: String, Hashable, Sendable { case portrait, landscape }
    public var orientation: Orientation
    /// ECMA-376 paper size code: 9 is A4.
    public var paperSize: Int
    /// Shrink to this many pages wide (nil: no fitting); height is left free.
    public var fitToWidth: Int?
    /// Zero-based rows repeated at the top of every printed page (print titles).
    public var repeatRows: ClosedRange<Int>?
    /// Margins in inches.
    public var margins: Margins

    public init(orientation: Orientation = .landscape, paperSize: Int = 9, fitToWidth: Int? = 1,
                repeatRows: ClosedRange<Int>? = nil, margins: Margins = Margins()) {
        self.orientation = orientation
        self.paperSize = paperSize
        self.fitToWidth = fitToWidth
        self.repeatRows = repeatRows
        self.margins = margins
    }

    public struct Margins: Hashable, Sendable {
        public var left, right, top, bottom, header, footer: Double
        public init(left: Double = 0.5, right: Double = 0.5, top: Double = 0.75, bottom: Double = 0.75,
                    header: Double = 0.3, footer: Double = 0.3) {
            self.left = left
            self.right = right
            self.top = top
            self.bottom = bottom
            self.header = header
            self.footer = footer
        }
    }
}

/// A whole workbook held in memory; readers and writers also stream sheet by sheet.
public struct Workbook: Sendable {
    public var sheets: [Sheet]
    public var properties: DocumentProperties

    public init(sheets: [Sheet], properties: DocumentProperties = DocumentProperties()) {
        self.sheets = sheets
        self.properties = properties
    }
}

public struct DocumentProperties: Hashable, Sendable {
    public var title: String?
    public var creator: String?
    /// W3CDTF timestamp (`2023-08-28T00:00:00Z`); nil keeps written files deterministic.
    public var created: String?
    /// Custom document properties (`docProps/custom.xml`), text-valued, in order: `annex write`
    /// records `annex.template` and `annex.period` so that a table it wrote reads back without
    /// `--period` (SPEC.md, "The canonical model").
    public var custom: [Custom]

    public struct Custom: Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(title: String? = nil, creator: String? = nil, created: String? = nil, custom: [Custom] = []) {
        self.title = title
        self.creator = creator
        self.created = created
        self.custom = custom
    }
}
