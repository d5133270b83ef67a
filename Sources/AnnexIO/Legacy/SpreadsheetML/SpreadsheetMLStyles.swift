/// The `<Styles>` of a SpreadsheetML 2003 workbook as the number format of each `ss:ID`, turned into
/// the `CellFormats` that every workbook reader fills, so that a number under a date style becomes
/// a date exactly as it does in .xlsx.
struct SpreadsheetMLStyles {
    private struct Style {
        var parent: String?
        /// The `ss:Format` of its `<NumberFormat>`; nil when the style has none (inherits).
        var format: String?
    }

    private var styles: [String: Style] = [:]
    private var order: [String] = []

    mutating func add(id: String, parent: String?) {
        if styles[id] == nil { order.append(id) }
        styles[id] = Style(parent: parent, format: nil)
    }

    /// A `<NumberFormat>` inside the style `id`; without `ss:Format` it is General.
    mutating func setFormat(_ format: String?, of id: String) {
        styles[id]?.format = format ?? "General"
    }

    /// The formats by style index (0 = no style: the `Default` style's format, else General) and the
    /// index of each `ss:ID`.
    func resolved() -> (formats: CellFormats, indexes: [String: Int]) {
        var formats = CellFormats()
        formats.append(code: code(of: "Default"))
        var indexes: [String: Int] = [:]
        for id in order {
            indexes[id] = formats.codes.count
            formats.append(code: code(of: id))
        }
        return (formats, indexes)
    }

    /// The format code of a style, following `ss:Parent` (a chain of at most 16, against loops).
    private func code(of id: String) -> String? {
        var current: String? = id
        for _ in 0..<16 {
            guard let key = current, let style = styles[key] else { return nil }
            if let format = style.format { return ExcelNamedFormats.code(forFormat: format) }
            current = style.parent
        }
        return nil
    }
}
