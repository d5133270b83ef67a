/// A reason the writer refuses a value; the writer adds the file, sheet and cell (AnnexError).
struct XLSXWriteIssue: Error {
    var reason: String
}

/// The workbook's styles as they accumulate while cells are written: fonts, fills, borders and number
/// formats deduplicated, one `<xf>` per distinct (style, number format). Indexes are handed out in
/// order of first use, so the same cells always give the same `styles.xml`.
struct XLSXStyleTable {
    private struct Xf: Hashable {
        var font: Int
        var fill: Int
        var border: Int
        var numberFormat: Int
        var alignment: CellStyle.Alignment
        var locked = true
    }

    private struct Font: Hashable {
        var name: String
        var size: Double
        var bold: Bool
        var italic: Bool
        var color: String?
    }

    private var fonts: [Font] = []
    private var fontIndex: [Font: Int] = [:]
    /// Solid fill colours; fill ids start at 2 (0 = none, 1 = gray125, which Excel requires).
    private var fills: [String] = []
    private var fillIndex: [String: Int] = [:]
    private var borders: [CellStyle.Border] = [CellStyle.Border()]
    private var borderIndex: [CellStyle.Border: Int] = [CellStyle.Border(): 0]
    /// Custom number formats, ids from 164 in order of first use.
    private var customFormats: [String] = []
    private var formatIndex: [String: Int] = [:]
    private var xfs: [Xf] = []
    private var xfIndex: [Xf: Int] = [:]

    /// Built-in number formats whose meaning does not depend on the locale (ECMA-376 Part 1, 18.8.30).
    /// Date formats are always written as custom formats: built-ins 14-22 are shown per locale.
    static let builtInFormats: [String: Int] = [
        "General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10,
        "0.00E+00": 11, "# ?/?": 12, "# ??/??": 13, "##0.0E+0": 48, "@": 49,
    ]

    init() {
        // fonts[0] and cellXfs[0]: the look of a cell without a style (CellStyle() and General).
        let font = try! XLSXStyleTable.font(CellStyle.Font())
        fonts = [font]
        fontIndex = [font: 0]
        let xf = Xf(font: 0, fill: 0, border: 0, numberFormat: 0, alignment: CellStyle.Alignment())
        xfs = [xf]
        xfIndex = [xf: 0]
    }

    var xfCount: Int { xfs.count }

    /// The `cellXfs` index for a style and number format (nil: default style, General).
    mutating func xf(style: CellStyle?, numberFormat: String?) throws(XLSXWriteIssue) -> Int {
        let style = style ?? CellStyle()
        let xf = Xf(font: try fontId(style.font),
                    fill: try fillId(style.fill),
                    border: borderId(style.border),
                    numberFormat: try formatId(numberFormat),
                    alignment: style.alignment, locked: style.locked)
        if let index = xfIndex[xf] { return index }
        xfs.append(xf)
        xfIndex[xf] = xfs.count - 1
        return xfs.count - 1
    }

    private mutating func fontId(_ font: CellStyle.Font) throws(XLSXWriteIssue) -> Int {
        let normalized = try XLSXStyleTable.font(font)
        if let index = fontIndex[normalized] { return index }
        fonts.append(normalized)
        fontIndex[normalized] = fonts.count - 1
        return fonts.count - 1
    }

    private static func font(_ font: CellStyle.Font) throws(XLSXWriteIssue) -> Font {
        guard !font.name.isEmpty, font.name.unicodeScalars.count <= 31,
              !XMLBuffer.hasForbiddenCharacters(font.name) else {
            throw XLSXWriteIssue(reason: "字体名称“\(font.name)”无效（应为 1 到 31 个字符，不含控制字符）")
        }
        guard font.size.isFinite, font.size >= 1, font.size <= 409 else {
            throw XLSXWriteIssue(reason: "字号 \(font.size) 无效（应在 1 到 409 磅之间）")
        }
        var color: String? = nil
        if let given = font.color { color = try argb(given) }
        return Font(name: font.name, size: font.size, bold: font.bold, italic: font.italic, color: color)
    }

    private mutating func fillId(_ fill: CellStyle.Fill?) throws(XLSXWriteIssue) -> Int {
        guard let fill else { return 0 }
        let color = try XLSXStyleTable.argb(fill.color)
        if let index = fillIndex[color] { return index }
        fills.append(color)
        fillIndex[color] = fills.count + 1
        return fills.count + 1
    }

    private mutating func borderId(_ border: CellStyle.Border) -> Int {
        if let index = borderIndex[border] { return index }
        borders.append(border)
        borderIndex[border] = borders.count - 1
        return borders.count - 1
    }

    private mutating func formatId(_ code: String?) throws(XLSXWriteIssue) -> Int {
        guard let code else { return 0 }
        if let id = XLSXStyleTable.builtInFormats[code] { return id }
        if code.lowercased() == "general" { return 0 }
        if let id = formatIndex[code] { return id }
        guard !code.isEmpty, code.utf16.count <= 255, !XMLBuffer.hasForbiddenCharacters(code) else {
            throw XLSXWriteIssue(reason: "数字格式“\(code)”无效（应为 1 到 255 个字符，不含控制字符）")
        }
        customFormats.append(code)
        let id = 163 + customFormats.count
        formatIndex[code] = id
        return id
    }

