/// The number format of each cell style of a workbook, by style index: what a reader needs to tell a
/// date from a number. Filled by each workbook reader (xlsx `cellXfs`, BIFF `XF` records).
struct CellFormats {
    /// The format code of each style index; nil for General.
    var codes: [String?] = []
    var kinds: [NumberFormats.Kind] = []

    func code(_ style: Int) -> String? { style < codes.count ? codes[style] : nil }
    func kind(_ style: Int) -> NumberFormats.Kind { style < kinds.count ? kinds[style] : .general }

    /// Appends the style whose format is `code` (nil or empty for General).
    mutating func append(code: String?) {
        let kind = code.map(NumberFormats.kind(of:)) ?? .general
        codes.append(kind == .general ? nil : code)
        kinds.append(kind)
    }
}
