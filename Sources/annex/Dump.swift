import AnnexCore
import ArgumentParser

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "列出任意 .xlsx、.xls 或 .csv 的所有非空单元格和合并区域（不使用模板）。",
        discussion: """
        --format json（默认）：每个工作表的非空单元格（ref、type、value）和合并区域，格式见 SPEC.md。
          type 为 string、number、bool、date、error；数字为能还原同一双精度值的最短十进制；
          日期为 ISO 8601；公式单元格给出缓存值。
        --format csv：把一个工作表（第一个，或 --sheet 指定的）按普通网格写到标准输出。
        """)

    @Argument(help: "要查看的 .xlsx、.xls 或 .csv 文件。")
    var file: String

    @Option(name: .long, help: "输出格式：json 或 csv。")
    var format: DumpFormat = .json

    @Option(name: .long, help: "只输出这个工作表（按名称）。")
    var sheet: String?

    @OptionGroup var input: InputOptions

    enum DumpFormat: String, ExpressibleByArgument, CaseIterable {
        case json, csv
    }

    func run() throws {
        let source = try input.open(file)
        let selected = try sheet.map { [try source.sheetIndex(named: $0)] }
        let output = StandardOutput()
        switch format {
        case .json:
            try GridDump.writeJSON(source, displayName: file, sheets: selected, to: output)
        case .csv:
            let writer = try CSVWriter(standardOutputWith: CSVWriteOptions(bom: false, protectFormulas: false))
            try GridConversion.writeCSV(source, sheet: selected?.first ?? 0, to: writer)
            try writer.close()
        }
        try output.flush()
    }
}
