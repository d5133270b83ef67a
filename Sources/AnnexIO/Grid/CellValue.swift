/// What a cell holds, independent of the file format it came from.
///
/// Numbers are kept as decimal text, never as `Double`: a value read from xlsx is the shortest decimal
/// that reads back as the stored double (`0.1`), a value read from CSV is the text as written, and a
/// value rendered from the canonical model is its exact decimal. Writers copy the text.
public enum CellValue: Hashable, Sendable {
    case string(String)
    /// A plain decimal: optional `-`, digits, optional `.` and digits; no exponent, no separators.
    case number(String)
    case bool(Bool)
    /// ISO 8601: `2023-07-31`, `2023-07-31T08:30:00`, or `08:30:00` for a time of day.
    case date(String)
    /// The error text as Excel prints it: `#DIV/0!`, `#N/A`, ...
    case error(String)
    /// An elapsed time (a number under `[h]:mm:ss` and the like) as an ISO 8601 duration: `PT255H10M10S`.
    case duration(String)

    public var kind: CellKind {
        switch self {
        case .string: .string
        case .number: .number
        case .bool: .bool
        case .date: .date
        case .error: .error
        case .duration: .duration
        }
    }

    /// The type name used by `annex dump` (SPEC.md, "dump JSON").
    public var typeName: String { kind.typeName }

    /// The value as text, the way `annex dump` prints it.
    public var text: String {
        switch self {
        case .string(let s), .number(let s), .date(let s), .error(let s), .duration(let s): s
        case .bool(let b): b ? "true" : "false"
        }
    }
}

/// One non-empty cell of a sheet.
public struct Cell: Hashable, Sendable {
    public var reference: CellReference
    public var value: CellValue
    /// The number format code that applies (`0.00`, `0.00%`, `yyyy"年"m"月"`), nil for General.
    public var numberFormat: String?
    /// The formula without its leading `=`, when the cell has one; `value` is then its cached result.
    public var formula: String?
    /// Presentation, used by writers; readers leave it nil.
    public var style: CellStyle?

    public init(reference: CellReference, value: CellValue, numberFormat: String? = nil,
                formula: String? = nil, style: CellStyle? = nil) {
        self.reference = reference
        self.value = value
        self.numberFormat = numberFormat
        self.formula = formula
        self.style = style
    }
}
