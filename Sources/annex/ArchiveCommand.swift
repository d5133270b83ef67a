import AnnexArchive
import AnnexCore
import ArgumentParser

struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "SQLite 档案库：存入各月报表的数据，查询、列出，供 check/merge --archive 做环比核对。",
        discussion: """
        档案库是一个 SQLite 文件（WAL 模式，可以一边写入一边查询）。每个文件在一个事务中存入：出错时这个文件的
        数据一条也不留。同一个文件再次存入不作任何改变；同一模板、统计期和单位的报表内容变了，就替换当前版本，
        被替换的版本连同来源（文件、工作表、单元格、文件的 SHA-256、存入时间）保留在库中。
        另一个程序正在写入时最多等待 --wait 秒，然后给出提示并退出（退出码 2）。
        """,
        subcommands: [Add.self, Query.self, List.self])

    /// The archive option of every archive subcommand.
    struct Database: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("档案库文件（SQLite；不存在时新建）。", valueName: "DB"))
        var db: String

        @Option(name: .long, help: ArgumentHelp("另一个程序正在写入档案库时最多等待的秒数。", valueName: "SECONDS"))
        var wait: Double = 10

        /// `creating` for add; query and list only read an archive that exists.
        func open(creating: Bool = false) throws -> Archive {
            try Archive(path: db, busyTimeout: wait, creating: creating)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "把报表或附件（.xlsx、.csv，或目录）的数据存入档案库，每个文件一个事务。",
            discussion: """
            退出码：0 全部存入（或已在库中）；1 有文件无法读取或存入，其余的已存入；2 一个也没有存入。
            """)

        @Argument(help: ArgumentHelp("报表文件或目录（可多个）。", valueName: "FILE"))
        var files: [String]

        @OptionGroup var database: Database

        @Option(name: .long, help: "模板 id（见 annex templates）；不指定时按表头识别每个工作表。")
        var template: String?

        @Option(name: .long, help: "标题中没有统计期时使用的统计期（YYYY-MM 或 YYYY）。")
        var period: String?

        @OptionGroup var templates: TemplateOptions
        @OptionGroup var input: InputOptions

        func run() throws {
            let library = try templates.library()
            if let template { _ = try library.template(template) }
            let walk = try FileWalk(files, excluding: [database.db])
            for skipped in walk.skipped { printError("跳过 \(skipped.file)：\(skipped.reason)") }
            for folder in walk.unreadable { printError("annex: \(folder.file)：\(folder.reason)") }
            var csv = try input.csvOptions()
            csv.unprotectFormulas = true
            let reader = AnnexReader(library: library, options: .init(period: period), csv: csv, zipLimits: input.zipLimits)
            let archive = try database.open(creating: true)
            let outcome = try ArchiveFiles(archive: archive, reader: reader, report: printError).add(walk.files, templateID: template)
            if outcome.added + outcome.unchanged == 0 { throw ExitCode(2) }
            if outcome.failed > 0 || !walk.unreadable.isEmpty { throw ExitCode(1) }
        }
    }

    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "query",
            abstract: "从档案库取出标准数据（当前版本），含来源列 source, sheet, cell, source_sha256, archived_at。",
            discussion: "不给 -o 时写到标准输出（CSV）。-o 以 .jsonl 结尾时写 JSON Lines，否则写 CSV（UTF-8）。")

        @OptionGroup var database: Database

        @Option(name: .long, help: "只取这个模板 id。")
        var template: String?

        @Option(name: .long, help: "只取这个统计期（YYYY-MM 或 YYYY）。")
        var period: String?

        @Option(name: .long, help: "只取这个单位（规范名称）。")
        var unit: String?

        @Option(name: .shortAndLong, help: ArgumentHelp("输出文件：.csv 或 .jsonl。", valueName: "OUT"))
        var output: String?

        func validate() throws {
            if let period, period.wholeMatch(of: /\d{4}(-\d{2})?/) == nil {
                throw ValidationError("--period 应为 YYYY-MM 或 YYYY，而不是“\(period)”")
            }
        }

        func run() throws {
            let observations = try database.open().observations(template: template, period: period, unit: unit)
            try CanonicalFiles.write(observations, to: output, refusingToOverwrite: [database.db])
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "列出档案库中的模板、统计期、单位和文件。",
            discussion: """
            --format json 输出 {"periods": [{template, period, units, files, replaced_versions}],
            "files": [{path, sha256, bytes, added_at}]}。
            """)

        @OptionGroup var database: Database

        @Option(name: .long, help: "输出格式：text 或 json。")
        var format: Check.OutputFormat = .text

        func run() throws {
            let listing = try database.open().listing()
            let output = StandardOutput()
            switch format {
            case .text: try output.write(Array(ArchiveListingReport.text(listing).utf8))
            case .json: try output.write(Array(ArchiveListingReport.json(listing).utf8))
            }
            try output.flush()
        }
    }
}
