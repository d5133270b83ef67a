/// A custom data validation: the cells of `range` accept what `formula` (written for the range's
/// top-left cell, relative references moving with the cell, without the `=`) says is right. The
/// spreadsheet shows `prompt` when such a cell is selected and refuses other input with `error`.
public struct DataValidation: Hashable, Sendable {
    public var range: CellRange
    public var formula: String
    /// An empty cell is accepted.
    public var allowsBlank: Bool
    public var promptTitle: String
    public var prompt: String
    public var errorTitle: String
    public var error: String

    public init(range: CellRange, formula: String, allowsBlank: Bool = true, promptTitle: String = "", prompt: String = "",
                errorTitle: String = "", error: String = "") {
        self.range = range
        self.formula = formula
        self.allowsBlank = allowsBlank
        self.promptTitle = promptTitle
        self.prompt = prompt
        self.errorTitle = errorTitle
        self.error = error
    }
}
