/// How a cell looks when written: the subset of SpreadsheetML styling the printed annexes use.
/// Hashable so that writers can share one `<xf>` between all cells that look alike.
public struct CellStyle: Hashable, Sendable {
    // The parts live in an immutable box: a Cell carries its style as one reference (8 bytes instead of
    // about 70, which every row copy moved), and cells given the same style value share the box, which
    // the writer's per-column cache compares by identity before comparing fields.
    private final class Parts: Sendable {
        let font: Font
        let fill: Fill?
        let border: Border
        let alignment: Alignment
        let locked: Bool

        init(font: Font, fill: Fill?, border: Border, alignment: Alignment, locked: Bool) {
            self.font = font
            self.fill = fill
            self.border = border
            self.alignment = alignment
            self.locked = locked
        }
    }

    private var parts: Parts

    public var font: Font {
        get { parts.font }
        set { parts = Parts(font: newValue, fill: fill, border: border, alignment: alignment, locked: locked) }
    }

    public var fill: Fill? {
        get { parts.fill }
        set { parts = Parts(font: font, fill: newValue, border: border, alignment: alignment, locked: locked) }
    }

    public var border: Border {
        get { parts.border }
        set { parts = Parts(font: font, fill: fill, border: newValue, alignment: alignment, locked: locked) }
    }

    public var alignment: Alignment {
        get { parts.alignment }
        set { parts = Parts(font: font, fill: fill, border: border, alignment: newValue, locked: locked) }
    }

    /// Whether the cell is locked when its sheet is protected (the spreadsheet default); a blank
    /// return unlocks its data cells so districts can fill them under a protected header.
    public var locked: Bool {
        get { parts.locked }
        set { parts = Parts(font: font, fill: fill, border: border, alignment: alignment, locked: newValue) }
    }

    public init(font: Font = Font(), fill: Fill? = nil, border: Border = Border(), alignment: Alignment = Alignment(),
                locked: Bool = true) {
        parts = Parts(font: font, fill: fill, border: border, alignment: alignment, locked: locked)
    }

    /// Whether both values are copies of one style (then they are equal without comparing fields).
    func sharesParts(with other: CellStyle) -> Bool { parts === other.parts }

    public static func == (lhs: CellStyle, rhs: CellStyle) -> Bool {
        lhs.parts === rhs.parts || (lhs.font == rhs.font && lhs.fill == rhs.fill
            && lhs.border == rhs.border && lhs.alignment == rhs.alignment && lhs.locked == rhs.locked)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(font)
        hasher.combine(fill)
        hasher.combine(border)
        hasher.combine(alignment)
        hasher.combine(locked)
    }

    public struct Font: Hashable, Sendable {
        /// Font family; CJK names such as 宋体 or 黑体 are written as they are.
        public var name: String
        /// Size in points.
        public var size: Double
        public var bold: Bool
        public var italic: Bool
        /// 8-digit ARGB (`FFFF0000`), nil for automatic.
        public var color: String?

        public init(name: String = "宋体", size: Double = 11, bold: Bool = false, italic: Bool = false, color: String? = nil) {
            self.name = name
            self.size = size
            self.bold = bold
            self.italic = italic
            self.color = color
        }
    }

    /// A solid background fill, 8-digit ARGB.
    public struct Fill: Hashable, Sendable {
        public var color: String
        public init(color: String) { self.color = color }
    }

    public enum LineStyle: String, Hashable, Sendable {
        case none, thin, medium, thick, dashed, dotted, double, hair
    }

    public struct Border: Hashable, Sendable {
        public var left: LineStyle
        public var right: LineStyle
        public var top: LineStyle
        public var bottom: LineStyle
        /// The line from top-left to bottom-right, drawn in the corner cell of a two-way header (项目/单位).
        public var diagonalDown: LineStyle

        public init(left: LineStyle = .none, right: LineStyle = .none, top: LineStyle = .none,
                    bottom: LineStyle = .none, diagonalDown: LineStyle = .none) {
            self.left = left
            self.right = right
            self.top = top
            self.bottom = bottom
            self.diagonalDown = diagonalDown
        }

        public static func all(_ style: LineStyle) -> Border {
            Border(left: style, right: style, top: style, bottom: style)
        }
    }

    public struct Alignment: Hashable, Sendable {
        public enum Horizontal: String, Hashable, Sendable { case general, left, center, right }
        public enum Vertical: String, Hashable, Sendable { case top, center, bottom }
        public var horizontal: Horizontal
        public var vertical: Vertical
        public var wrapText: Bool

        public init(horizontal: Horizontal = .general, vertical: Vertical = .bottom, wrapText: Bool = false) {
            self.horizontal = horizontal
            self.vertical = vertical
            self.wrapText = wrapText
        }
    }
}
