import Foundation

/// Renders canonical observations as a form template's printed layout (项目支出绩效目标表,
/// 部门整体支出绩效目标表): per instance the title and period lines merged across the form, the
/// field rows with their labels and values merged as the template says, the fixed group labels,
/// the indicator-table header and the indicator rows with 一级/二级 merged down over their runs.
/// Instances (one per project, in the order they first appear) follow one another with a blank
/// row between; everything is bordered, text wraps, A4 portrait one page wide.
public enum FormRenderer {
    /// Column widths in characters: 一级 / labels, 二级, 三级 (long texts), value.
    static let columnWidths: [Double] = [16, 18, 36, 20]
    static let bodyFont = CellStyle.Font(name: "宋体", size: 10)

    public static func render(_ observations: [Observation], template: Template) throws -> Sheet {
        guard let layout = template.prepared.formLayout else {
            throw AnnexError(file: template.id, reason: "模板 \(template.id) 不是表单格式，不能按表单输出")
        }
        let instances = try group(observations, template: template, layout: layout)
        var sheet = SheetBuilder()
        var row = 0
        for (index, instance) in instances.enumerated() {
            if index > 0 { row += 1 }
            row = render(instance, template: template, layout: layout, at: row, into: &sheet)
        }
        var widths: [Int: Double] = [:]
        for column in 0..<layout.width {
            widths[column] = column < columnWidths.count ? columnWidths[column] : 14
        }
        sheet.layout.columnWidths = widths
        sheet.layout.page = PageSetup(orientation: .portrait, paperSize: 9, fitToWidth: 1, repeatRows: nil)
        return Sheet(name: template.name, cells: sheet.cells.values.sorted { $0.reference < $1.reference },
                     merged: sheet.merged, layout: sheet.layout)
    }

    struct Instance {
        var unit: String
        var instance: String?
        var period: String
        var fields: [String: Observation]
        var indicators: [(parts: [String], observation: Observation)]
    }

    struct SheetBuilder {
        var cells: [CellReference: Cell] = [:]
        var merged: [CellRange] = []
        var layout = SheetLayout()

        /// Puts text or a number at the range's first cell; covered cells get the style (borders) and no text.
        mutating func put(_ value: CellValue, format: String? = nil, in range: CellRange, style: CellStyle) {
            for r in range.first.row...range.last.row {
                for c in range.first.column...range.last.column {
                    let reference = CellReference(row: r, column: c)
                    let first = reference == range.first
                    cells[reference] = Cell(reference: reference, value: first ? value : .string(""),
                                            numberFormat: first ? format : nil, style: style)
                }
            }
            if range.first != range.last { merged.append(range) }
        }
    }

    /// Observations by (unit, instance), in the order instances first appear; every observation
    /// must be one of the template's fields or an indicator row.
    static func group(_ observations: [Observation], template: Template, layout: FormLayout) throws -> [Instance] {
        let fieldNames = Set(layout.fields.map(\.field.name))
        var order: [String] = []
        var instances: [String: Instance] = [:]
        var misfits: [String] = []
        for observation in observations {
            if observation.template != template.id {
                misfits.append("模板“\(observation.template)”的观测（\(observation.unit) \(observation.indicator)）")
                continue
            }
            let name = observation.extra["instance"]
            let key = observation.unit + "\u{1}" + (name ?? "")
            if instances[key] == nil {
                order.append(key)
                instances[key] = Instance(unit: observation.unit, instance: name, period: observation.period, fields: [:], indicators: [])
            }
            if observation.measure.isEmpty && fieldNames.contains(observation.indicator) {
                if instances[key]!.fields[observation.indicator] != nil {
                    misfits.append("栏目“\(observation.indicator)”在同一份表中出现多次（\(name ?? observation.unit)）")
                }
                instances[key]!.fields[observation.indicator] = observation
            } else if observation.measure == layout.measure {
                let parts = observation.indicator.components(separatedBy: " / ")
                guard parts.count == layout.levels else {
                    misfits.append("指标“\(observation.indicator)”不是 \(layout.levels) 级指标（用“ / ”分隔）")
                    continue
                }
                instances[key]!.indicators.append((parts, observation))
            } else {
                misfits.append("指标“\(observation.indicator)”/“\(observation.measure)”不是模板的栏目或绩效指标")
            }
        }
        if !misfits.isEmpty {
            var seen = Set<String>()
            let unique = misfits.filter { seen.insert($0).inserted }
            throw AnnexError(file: template.id, reason: "\(unique.count) 类观测无法放入模板 \(template.id)：" + unique.prefix(8).joined(separator: "；"))
        }
        return order.map { instances[$0]! }
    }

