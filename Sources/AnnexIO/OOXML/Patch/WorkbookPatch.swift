/// What a marked copy adds to a workbook: per sheet, the cells to fill and the notes to attach, and a
/// sheet of its own (the 校验结果 list). `WorkbookPatcher` decides how; the caller decides what.
public struct WorkbookPatch: Sendable {
    public struct Mark: Sendable {
        /// A solid fill colour (8-digit ARGB) replacing the cell's own fill, or nil to leave it.
        public var fill: String?
        /// The text of a note on the cell, or nil.
        public var note: String?

        public init(fill: String? = nil, note: String? = nil) {
            self.fill = fill
            self.note = note
        }
    }

    /// Marks by sheet name, then cell.
    public var marks: [String: [CellReference: Mark]]
    /// The added sheet; its name is made unique among the workbook's sheets.
    public var addedSheet: Sheet
    public var addedSheetLinks: [XLSXHyperlink]
    public var noteAuthor: String

    public init(marks: [String: [CellReference: Mark]], addedSheet: Sheet, addedSheetLinks: [XLSXHyperlink],
                noteAuthor: String = "annex") {
        self.marks = marks
        self.addedSheet = addedSheet
        self.addedSheetLinks = addedSheetLinks
        self.noteAuthor = noteAuthor
    }
}