    /// 8-digit ARGB, upper case; 6-digit RGB gets an opaque alpha.
    static func argb(_ text: String) throws(XLSXWriteIssue) -> String {
        let digits = text.utf8
        guard digits.count == 8 || digits.count == 6, digits.allSatisfy({
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 70) || ($0 >= 97 && $0 <= 102)
        }) else {
            throw XLSXWriteIssue(reason: "颜色“\(text)”无效（应为 8 位十六进制 ARGB，如 FFFF0000）")
        }
        let upper = text.uppercased()
        return digits.count == 6 ? "FF" + upper : upper
    }

    // MARK: - styles.xml

    func render(into xml: XMLBuffer) {
        xml.append(XLSXParts.declaration)
        xml.append(#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#)
        if !customFormats.isEmpty {
            xml.append(#"<numFmts count=""#)
            xml.appendInt(customFormats.count)
            xml.append(#"">"#)
            for (offset, code) in customFormats.enumerated() {
                xml.append(#"<numFmt numFmtId=""#)
                xml.appendInt(164 + offset)
                xml.append(#"" formatCode=""#)
                xml.appendEscapedAttribute(code)
                xml.append(#""/>"#)
            }
            xml.append("</numFmts>")
        }

        xml.append(#"<fonts count=""#)
        xml.appendInt(fonts.count)
        xml.append(#"">"#)
        for font in fonts {
            xml.append("<font>")
            if font.bold { xml.append("<b/>") }
            if font.italic { xml.append("<i/>") }
            xml.append(#"<sz val=""#)
            xml.appendDouble(font.size)
            xml.append(#""/>"#)
            if let color = font.color {
                xml.append(#"<color rgb=""#)
                xml.appendUnescaped(color)
                xml.append(#""/>"#)
            }
            xml.append(#"<name val=""#)
            xml.appendEscapedAttribute(font.name)
            xml.append(#""/>"#)
            // A CJK face name (宋体, 黑体) tells Excel which character set to map it with: GB2312.
            if font.name.unicodeScalars.contains(where: { $0.value > 0x7F }) {
                xml.append(#"<charset val="134"/>"#)
            }
            xml.append("</font>")
        }
        xml.append("</fonts>")

        xml.append(#"<fills count=""#)
        xml.appendInt(fills.count + 2)
        xml.append(#""><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>"#)
        for color in fills {
            xml.append(#"<fill><patternFill patternType="solid"><fgColor rgb=""#)
            xml.appendUnescaped(color)
            xml.append(#""/><bgColor indexed="64"/></patternFill></fill>"#)
        }
        xml.append("</fills>")

        xml.append(#"<borders count=""#)
        xml.appendInt(borders.count)
        xml.append(#"">"#)
        for border in borders {
            xml.append(border.diagonalDown == .none ? "<border>" : #"<border diagonalDown="1">"#)
            XLSXStyleTable.renderEdge("left", border.left, into: xml)
            XLSXStyleTable.renderEdge("right", border.right, into: xml)
            XLSXStyleTable.renderEdge("top", border.top, into: xml)
            XLSXStyleTable.renderEdge("bottom", border.bottom, into: xml)
            XLSXStyleTable.renderEdge("diagonal", border.diagonalDown, into: xml)
            xml.append("</border>")
        }
        xml.append("</borders>")

        xml.append(#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#)
        xml.append(#"<cellXfs count=""#)
        xml.appendInt(xfs.count)
        xml.append(#"">"#)
        for xf in xfs {
            xml.append(#"<xf numFmtId=""#)
            xml.appendInt(xf.numberFormat)
            xml.append(#"" fontId=""#)
            xml.appendInt(xf.font)
            xml.append(#"" fillId=""#)
            xml.appendInt(xf.fill)
            xml.append(#"" borderId=""#)
            xml.appendInt(xf.border)
            xml.append(#"" xfId="0""#)
            if xf.numberFormat != 0 { xml.append(#" applyNumberFormat="1""#) }
            if xf.font != 0 { xml.append(#" applyFont="1""#) }
            if xf.fill != 0 { xml.append(#" applyFill="1""#) }
            if xf.border != 0 { xml.append(#" applyBorder="1""#) }
            let alignment = xf.alignment
            let aligned = alignment != CellStyle.Alignment()
            if !aligned && xf.locked {
                xml.append("/>")
                continue
            }
            if aligned { xml.append(#" applyAlignment="1""#) }
            if !xf.locked { xml.append(#" applyProtection="1""#) }
            xml.append(">")
            if aligned {
                xml.append("<alignment")
                if alignment.horizontal != .general {
                    xml.append(#" horizontal=""#)
                    xml.appendUnescaped(alignment.horizontal.rawValue)
                    xml.append("\"")
                }
                if alignment.vertical != .bottom {
                    xml.append(#" vertical=""#)
                    xml.appendUnescaped(alignment.vertical.rawValue)
                    xml.append("\"")
                }
                if alignment.wrapText { xml.append(#" wrapText="1""#) }
                xml.append("/>")
            }
            // CT_Xf: <alignment> before <protection>.
            if !xf.locked { xml.append(#"<protection locked="0"/>"#) }
            xml.append("</xf>")
        }
        xml.append("</cellXfs>")
        xml.append(#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#)
        xml.append(#"<dxfs count="0"/><tableStyles count="0"/>"#)
        xml.append("</styleSheet>")
    }

    private static func renderEdge(_ name: StaticString, _ style: CellStyle.LineStyle, into xml: XMLBuffer) {
        xml.append("<")
        xml.append(name)
        if style == .none {
            xml.append("/>")
            return
        }
        xml.append(#" style=""#)
        xml.appendUnescaped(style.rawValue)
        xml.append(#""><color indexed="64"/></"#)
        xml.append(name)
        xml.append(">")
    }
}
