import AnnexServer
import ArgumentParser
import Foundation
import Hummingbird

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "启动工作台：在浏览器中校验附件、合并县区报表、批量转换（网页与 JSON 接口，离线可用）。",
        discussion: """
        启动后在浏览器打开 http://127.0.0.1:8080（端口见 --port）。页面和接口都在本程序中，不需要联网。
        每个任务在单独的子进程中运行：某个文件让读取程序出错，只影响这一个任务。上传的文件和结果保存在
        临时目录中，结果的下载地址含随机令牌，过期（--result-ttl）或停止服务（Ctrl-C）时删除。

        默认只监听本机（127.0.0.1）。要让局域网中的其他电脑使用，须同时设置口令，例如
          annex serve --host 0.0.0.0 --token 口令
        （也可用环境变量 ANNEX_TOKEN）；没有口令时监听其他地址会拒绝启动（退出码 2）。
        """)

    @Option(name: .long, help: "监听的地址；127.0.0.1 只允许本机访问，0.0.0.0 允许所有网卡（须设口令）。")
    var host = "127.0.0.1"

    @Option(name: .long, help: "监听的端口。")
    var port = 8080

    @Option(name: .long, help: "访问口令；设置后每个接口请求都要带上（页面会提示输入一次）。更建议用环境变量 ANNEX_TOKEN：命令行上的口令，本机其他用户能在进程列表中看到。")
    var token: String?

    @Option(name: .customLong("max-upload-mb"), help: "一次上传的上限（MB），超过时拒绝（413）。")
    var maxUploadMB = 200

    @Option(name: .customLong("templates"), help: ArgumentHelp("再加载这个目录中的模板（可重复）；同 id 覆盖内置模板。", valueName: "DIR"))
    var templateDirectories: [String] = []

    @Option(name: .long, help: ArgumentHelp("档案库（annex archive）：校验与合并按上月数据环比核对，合并与汇总的数据存入档案库。", valueName: "DB"))
    var archive: String?

    @Option(name: .long, help: "同时运行的任务数（默认：CPU 核数）；其余的排队，页面显示排队位置。")
    var jobs: Int?

    @Option(name: .customLong("job-timeout"), help: "单个任务的时间上限（秒），超时的任务被终止并报错。")
    var jobTimeout: Double = 600

    @Option(name: .customLong("result-ttl"), help: "结果文件保留的时间（秒），之后下载地址失效、文件删除。")
    var resultTTL: Double = 3600

    func run() throws {
        var config = ServerConfig()
        config.host = host
        config.port = port
        config.token = token ?? ProcessInfo.processInfo.environment["ANNEX_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        config.maxUploadBytes = maxUploadMB << 20
        config.templateDirectories = templateDirectories.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        config.archive = archive.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        if let jobs { config.maxJobs = jobs }
        config.jobTimeout = jobTimeout
        config.resultTTL = resultTTL
        let application: any ApplicationProtocol
        do {
            let shownHost = host.contains(":") ? "[\(host)]" : host
            application = try WorkbenchServer.application(config) { port in
                printError("工作台已启动：http://\(shownHost):\(port)（Ctrl-C 停止）")
            }
        } catch let error as ConfigError {
            printError("annex serve: \(error)")
            throw ExitCode(2)
        }
        // The other commands are synchronous, so the root command stays a ParsableCommand: the server
        // runs as a task while the main thread serves the main queue, and the task ends the process.
        Task {
            do {
                try await application.runService()
                Foundation_exit(0)
            } catch {
                printError("annex serve: 无法在 \(host):\(port) 上提供服务（\(error)）")
                Foundation_exit(2)
            }
        }
        dispatchMain()
    }
}
