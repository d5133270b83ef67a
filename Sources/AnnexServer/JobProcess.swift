import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one job as a child process of the `annex` binary, so that a crash in a reader ends only
/// that job. Standard output goes to a file (the findings JSON can be large); standard error is
/// read line by line: `{"done":d,"total":t}` lines (`ANNEX_PROGRESS=json`) are progress, the rest
/// are the command's messages.
struct JobProcess {
    struct Outcome {
        /// The exit status, or nil when the process was killed by a signal.
        var status: Int32?
        var timedOut: Bool
        var stdout: Data
        /// The messages on standard error, progress lines left out.
        var messages: [String]
    }

    var executable: String
    var timeout: Double

    /// Runs `arguments` in `directory`; a cancelled task (the server shutting down) kills the child.
    func run(_ arguments: [String], in directory: String, stdoutFile: String,
             progress: @escaping @Sendable (Int, Int) -> Void) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["ANNEX_PROGRESS"] = "json"
        process.environment = environment
        _ = FileManager.default.createFile(atPath: stdoutFile, contents: nil, attributes: [.posixPermissions: 0o600])
        let stdout = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutFile))
        defer { try? stdout.close() }
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let watchdog = Watchdog(pid: pid, after: timeout)

        let messages = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[String], Never>) in
                // A blocking reader on its own thread: the child's messages are few, the jobs at once bounded.
                Thread.detachNewThread {
                    let lines = Self.readLines(stderr.fileHandleForReading, progress: progress)
                    process.waitUntilExit()
                    continuation.resume(returning: lines)
                }
            }
        } onCancel: {
            kill(pid, SIGKILL)
        }
        watchdog.cancel()
        try? stdout.close()
        let output = (try? Data(contentsOf: URL(fileURLWithPath: stdoutFile))) ?? Data()
        let exited = process.terminationReason == .exit
        return Outcome(status: exited ? process.terminationStatus : nil, timedOut: watchdog.fired,
                       stdout: output, messages: messages)
    }

    private static func readLines(_ handle: FileHandle, progress: (Int, Int) -> Void) -> [String] {
        var messages: [String] = []
        var pending = Data()
        func take(_ line: Data) {
            let text = String(decoding: line, as: UTF8.self)
            if let step = progressStep(text) {
                progress(step.done, step.total)
            } else if !text.trimmingCharacters(in: .whitespaces).isEmpty {
                messages.append(text)
            }
        }
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending += chunk
            while let newline = pending.firstIndex(of: 0x0A) {
                take(pending[pending.startIndex..<newline])
                pending = pending[(newline + 1)...]
            }
        }
        if !pending.isEmpty { take(pending) }
        return messages
    }

    private static func progressStep(_ line: String) -> (done: Int, total: Int)? {
        guard line.hasPrefix("{\"done\":"), let data = line.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Int],
              let done = object["done"], let total = object["total"] else { return nil }
        return (done, total)
    }
}

/// Kills a process that outlives its time limit.
private final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var _fired = false
    private var cancelled = false

    init(pid: pid_t, after seconds: Double) {
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            lock.lock()
            defer { lock.unlock() }
            guard !cancelled else { return }
            _fired = true
            kill(pid, SIGKILL)
        }
    }

    var fired: Bool {
        lock.lock()
        defer { lock.unlock() }
        return _fired
    }

    /// Called once the child has exited: its pid must not be killed any more.
    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }
}
