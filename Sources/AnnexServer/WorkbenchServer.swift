import Foundation
import Hummingbird
import Logging

/// `annex serve`: the workbench page and its JSON API on Hummingbird 2.
public enum WorkbenchServer {
    /// The application, ready to run (`runService()` stops cleanly on SIGINT/SIGTERM: the HTTP
    /// server first, letting running jobs finish, then every result and temporary file goes).
    /// Throws `ConfigError` for a configuration it must not start with. `onRunning` hears the port
    /// once the server listens.
    public static func application(_ config: ServerConfig, logger: Logger? = nil,
                                   onRunning: @escaping @Sendable (Int) -> Void = { _ in }) throws -> some ApplicationProtocol {
        try config.validate()
        let workspace = try Workspace(parent: config.temporaryDirectory)
        let results = ResultStore(ttl: config.resultTTL)
        let runner = JobRunner(queue: JobQueue(limit: config.maxJobs), results: results,
                               process: JobProcess(executable: config.executable, timeout: config.jobTimeout),
                               sharedArguments: config.sharedArguments)
        let access = AccessMiddleware<BasicRequestContext>(token: config.token)

        let router = Router()
        router.add(middleware: ErrorJSONMiddleware())
        router.add(middleware: access)
        PageRoutes().add(to: router)
        SessionRoutes(access: access).add(to: router)
        TemplateRoutes(templateDirectories: config.templateDirectories, workspace: workspace).add(to: router)
        JobRoutes(runner: runner, workspace: workspace, maxUploadBytes: config.maxUploadBytes).add(to: router)
        ResultRoutes(results: results).add(to: router)

        var log = logger ?? Logger(label: "annex-serve")
        if logger == nil { log.logLevel = .notice }
        return Application(router: router,
                           configuration: .init(address: .hostname(config.host, port: config.port), serverName: "annex"),
                           services: [ResultSweeper(store: results, workspace: workspace)],
                           onServerRunning: { channel in onRunning(channel.localAddress?.port ?? config.port) },
                           logger: log)
    }
}
