import AnnexCore
import ArgumentParser

struct Write: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "把标准数据（CSV 或 JSON Lines）按模板输出为正式附件格式的 .xlsx 或 .csv。",
        discussion: """
        输出标题、统计期、单位行、多级合并表头（含斜线表头）、按模板顺序的行、说明、字体、边框、
        数字格式、列宽和页面设置（A4 横向、一页宽、每页重复表头）。缺少的观测留空；
        放不进模板的观测会报错并列出。--compute 按分项计算缺少的合计和占全年任务（精确十进制，四舍五入）。
        输出 CSV 是给人用电子表格打开的：像公式的文字前加 '（公式注入防护），--no-formula-protection 关闭。

        --blank（不给输入文件）生成发给各县区填写的空白报表 .xlsx：标题和统计期（--period）、单位行（全部，或 --unit
        指定的单位，可多次给出）、空的数据栏；数据栏只能填数字、“-”或“无”（数据有效性，带中文提示），其余部分
        （标题、表头、单位）保护起来（无密码），表头不会被改乱。填好的报表用 annex read / merge 读取。
        """)

    @Argument(help: "标准数据文件（.csv 或 .jsonl）；--blank 时不给。")
    var input: String?

    @Flag(name: .long, help: "生成空白报表（不需要输入文件），须同时给出 --period。")
    var blank = false

    @Option(name: .long, help: "空白报表的统计期（YYYY-MM 或 YYYY）。")
    var period: String?

    @Option(name: .long, help: ArgumentHelp("空白报表只含这个单位的行（可多次给出；不给时含全部单位）。", valueName: "U"))
    var unit: [String] = []

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

    func validate() throws {
        guard (0...9).contains(compression) else { throw ValidationError("--compression 须在 0 到 9 之间") }
        if blank {
            if input != nil { throw ValidationError("--blank 生成空白报表，不需要输入文件") }
            guard let period else { throw ValidationError("--blank 须给出 --period（如 2023-08）") }
            if period.wholeMatch(of: /\d{4}(-(0[1-9]|1[0-2]))?/) == nil {
                throw ValidationError("--period 应为 YYYY-MM 或 YYYY，而不是“\(period)”")
            }
            if !output.lowercased().hasSuffix(".xlsx") { throw ValidationError("空白报表只能写成 .xlsx（-o 应以 .xlsx 结尾）") }
        } else {
            if input == nil { throw ValidationError("请给出标准数据文件（.csv 或 .jsonl），或用 --blank 生成空白报表") }
            if period != nil || !unit.isEmpty { throw ValidationError("--period 和 --unit 只用于 --blank") }
        }
    }

    func run() throws {
        let library = try templates.library()
        let layout = try library.template(template)
        guard let input else {
            let sheet = try BlankReturn.sheet(template: layout, period: period ?? "", units: unit, library: library)
            try write(sheet, period: period)
            return
        }
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
            let periods = Set(observations.map(\.period))
            try write(sheet, period: periods.count == 1 ? periods.first : nil, inputs: [input])
        }
    }

    /// The .xlsx with the layout and period recorded, so that a table whose title prints no year reads
    /// back without --period (SPEC.md, "The canonical model").
    private func write(_ sheet: Sheet, period: String?, inputs: [String] = []) throws {
        let properties = DocumentProperties(title: sheet.cells.first?.value.text, creator: "annex",
                                            custom: DocumentProperties.annex(template: template, period: period))
        try XLSXWriter.write(Workbook(sheets: [sheet], properties: properties),
                             to: output, options: XLSXWriteOptions(compressionLevel: compression, refusingToOverwrite: inputs))
    }
}
