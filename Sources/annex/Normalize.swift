import AnnexArchive
import AnnexCore
import ArgumentParser
import Foundation

struct Normalize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "批量转换：目录下所有 .xlsx、.xls 和 .csv 的每个工作表按表头识别格式，合成一份标准数据。",
        discussion: """
        递归查找目录中的 .xlsx 和 .csv（不区分大小写）；跳过隐藏文件和目录（以 . 开头），跳过 Excel 锁定文件
        （~$ 开头，并在报告中注明）；直接给出的文件不论扩展名都会读取。输出文件和 --report 文件本身不会被当作输入。

        输出字段：template, period, unit, indicator, measure, value, status, unit_name, department,
        department_name, instance, source, sheet, cell（后几列不适用时为空；source/sheet/cell 为来源文件、
        工作表和单元格）。顺序固定：按文件路径，再按工作表顺序，再按单元格（逐行）；不论 --jobs 多少、
        重复运行，输出的字节都相同。-o 以 .jsonl 结尾时写 JSON Lines，否则写 CSV（UTF-8）。

        无法打开的文件、无法识别格式的工作表（会给出最接近的模板）和读取出错的工作表都列入报告，
        不影响其他文件。--report 写 JSON：inputs, output, files, files_read, files_failed, sheets_read,
        observations, templates（每个模板读到的工作表数）, failures [{file, sheet, reason}], skipped [{file, reason}]。
        在终端上显示进度条（标准错误）；结束时在标准错误上给出汇总和失败清单。

        --archive DB 另把读到的文件存入档案库（每个文件一个事务；同一文件再次存入不作改变）。

        退出码：0 全部读取；1 有文件或工作表未能读取，但其余的已写出（数据可用，只是不完整：请看报告，
        不要当作“无法使用”）；2 命令行无法使用、没有找到文件，或没有一个工作表能读取（不写输出）。
        """)

    @Argument(help: ArgumentHelp("文件或目录（可多个）。", valueName: "PATH"))
    var paths: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("输出文件：.csv 或 .jsonl。", valueName: "OUT"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("把读取报告写成 JSON 文件。", valueName: "R.json"))
    var report: String?

    @Option(name: .long, help: "同时读取的文件数（默认：CPU 核数）。")
    var jobs: Int?

    @Option(name: .long, help: "标题中没有统计期时使用的统计期（YYYY-MM 或 YYYY）。")
    var period: String?

    @OptionGroup var archive: ArchiveOption
    @OptionGroup var templates: TemplateOptions
    @OptionGroup var input: InputOptions

    func validate() throws {
        if paths.isEmpty { throw ValidationError("请给出至少一个文件或目录") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs 至少为 1") }
        if let report, report == output { throw ValidationError("--report 不能与 -o 是同一个文件") }
        if ![".csv", ".jsonl", ".ndjson"].contains(where: output.lowercased().hasSuffix) {
            throw ValidationError("-o 应为 .csv 或 .jsonl 文件，而不是“\(output)”")
        }
    }

    func run() throws {
        var csv = try input.csvOptions()
        csv.unprotectFormulas = true
        let library = try templates.library()
        let walk = try FileWalk(paths, excluding: [output] + (report.map { [$0] } ?? []))
        guard !walk.files.isEmpty || !walk.unreadable.isEmpty else {
            throw AnnexError(file: paths.joined(separator: " "), reason: "没有找到任何 .xlsx、.xls 或 .csv 文件")
        }
        let reader = AnnexReader(library: library, options: .init(period: period), csv: csv, zipLimits: input.zipLimits)
        let normalizer = Normalizer(reader: reader, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)

        let stream = try CanonicalStream(path: output, refusingToOverwrite: walk.files)
        let progress = ProgressMeter(total: walk.files.count)
        var summary: Normalizer.Summary
        do {
            summary = try normalizer.run(files: walk.files, progress: progress) { observations in
                try stream.write(observations)
            }
        } catch {
            stream.abandon()
            throw error
        }
        summary.skipped = walk.skipped
        summary.failures += walk.unreadable.map { Normalizer.Failure(file: $0.file, sheet: "", reason: $0.reason) }
        let usable = summary.sheetsRead > 0
        if usable {
            try stream.commit()
        } else {
            stream.abandon()
        }
        if let report {
            let file = try AtomicOutput(path: report, refusingToOverwrite: walk.files + [output])
            try file.write(summary.json(inputs: paths, output: usable ? output : ""))
            try file.commit()
        }
        printError(summary.text(output: usable ? output : nil))
        if let archive = try archive.open(creating: true) {
            let failed = Set(summary.failures.map(\.file))
            _ = try ArchiveFiles(archive: archive, reader: reader, report: printError)
                .add(walk.files.filter { !failed.contains($0) })
        }
        if !usable {
            printError("annex: 没有一个工作表能读取，未写出 \(output)")
            throw ExitCode(2)
        }
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }
}
