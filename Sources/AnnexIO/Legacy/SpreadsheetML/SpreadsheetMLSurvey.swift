/// The first pass over a SpreadsheetML 2003 workbook: the worksheet names, the styles' number
/// formats and the date system (`<x:Date1904/>` in `<ExcelWorkbook>`).
final class SpreadsheetMLSurvey: SAXHandler {
    private(set) var sheetNames: [String] = []
    private(set) var styles = SpreadsheetMLStyles()
    private(set) var date1904 = false
    private(set) var sawWorkbook = false
    private var style: String?

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        if name.is("Worksheet") {
            let given = attributes.string("Name") ?? ""
            sheetNames.append(given.isEmpty ? "Sheet\(sheetNames.count + 1)" : given)
        } else if name.is("Style"), let id = attributes.string("ID") {
            styles.add(id: id, parent: attributes.string("Parent"))
            style = id
        } else if name.is("NumberFormat"), let style {
            styles.setFormat(attributes.string("Format"), of: style)
        } else if name.is("Date1904") {
            date1904 = true
        } else if name.is("Workbook") {
            sawWorkbook = true
        }
    }

    func endElement(_ name: XMLName) throws {
        if name.is("Style") { style = nil }
    }

    func characters(_ bytes: UnsafeRawBufferPointer) throws {}
}
