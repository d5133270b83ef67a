/// A hyperlink from a cell to a place inside the same workbook (`'社会保险一'!E9`), written as
/// `<hyperlink ref="F2" location="…"/>`: internal links need no relationship part.
public struct XLSXHyperlink: Hashable, Sendable {
    public var cell: CellReference
    /// Where the link goes: a sheet-qualified reference (use `XLSXHyperlink.location(sheet:cell:)`).
    public var location: String
    /// Shown as a tooltip by Excel and LibreOffice.
    public var tooltip: String?

    public init(cell: CellReference, location: String, tooltip: String? = nil) {
        self.cell = cell
        self.location = location
        self.tooltip = tooltip
    }

    /// `'社会保险一'!E9`: the sheet name quoted (quotes doubled) as formulas and links write it.
    public static func location(sheet: String, cell: CellReference) -> String {
        "'" + sheet.replacing("'", with: "''") + "'!" + cell.description
    }

    /// The `<hyperlinks>` element for a worksheet, links in row-major order, one per cell.
    static func element(_ links: [XLSXHyperlink]) -> String {
        guard !links.isEmpty else { return "" }
        var seen: Set<CellReference> = []
        var xml = "<hyperlinks>"
        for link in links.sorted(by: { $0.cell < $1.cell }) where seen.insert(link.cell).inserted {
            xml += #"<hyperlink ref="\#(link.cell)" location="\#(XLSXCommentParts.escape(link.location))""#
            if let tooltip = link.tooltip { xml += #" tooltip="\#(XLSXCommentParts.escape(String(tooltip.prefix(255))))""# }
            xml += "/>"
        }
        return xml + "</hyperlinks>"
    }
}
