import Foundation

/// Everything `annex serve` is told on its command line, with the defaults of SPEC.md.
public struct ServerConfig: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Required for any address other than loopback (`--token` or `ANNEX_TOKEN`).
    public var token: String?
    public var maxUploadBytes: Int = 200 << 20
    /// The user's own template folders (`--templates`), passed on to every job.
    public var templateDirectories: [String] = []
    /// The SQLite archive (`annex archive`) that checks and merges read last month from and that
    /// merges and normalizations store into; nil without one.
    public var archive: String?
    /// How many jobs run at once; the others wait in a FIFO queue.
    public var maxJobs: Int = ProcessInfo.processInfo.activeProcessorCount
    /// A job process still running after this many seconds is killed.
    public var jobTimeout: Double = 600
    /// How long results stay downloadable (seconds).
    public var resultTTL: Double = 3600
    /// The `annex` binary that runs each job: this very program unless a test names the built one.
    public var executable: String = "/proc/self/exe"
    /// Where the job folders go (each server makes its own folder inside).
    public var temporaryDirectory: String = NSTemporaryDirectory()

    public init() {}

    /// Loopback addresses need no token: only this machine can reach them.
    /// The options every job's `annex` command gets: the user's template folders and the archive.
    var sharedArguments: [String] {
        templateDirectories.flatMap { ["--templates", $0] } + (archive.map { ["--archive", $0] } ?? [])
    }

    public var isLoopback: Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered == "::1" || lowered == "[::1]" || lowered.hasPrefix("127.")
    }

    /// Refuses, in Chinese, a configuration the server must not start with.
    public func validate() throws {
        if !isLoopback && (token ?? "").isEmpty {
            throw ConfigError("监听 \(host) 会让局域网中的其他电脑访问工作台，必须设置口令：--token 口令 或环境变量 ANNEX_TOKEN")
        }
        if maxUploadBytes <= 0 { throw ConfigError("--max-upload-mb 至少为 1") }
        if maxJobs < 1 { throw ConfigError("--jobs 至少为 1") }
        if jobTimeout <= 0 { throw ConfigError("--job-timeout 应大于 0") }
        if resultTTL <= 0 { throw ConfigError("--result-ttl 应大于 0") }
        if !(1...65535).contains(port) && port != 0 { throw ConfigError("--port 应在 1 到 65535 之间") }
    }
}

/// A configuration `annex serve` refuses to start with (exit 2).
public struct ConfigError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
