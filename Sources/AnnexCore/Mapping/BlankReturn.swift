/// A blank return for districts to fill (`annex write --blank`): the layout with its title and period
/// and the unit rows (all, or the named ones), every data cell empty, unlocked and accepting only a
/// number, “-” or “无”; the rest of the sheet protected without a password, so the header — where
/// messy returns come from — cannot be broken. Page setup as the annex prints.
public enum BlankReturn {
    public static let validationPromptTitle = "填写说明"
    public static let validationPrompt = "请填写数字；未安排任务填“-”，未开展相关业务填“无”。"
    public static let validationErrorTitle = "无法填入"
    public static let validationError = "这一栏只能填数字、“-”或“无”，请重新填写（表头已保护，不能修改）。"

    /// `units`: names as typed (aliases resolved through the layout's unit registry); empty for all.
    /// Throws when the layout has no fixed unit rows or a unit is not one of them.
    public static func sheet(template: Template, period: String, units: [String], library: TemplateLibrary) throws -> Sheet {
        guard template.kind == .table, let order = template.rows?.order, !order.isEmpty else {
            throw AnnexError(file: template.id, reason: "模板 \(template.id)（\(template.name)）没有固定的单位行，不能生成空白报表")
        }
        let monthly = period.contains("-")
        if monthly != (template.period == .month) {
            throw AnnexError(file: template.id, reason: template.period == .month
                ? "\(template.name)是月报，统计期应为 YYYY-MM（如 2023-08），而不是“\(period)”"
                : "\(template.name)是年报，统计期应为 YYYY（如 2024），而不是“\(period)”")
        }
        let registry = library.registry(for: template)
        var chosen: Set<String> = []
        for written in units {
            let name = registry?.resolve(written).name ?? written
            guard order.contains(name) else {
                throw AnnexError(file: template.id, reason: "单位“\(written)”不在\(template.name)的单位行中（应为 \(order.joined(separator: "、")) 之一）")
            }
            chosen.insert(name)
        }
        var sheet = try TableRenderer.render([], template: template,
                                             options: .init(period: period, units: chosen.isEmpty ? nil : chosen))
        guard let firstData = sheet.layout.freezeAt else { return sheet }
        let rowCount = chosen.isEmpty ? order.count : chosen.count
        let dataRows = firstData.row...(firstData.row + rowCount - 1)
        let formats = Dictionary(template.valueColumns.map { ($0.column, $0.format) }, uniquingKeysWith: { first, _ in first })
        for index in sheet.cells.indices {
            let reference = sheet.cells[index].reference
            guard dataRows.contains(reference.row), let format = formats[reference.column] else { continue }
            // The column's number format on the empty cell, so a typed 100.66 shows as the annex prints it.
            if format != "General" { sheet.cells[index].numberFormat = format }
            sheet.cells[index].style?.locked = false
        }
        sheet.layout.isProtected = true
        sheet.layout.dataValidations = columnRuns(formats.keys.sorted()).map { columns in
            let range = CellRange(first: .init(row: dataRows.lowerBound, column: columns.lowerBound),
                                  last: .init(row: dataRows.upperBound, column: columns.upperBound))
            let cell = range.first.description
            return DataValidation(range: range, formula: #"OR(ISNUMBER(\#(cell)),\#(cell)="-",\#(cell)="无")"#,
                                  promptTitle: validationPromptTitle, prompt: validationPrompt,
                                  errorTitle: validationErrorTitle, error: validationError)
        }
        return sheet
    }

    /// Sorted column indexes as contiguous runs (B–N of 社会保险二 is one run).
    static func columnRuns(_ columns: [Int]) -> [ClosedRange<Int>] {
        var runs: [ClosedRange<Int>] = []
        for column in columns {
            if let last = runs.last, last.upperBound + 1 == column {
                runs[runs.count - 1] = last.lowerBound...column
            } else {
                runs.append(column...column)
            }
        }
        return runs
    }
}
