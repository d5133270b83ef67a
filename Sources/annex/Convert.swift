import AnnexCore
import ArgumentParser

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "任意 .xlsx、.xls、.csv 转成 .xlsx 或 .csv 的普通网格（不使用模板）；转成 .xlsx 时保留合并单元格和公式。",
        discussion: """
        输出先写到同目录的临时文件，成功后才改名到位：失败不会留下半个文件；输出路径与输入相同会被拒绝。
        写 CSV 时：RFC 4180，默认 UTF-8 带 BOM（Excel 直接打开），--encoding gb18030 可选；
        合并单元格的文字只在首格；这份 CSV 是给人用电子表格打开的，所以会被当成公式的文字（以 = + @ 开头，
        或 - 后面不是数字）前加 '（公式注入防护），--no-formula-protection 关闭。
        """)

    @Argument(help: "输入文件（.xlsx、.xls 或 .csv）。")
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("输出文件（.xlsx 或 .csv）。", valueName: "OUT"))
    var output: String

    @Option(name: .long, help: "只转换这个工作表。")
    var sheet: String?

    @Option(name: .long, help: "CSV 的编码：utf-8 或 gb18030。输出是 CSV 时指输出编码，否则指输入编码（默认自动识别）。")
    var encoding: String?

    @Option(name: .long, help: "xlsx 压缩级别 0-9（默认 1：快；6-9：文件更小）。")
    var compression: Int32 = 1

    @Flag(name: .long, help: "解除 zip 炸弹防护上限，仅用于可信文件。")
    var noZipLimits = false

    @Flag(name: .long, help: "写 CSV 时不给像公式的文字加 '（输出给程序而不是给人打开时）。")
    var noFormulaProtection = false

    func run() throws {
        guard (0...9).contains(compression) else { throw ValidationError("--compression 须在 0 到 9 之间") }
        let parsed = try encoding.map { name -> TextEncoding in
            guard let value = TextEncoding(name: name) else { throw ValidationError("--encoding 只能是 utf-8 或 gb18030，而不是“\(name)”") }
            return value
        }
        var options = GridConversion.Options(sheet: sheet, zipLimits: noZipLimits ? .unlimited : ZipLimits(),
                                             compressionLevel: compression)
        if GridConversion.isWorkbookPath(output) {
            options.csvInput.encoding = parsed
        } else {
            let encoding = parsed ?? .utf8
            options.csvOutput = CSVWriteOptions(encoding: encoding, bom: encoding == .utf8, protectFormulas: !noFormulaProtection)
        }
        try GridConversion.convert(input: input, output: output, options: options)
    }
}
