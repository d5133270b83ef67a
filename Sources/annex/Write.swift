import AnnexCore
import ArgumentParser

struct Write: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "把标准数据（CSV 或 JSON Lines）按模板输出为正式附件格式的 .xlsx 或 .csv。",
        discussion: """
        输出标题、统计期、单位行、多级合并表头（含斜线表头）、按模板顺序的行、说明、字体、边框、
        数字格式、列宽和页面设置（A4 横向、一页宽、每页重复表头）。缺少的观测留空；
        放不进模板的观测会报错并列出。--compute 按分项计算缺少的合计和占全年任务（精确十进制，四舍五入）。
        输出 CSV 是给人用电子表格打开的：像公式的文字前加 '（公式注入防护），--no-formula-protection 关闭。
        """)

    @Argument(help: "标准数据文件（.csv 或 .jsonl）。")
    var input: String

    @Option(name: .long, help: "模板 id（见 annex templates）。")
    var template: String

    @Option(name: .shortAndLong, help: ArgumentHelp("输出文件：.xlsx 或 .csv。", valueName: "OUT"))
    var output: String

    @Flag(name: .long, help: "计算缺少的合计与占全年任务。")
    var compute = false

    @Option(name: .long, help: "CSV 输出的编码：utf-8（带 BOM，Excel 可直接打开）或 gb18030。")
    var encoding: String = "utf-8"

    @Option(name: .long, help: "xlsx 压缩级别 0-9（默认 1：快；6-9：文件更小）。")
    var compression: Int32 = 1

    @Flag(name: .long, help: "写 CSV 时不给像公式的文字加 '。")
    var noFormulaProtection = false

    @OptionGroup var templates: TemplateOptions

    func run() throws {
        guard (0...9).contains(compression) else { throw ValidationError("--compression 须在 0 到 9 之间") }
        let library = try templates.library()
        let layout = try library.template(template)
        let observations = try CanonicalFiles.read(path: input)
        let sheet = layout.kind == .form
            ? try FormRenderer.render(observations, template: layout)
            : try TableRenderer.render(observations, template: layout, options: .init(compute: compute))
        if output.lowercased().hasSuffix(".csv") {
            guard let encoding = TextEncoding(name: encoding) else {
                throw ValidationError("--encoding 只能是 utf-8 或 gb18030")
            }
            try CSVWriter.write(sheet, to: output, options: CSVWriteOptions(encoding: encoding, bom: encoding == .utf8,
                                                                       protectFormulas: !noFormulaProtection),
                                refusingToOverwrite: [input])
        } else {
            let title = sheet.cells.first?.value.text
            // The layout and period are recorded, so that a table whose title prints no year reads back
            // without --period (SPEC.md, "The canonical model").
            let periods = Set(observations.map(\.period))
            let properties = DocumentProperties(title: title, creator: "annex",
                                                custom: DocumentProperties.annex(template: layout.id, period: periods.count == 1 ? periods.first : nil))
            try XLSXWriter.write(Workbook(sheets: [sheet], properties: properties),
                                 to: output, options: XLSXWriteOptions(compressionLevel: compression, refusingToOverwrite: [input]))
        }
    }
}
