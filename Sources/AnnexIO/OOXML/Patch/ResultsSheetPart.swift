/// The worksheet part of a sheet annex adds to a marked copy (校验结果): its cells as inline strings
/// and numbers (so the shared strings part is left as it was), column widths, frozen rows and
/// internal hyperlinks (`location`, which need no relationship; ECMA-376 Part 1, 18.3.1.47).
enum ResultsSheetPart {
    static func render(_ sheet: Sheet, hyperlinks: [XLSXHyperlink], style: (CellStyle?) -> Int) -> [UInt8] {
        var xml = XLSXParts.declaration.description
        xml += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        if let freeze = sheet.layout.freezeAt, freeze.row > 0 || freeze.column > 0 {
            xml += #"<sheetViews><sheetView workbookViewId="0"><pane"#
            if freeze.column > 0 { xml += #" xSplit="\#(freeze.column)""# }
            if freeze.row > 0 { xml += #" ySplit="\#(freeze.row)""# }
            let pane = freeze.row > 0 && freeze.column > 0 ? "bottomRight" : freeze.row > 0 ? "bottomLeft" : "topRight"
            xml += #" topLeftCell="\#(freeze)" activePane="\#(pane)" state="frozen"/></sheetView></sheetViews>"#
        }
        let widths = sheet.layout.columnWidths.sorted { $0.key < $1.key }
        if !widths.isEmpty {
            xml += "<cols>"
            for (column, width) in widths {
                xml += #"<col min="\#(column + 1)" max="\#(column + 1)" width="\#(width)" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        var row = -1
        for cell in sheet.cells {
            if cell.reference.row != row {
                if row >= 0 { xml += "</row>" }
                row = cell.reference.row
                xml += #"<row r="\#(row + 1)">"#
            }
            let s = style(cell.style)
            switch cell.value {
            case .number(let text):
                xml += #"<c r="\#(cell.reference)" s="\#(s)"><v>\#(text)</v></c>"#
            case let value:
                xml += #"<c r="\#(cell.reference)" s="\#(s)" t="inlineStr"><is><t xml:space="preserve">\#(XLSXCommentParts.escape(value.text))</t></is></c>"#
            }
        }
        if row >= 0 { xml += "</row>" }
        xml += "</sheetData>"
        xml += XLSXHyperlink.element(hyperlinks)
        xml += #"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#
        return Array((xml + "</worksheet>").utf8)
    }
}
