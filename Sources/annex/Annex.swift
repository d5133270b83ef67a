import AnnexCore
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

@main
struct Annex: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annex",
        abstract: "人社统计附件表与部门预算公开表的读取、转换与校验工具（.xlsx / .xls / CSV ↔ 标准数据模型）。",
        discussion: """
        退出码：0 成功；1 check 发现错误，或 merge/normalize 已写出结果但有报表缺失、无法使用或发现错误；
        2 输入文件或命令行无法使用（信息会指出文件、工作表和单元格）。
        Exit status: 0 success; 1 `check` found errors, or `merge`/`normalize` wrote their output but
        something was missing, unusable or wrong; 2 the input or the command line cannot be used.
        """,
        version: annexVersion,
        subcommands: [Templates.self, Read.self, Write.self, Dump.self, Convert.self, Check.self, Notice.self, Merge.self, Normalize.self,
                      ArchiveCommand.self, Serve.self])

    /// Runs the command and maps every failure to SPEC.md's exit codes: a usage or input problem is 2
    /// (ArgumentParser's own 64 included), with one message on stderr and never a stack trace.
    static func main() {
        // A closed pipe (`annex dump f.xlsx | head`) must give a write error, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as AnnexError {
            printError("annex: \(error)")
            Foundation_exit(2)
        } catch let error as ExitCode {
            Foundation_exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation_exit(0)
            }
            printError(fullMessage(for: error))
            Foundation_exit(2)
        }
    }
}

/// The release this binary was built as (`annex --version`).
let annexVersion = "0.3.0"

func printError(_ message: String) {
    let line = Array((message.hasSuffix("\n") ? message : message + "\n").utf8)
    _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
}

// Named so as not to shadow ArgumentParser's `exit(withError:)`.
func Foundation_exit(_ code: Int32) -> Never {
    Glibc.exit(code)
}
