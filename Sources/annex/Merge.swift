import AnnexArchive
import AnnexCore
import ArgumentParser

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "把各县区报表合并为全市正式附件：按模板的行序，计算合计与占全年任务，报告缺报和重复的报表。",
        discussion: """
        每份报表可以只有本单位一行，也可以是整张表只填了本单位的行（全空的行不算）；填了多个单位的整表
        也可以，其中每个单位都算作一份报表。报表的顺序任意；也可以给出目录（递归查找 .xlsx 和 .csv）。

        同一单位出现在两份报表中：内容相同只作提示；文件名或标题中有“更正”“修正”“修改”“修订”“更新”的报表
        替代该单位未标记的报表（作提示，列出两个文件）；否则内容不同即为冲突（同一单位的两份更正也是）：
        列出两个文件和不同的单元格，附件照样写出，但该单位的行为空、合计不含该单位，退出码 1
        （后来的报表不会悄悄覆盖先来的）。用 --prefer 指定采用哪个文件（可多次给出）即可解决冲突。

        全市合计与占全年任务：报表中已给出的保留并按 annex check 的规则核对；没给出的由各单位数据计算
        （精确十进制，四舍五入保留两位）。不可相加的列（如比率）和缺少目标任务列的占全年任务无法计算，
        留空并报告；--targets 给出年度目标任务时，没有目标任务列的占全年任务（包括全市）= 累计完成 ÷ 目标任务 × 100
        （四舍五入保留两位），没有目标任务的列仍留空并报告。年度全省就业工作目标任务分解表也可用作 --targets：
        其南昌行是全市的目标任务，万人折算为人（× 10000），其他地区的行不用（提示）。两个文件给同一单位同一指标的
        目标任务不同时，采用先给出的文件并警告（列出两个文件和两个数）。目标任务文件的年份（标题、工作表名或文件名中的）与附件不同时照样使用并警告。其他统计期或其他格式的报表不合并，并报告。不指定 --period 时取多数报表标题中的统计期。

        报告写在标准错误上，--report 另写一份 JSON：returns（每份报表的文件、工作表、统计期、状态、单位）、
        missing（缺报单位）、problems（kind、severity、unit、files、message，冲突另有 differences）、
        findings（对合并后附件运行 annex check 的结果，字段同 check --format json）。

        --archive DB：合并后的附件按档案库中上月的数据做环比核对（同 annex check --archive），并把采用的报表存入
        档案库（每个文件一个事务）。

        退出码：0 附件已写出，没有错误；1 附件已写出，但有单位缺报或报表互相矛盾、有报表未能使用，或合并后的
        附件有错误；2 命令行或输入无法使用：没有一份可合并的报表（不写出附件，但照样写 --report）。
        """)

    @Argument(help: ArgumentHelp("各县区的报表（.xlsx、.xls 或 .csv），或包含报表的目录。", valueName: "RETURN"))
    var returns: [String]

    @Option(name: .long, help: "附件的模板 id（见 annex templates），如 employment-training-1。")
    var template: String

    @Option(name: .shortAndLong, help: ArgumentHelp("输出的附件：.xlsx（可直接打印），或 .csv。", valueName: "OUT"))
    var output: String

    @Option(name: .long, help: "附件的统计期（YYYY-MM）；其他统计期的报表不合并。不指定时取多数报表的统计期。")
    var period: String?

    @Option(name: .long, help: ArgumentHelp("把合并报告另写成 JSON 文件。", valueName: "R.json"))
    var report: String?

    @Option(name: .long, help: ArgumentHelp("同一单位的报表互相矛盾时采用这个文件（路径或文件名，可多次给出）。", valueName: "FILE"))
    var prefer: [String] = []

    @Option(name: .long, help: ArgumentHelp("年度目标任务：有“目标任务”列的附件或表（如社会保险一之于社会保险二）、年度全省就业工作目标任务分解表，或 measure 为 目标任务 的标准数据（可多次给出；目标任务不一致时采用先给出的）。", valueName: "FILE"))
    var targets: [String] = []

    @OptionGroup var archive: ArchiveOption
    @OptionGroup var templates: TemplateOptions
    @OptionGroup var input: InputOptions

    func validate() throws {
        if returns.isEmpty { throw ValidationError("请给出至少一份报表") }
        if let period, period.wholeMatch(of: /\d{4}(-\d{2})?/) == nil {
            throw ValidationError("--period 应为 YYYY-MM 或 YYYY，而不是“\(period)”")
        }
        let lowered = output.lowercased()
        if !lowered.hasSuffix(".xlsx") && !lowered.hasSuffix(".csv") {
            throw ValidationError("-o 应为 .xlsx 或 .csv 文件")
        }
    }

    func run() throws {
        var csv = try input.csvOptions()
        csv.unprotectFormulas = true
        let library = try templates.library()
        _ = try library.template(template)
        let walk = try FileWalk(returns, excluding: [output] + (report.map { [$0] } ?? []) + targets)
        for skipped in walk.skipped { printError("跳过 \(skipped.file)：\(skipped.reason)") }
        for folder in walk.unreadable { printError("annex: \(folder.file)：\(folder.reason)") }
        guard !walk.files.isEmpty else {
            throw AnnexError(file: returns.joined(separator: " "), reason: "没有找到任何 .xlsx、.xls 或 .csv 报表")
        }

        let reader = AnnexReader(library: library, csv: csv, zipLimits: input.zipLimits)
        let merger = Merger(reader: reader)
        let annualTargets = targets.isEmpty ? nil : try AnnualTargets.load(targets, reader: reader)
        var result = try merger.merge(files: walk.files, templateID: template, period: period, output: output,
                                      prefer: prefer, targets: annualTargets, progress: ProgressMeter(total: walk.files.count))
        let archive = try self.archive.open(creating: true)
        // The merger checks the annex on its own; with an archive, again with last month's figures.
        if let archive, let merged = result.merged {
            result.findings = Checker().check([merged], priorMonths: try archive.priorMonths(for: [merged]),
                                             targets: annualTargets)
        }

        if let sheet = result.sheet {
            if output.lowercased().hasSuffix(".csv") {
                try CSVWriter.write(sheet, to: output, options: CSVWriteOptions(), refusingToOverwrite: walk.files)
            } else {
                let title = sheet.cells.first?.value.text
                let properties = DocumentProperties(title: title, creator: "annex",
                                                    custom: DocumentProperties.annex(template: template, period: result.period))
                try XLSXWriter.write(Workbook(sheets: [sheet], properties: properties),
                                     to: output, options: XLSXWriteOptions(refusingToOverwrite: walk.files))
            }
        }
        if let report {
            let file = try AtomicOutput(path: report, refusingToOverwrite: walk.files + [output])
            try file.write(result.json(output: output))
            try file.commit()
        }
        printError(result.text(output: output))
        // Stored after the annex is written: the returns it was made of, not the superseded or conflicting ones.
        if let archive {
            var used: [String] = []
            for entry in result.returns where entry.status == .used && !used.contains(entry.file) { used.append(entry.file) }
            _ = try ArchiveFiles(archive: archive, reader: reader, report: printError).add(used, templateID: template)
        }
        if !result.written { throw ExitCode(2) }
        if result.hasErrors { throw ExitCode(1) }
    }
}
