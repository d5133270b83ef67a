import AnnexCore
import ArgumentParser

struct Notice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notice",
        abstract: "由当月附件起草通报的统计部分：各指标的全市数、“存在的问题”（低于时序进度的单位）和附件列表。",
        discussion: """
        措辞来自各模板的 notice 部分（templates/README.md）：每个指标一句（“全市城镇新增就业人数 37123 人，
        完成全年指标任务的 62.92%。”），通报用的单位与表中不同时换算（万元 → 亿元、人 → 万人，四舍五入保留两位）。
        存在的问题：占全年任务低于时序进度（月份/12，7 月为 58.33%）的单位，按模板的单位顺序列出；没有这样单位的指标不写。
        -o 以 .docx 结尾时写 Word 文档（A4，公文页边距，黑体标题、仿宋_GB2312 正文，页码），.md 写 Markdown，
        其他写纯文本（UTF-8）。核对已写好的通报用 annex check --notice。
        """)

    @Argument(help: "当月的附件（如就业培训一、二，社会保险一、二的 .xlsx 或 .csv）。")
    var files: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("输出文件（.docx、.md 或 .txt）。", valueName: "OUT"))
    var output: String

    @Option(name: .long, help: "标题中没有统计期时使用的统计期（YYYY-MM）。")
    var period: String?

    @OptionGroup var templates: TemplateOptions
    @OptionGroup var input: InputOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("请给出至少一个附件文件") }
        if NoticeOutput.format(of: output) == nil {
            throw ValidationError("输出文件须以 .docx、.md 或 .txt 结尾：\(output)")
        }
    }

    func run() throws {
        var csv = try input.csvOptions()
        csv.unprotectFormulas = true
        let library = try templates.library()
        let reader = AnnexReader(library: library, options: .init(period: period), csv: csv, zipLimits: input.zipLimits)
        let readings = try files.flatMap { try reader.read(file: $0, templateID: nil) }
        printLayoutsLeftOut(readings, library: library)
        do {
            let document = try NoticeDraft.draft(readings, library: library)
            try NoticeOutput.write(document, to: output, refusingToOverwrite: files)
        } catch let error as NoticeError {
            printError("annex: \(error)")
            throw ExitCode(2)
        }
    }
}

/// Says which monthly annexes were not given: the notice's parts from them are not drafted or checked.
func printLayoutsLeftOut(_ readings: [TableReading], library: TemplateLibrary) {
    let missing = NoticeDraft.layoutsLeftOut(readings, library: library)
    if !missing.isEmpty {
        printError("annex: 提示：没有给出\(missing.joined(separator: "、"))的附件，通报中这些附件的指标和“存在的问题”未写也未核对。")
    }
}
