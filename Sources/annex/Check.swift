import AnnexCore
import ArgumentParser

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "按模板中的表注规则校验附件；多个文件还会相互核对（如社会保险一与社会保险二）。",
        discussion: """
        规则：合计与分项（尾差在 10^-小数位 × 项数 以内为提示，整数不允许尾差）、占全年任务 = 累计完成 ÷ 目标任务 × 100
        （四舍五入保留两位）、科目与下级科目、单位名录（未知、重复、缺少；别称为提示）、“-”“无”标记、小数位数、
        表头、非数字、跨表一致，以及低于时序进度（月份/12）的单位（提示，按指标列出，同通报“存在的问题”）。
        --format json 输出 SPEC.md 规定的数组。退出码：有错误为 1，否则为 0；文件无法使用为 2。
        --notice 通报文件：按模板 notice 部分的措辞找到每个指标的句子和“存在的问题”列表，与附件比较：
        数字不符（或引用了别的指标的数字）、单位重复、百分比缺单位、漏列或多列低于进度的单位为错误 notice-mismatch，
        换算成亿元、万人时截去尾数而未四舍五入为警告 notice-rounding；从 PDF 复制来的断行、多余的 ** 和 # 不影响核对。
        --archive DB 按档案库中上月的数据环比核对：本月完成 = 本月累计完成 − 上月累计完成（错误，给出两个数字和
        上月数字的来源），目标任务一年之内不变（警告）；上月没有存入时只提示一次。check 不改变档案库。
        --targets FILE 年度目标任务（有“目标任务”列的附件或表，或 measure 为 目标任务 的标准数据，可多次给出）：
        没有目标任务列的占全年任务按 累计完成 ÷ 目标任务 × 100 核对（错误 ratio-mismatch）；年度全省就业工作目标任务
        分解表的南昌行是全市的目标任务（万人折算为人）；目标任务中本表没有的单位只作提示；两个文件给同一单位同一指标的
        目标任务不同时采用先给出的文件，并在标准错误上警告；目标任务文件的年份与所核对的附件不同时照样使用并警告。
        --annotate DIR 在 DIR 中为每个输入写一份标注副本（错误标红、警告标黄并加批注，另加“校验结果”工作表），
        输入文件不会被修改。.xlsx 的副本就是原工作簿：字体、边框、列宽、打印设置、主题、其他工作表和原有批注
        都原样保留，只改动被标注的单元格；.csv 和 .xls 的副本是按其数据新建的 .xlsx。
        """)

    @Argument(help: "要校验的 .xlsx、.xls 或 .csv 文件（可多个）。")
    var files: [String]

    @Option(name: .long, help: "模板 id（见 annex templates）；不指定时按表头识别每个工作表。")
    var template: String?

    @Option(name: .long, help: "输出格式：text（中文，按文件和工作表分组）或 json。")
    var format: OutputFormat = .text

    @Option(name: .long, help: ArgumentHelp("把标注后的副本写到这个目录。", valueName: "DIR"))
    var annotate: String?

    @Option(name: .long, help: "标题中没有统计期时使用的统计期（YYYY-MM 或 YYYY）。")
    var period: String?

    @Option(name: .long, help: ArgumentHelp("再把这份已写好的通报（.docx、.txt 或 .md，UTF-8 或 GB18030）与附件核对：各指标的全市数和“存在的问题”列表。", valueName: "NOTICE"))
    var notice: String?

    @Option(name: .long, help: ArgumentHelp("年度目标任务：有“目标任务”列的附件或表、年度全省就业工作目标任务分解表，或 measure 为 目标任务 的标准数据（可多次给出；不一致时采用先给出的）。", valueName: "FILE"))
    var targets: [String] = []

    @OptionGroup var archive: ArchiveOption
    @OptionGroup var templates: TemplateOptions
    @OptionGroup var input: InputOptions

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if files.isEmpty { throw ValidationError("请给出至少一个要校验的文件") }
    }

    func run() throws {
        var csv = try input.csvOptions()
        csv.unprotectFormulas = true
        let library = try templates.library()
        if let template { _ = try library.template(template) }
        let reader = AnnexReader(library: library, options: .init(period: period), csv: csv, zipLimits: input.zipLimits)

        // Targets first: a targets file that cannot be used stops the check before any output.
        let annualTargets = targets.isEmpty ? nil : try AnnualTargets.load(targets, reader: reader)

        // One unusable file is reported and skipped; the others are still checked against each other.
        var readings: [TableReading] = []
        var usable: [String] = []
        var failures: [AnnexError] = []
        let progress = ProgressMeter(total: files.count)
        for file in files {
            do {
                readings += try reader.read(file: file, templateID: template)
                usable.append(file)
                progress.advance()
            } catch let error as AnnexError {
                progress.advance(failed: true)
                progress.finish()
                failures.append(error)
                printError("annex: \(error)")
            }
        }
        progress.finish()
        if usable.isEmpty { throw ExitCode(2) }

        let prior = try archive.open(creating: false).map { try $0.priorMonths(for: readings) }
        if let annualTargets { printTargetNotes(annualTargets, readings: readings) }
        var findings = Checker().check(readings, priorMonths: prior, targets: annualTargets)
        var reported = usable
        if let notice {
            do {
                let text = try NoticeText.read(path: notice, zipLimits: input.zipLimits)
                printLayoutsLeftOut(readings, library: library)
                findings += try NoticeChecker.check(notice: text, file: notice, readings: readings, library: library)
                reported.append(notice)
            } catch let error as NoticeError {
                printError("annex: \(error)")
                throw ExitCode(2)
            }
        }
        let output = StandardOutput()
        switch format {
        case .json: try output.write(FindingReport.json(findings))
        case .text: try output.write(FindingReport.text(findings, readings: readings, files: reported))
        }
        try output.flush()

        if let annotate {
            try Annotator.annotate(files: usable, findings: findings, into: annotate, csv: csv, zipLimits: input.zipLimits) {
                printError("annex: \($0)")
            }
        }
        if !failures.isEmpty { throw ExitCode(2) }
        if findings.hasErrors { throw ExitCode(1) }
    }

    /// Targets files that disagree where a checked table uses the target (warning), and units of the
    /// targets that no checked table's layout has a row for (ignored, info).
    private func printTargetNotes(_ targets: AnnualTargets, readings: [TableReading]) {
        let tables = readings.filter { $0.template.kind == .table }
        guard let first = tables.first else { return }
        var said: Set<String> = []
        for disagreement in tables.flatMap({ targets.disagreements(for: $0.template) })
        where said.insert(disagreement.message).inserted {
            printError("警告：\(disagreement.message)")
        }
        for table in tables {
            for other in targets.otherYears(than: table.period) {
                let message = AnnualTargets.otherYearMessage(source: other.source, years: other.years, period: table.period)
                if said.insert(message).inserted { printError("警告：\(message)") }
            }
        }
        let unknown = tables.dropFirst().reduce(Set(targets.unknownUnits(for: first.template))) {
            $0.intersection(targets.unknownUnits(for: $1.template))
        }
        for unit in unknown.sorted() {
            printError("提示：" + AnnualTargets.unknownUnitMessage(unit, rowsName: "所核对附件的单位行",
                                                                 rows: first.template.rows?.order ?? []))
        }
    }
}
