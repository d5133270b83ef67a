import AnnexCore
import ArgumentParser

struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "把附件格式的 .xlsx、.xls 或 .csv 读成标准数据（每个数据单元格一条观测）。",
        discussion: """
        不指定 --template 时按表头识别每个工作表的格式；识别不了时会给出最接近的模板和不同的表头单元格。
        输出字段：template, period, unit, indicator, measure, value, status（见 SPEC.md）；
        预算表另有 unit_name；--provenance 加 source, sheet, cell。
        -o 以 .jsonl 结尾时写 JSON Lines，否则写 CSV（UTF-8）；不给 -o 时写到标准输出（CSV）。
        """)

    @Argument(help: "附件格式的 .xlsx 或 .csv 文件。")
    var file: String

    @Option(name: .long, help: "模板 id（见 annex templates）。")
    var template: String?

    @Option(name: .long, help: "只读这个工作表。")
    var sheet: String?

    @Option(name: .long, help: "标题中没有统计期时使用的统计期（YYYY-MM 或 YYYY）。")
    var period: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("输出文件（.csv 或 .jsonl）。", valueName: "OUT"))
    var output: String?

    @Flag(name: .long, help: "加上来源列：source（文件）、sheet（工作表）、cell（单元格）。")
    var provenance = false

    @OptionGroup var templates: TemplateOptions
    @OptionGroup var input: InputOptions

    func run() throws {
        var csv = try input.csvOptions()
        csv.unprotectFormulas = true
        let reader = AnnexReader(library: try templates.library(), options: .init(period: period), csv: csv,
                                 zipLimits: input.zipLimits)
        let readings = try reader.read(file: file, templateID: template, sheetName: sheet)
        var observations = readings.flatMap(\.observations)
        if !provenance {
            for index in observations.indices {
                for key in ["source", "sheet", "cell"] { observations[index].extra.removeValue(forKey: key) }
            }
        }
        try CanonicalFiles.write(observations, to: output, refusingToOverwrite: [file])
    }
}