    /// One instance from `top`; returns the row after it.
    static func render(_ instance: Instance, template: Template, layout: FormLayout, at top: Int, into sheet: inout SheetBuilder) -> Int {
        let last = layout.width - 1
        var row = top
        for line in template.lines {
            let text = TableRenderer.fillLine(line.text, period: instance.period, observations: [])
            let style: CellStyle
            if line.role == "title" {
                style = CellStyle(font: .init(name: "黑体", size: 16, bold: true),
                                  alignment: .init(horizontal: .center, vertical: .center, wrapText: true))
                sheet.layout.rowHeights[row] = 36
            } else {
                style = CellStyle(font: .init(name: "宋体", size: 11), alignment: .init(horizontal: .center, vertical: .center))
                sheet.layout.rowHeights[row] = 20
            }
            sheet.put(.string(text), in: CellRange(first: .init(row: row, column: 0), last: .init(row: row, column: last)), style: style)
            row += 1
        }
        let origin = row
        func placed(_ range: CellRange) -> CellRange {
            CellRange(first: .init(row: origin + range.first.row, column: range.first.column),
                      last: .init(row: origin + range.last.row, column: range.last.column))
        }
        let labelStyle = CellStyle(font: bodyFont, border: .all(.thin), alignment: .init(horizontal: .center, vertical: .center, wrapText: true))
        let textStyle = CellStyle(font: bodyFont, border: .all(.thin), alignment: .init(horizontal: .left, vertical: .center, wrapText: true))
        let numberStyle = CellStyle(font: bodyFont, border: .all(.thin), alignment: .init(horizontal: .right, vertical: .center))
        let headerStyle = CellStyle(font: .init(name: "宋体", size: 10, bold: true), border: .all(.thin),
                                    alignment: .init(horizontal: .center, vertical: .center, wrapText: true))
        // The block above the indicator rows: first every position bordered, then fields and fixed cells.
        for r in 0...layout.headerRow {
            for c in 0..<layout.width {
                sheet.put(.string(""), in: CellRange(first: .init(row: origin + r, column: c), last: .init(row: origin + r, column: c)), style: labelStyle)
            }
        }
        var texts: [(CellRange, String)] = []
        for field in layout.fields {
            sheet.put(.string(field.field.label), in: placed(field.label), style: labelStyle)
            texts.append((placed(field.label), field.field.label))
            let observation = instance.fields[field.field.name]
            let range = placed(field.value)
            switch (observation?.status, field.isNumber) {
            case (.value?, true):
                if let number = ExactDecimal(observation!.value) {
                    let format = field.field.format ?? template.formats.default
                    sheet.put(.number(number.normalized.description), format: format == "General" ? nil : format, in: range, style: numberStyle)
                } else {
                    sheet.put(.string(observation!.value), in: range, style: textStyle)
                }
            case (.value?, false), (.invalid?, _):
                sheet.put(.string(observation!.value), in: range, style: textStyle)
                texts.append((range, observation!.value))
            case (.notAssigned?, _):
                sheet.put(.string("-"), in: range, style: labelStyle)
            case (.notCarriedOut?, _):
                sheet.put(.string("无"), in: range, style: labelStyle)
            case (.empty?, _), (nil, _):
                sheet.put(.string(""), in: range, style: field.isNumber ? numberStyle : textStyle)
            }
        }
        for cell in layout.fixed {
            sheet.put(.string(cell.text), in: placed(cell.range), style: labelStyle)
            texts.append((placed(cell.range), cell.text))
        }
        for cell in layout.header {
            sheet.put(.string(cell.text), in: placed(cell.range), style: headerStyle)
        }
        // Row heights of the block from the longest wrapped text in each row.
        for r in origin...(origin + layout.headerRow) {
            var lines = 1
            for (range, text) in texts where range.first.row == r && range.rowCount == 1 {
                lines = max(lines, lineCount(text, width: width(of: range)))
            }
            sheet.layout.rowHeights[r] = height(lines: lines)
        }

        // Indicator rows; 一级 and 二级 merged down over runs of equal paths.
        let first = origin + layout.headerRow + 1
        let column0 = layout.headerColumn
        let indicators = instance.indicators
        let levelStyle = labelStyle
        let leafStyle = textStyle
        let valueStyle = labelStyle
        for level in 0..<layout.levels {
            var start = 0
            while start < indicators.count {
                var end = start
                if level < layout.levels - 1 {
                    while end + 1 < indicators.count && indicators[end + 1].parts[...level] == indicators[start].parts[...level] { end += 1 }
                }
                let range = CellRange(first: .init(row: first + start, column: column0 + level),
                                      last: .init(row: first + end, column: column0 + level))
                sheet.put(.string(indicators[start].parts[level]), in: range, style: level == layout.levels - 1 ? leafStyle : levelStyle)
                start = end + 1
            }
        }
        for (index, indicator) in indicators.enumerated() {
            let reference = CellReference(row: first + index, column: column0 + layout.levels)
            let text: String
            switch indicator.observation.status {
            case .value, .invalid: text = indicator.observation.value
            case .notAssigned: text = "-"
            case .notCarriedOut: text = "无"
            case .empty: text = ""
            }
            sheet.put(.string(text), in: CellRange(first: reference, last: reference), style: valueStyle)
            // 一级/二级 texts spread over their merged runs; the leaf (三级) and the value set the height.
            let leaf = CellRange(first: .init(row: 0, column: column0 + layout.levels - 1), last: .init(row: 0, column: column0 + layout.levels - 1))
            let lines = max(lineCount(indicator.parts[layout.levels - 1], width: width(of: leaf)),
                            lineCount(text, width: width(of: CellRange(first: reference, last: reference))))
            sheet.layout.rowHeights[first + index] = height(lines: lines)
        }
        return first + indicators.count
    }

    static func width(of range: CellRange) -> Double {
        (range.first.column...range.last.column).reduce(0) { $0 + ($1 < columnWidths.count ? columnWidths[$1] : 14) }
    }

    /// Printed lines of wrapped text in a column `width` characters wide (a CJK character takes two).
    static func lineCount(_ text: String, width: Double) -> Int {
        let usable = max(4, width - 1)
        var total = 0
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var units = 0.0
            for scalar in paragraph.unicodeScalars { units += scalar.value < 0x2E80 ? 1.05 : 2 }
            total += max(1, Int((units / usable).rounded(.up)))
        }
        return max(1, total)
    }

    /// Row height in points for 10-point text.
    static func height(lines: Int) -> Double {
        min(409, max(20, Double(lines) * 13.5 + 6))
    }
}
