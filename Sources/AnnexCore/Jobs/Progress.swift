import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on standard error for long jobs: files done / total, the rate, the
/// failures so far and the time left. It draws only when standard error is a terminal (SPEC.md:
/// "Long work shows progress on a terminal (stderr), never in pipes"), at most ten times a second,
/// and clears its line when the job ends so that the summary starts on a clean line.
/// With `ANNEX_PROGRESS=json` in the environment (set by `annex serve` for its job processes) it
/// writes one `{"done":d,"total":t}` line per step to standard error instead, terminal or not.
/// Safe to call from several threads.
public final class ProgressMeter: @unchecked Sendable {
    public let total: Int
    /// False when standard error is not a terminal: nothing is ever written.
    public let enabled: Bool
    /// Machine-readable lines instead of the bar (`ANNEX_PROGRESS=json`).
    public let json: Bool
    private let lock = NSLock()
    private let start: Double
    private var done = 0
    private var failed = 0
    private var lastDraw = -1.0
    private var drawn = false
    private let write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - enabled: nil decides by `ANNEX_PROGRESS=json`, then by `isatty(2)`.
    ///   - json: nil decides by `ANNEX_PROGRESS=json`.
    ///   - write: where the bytes go (standard error unless a test captures them).
    public init(total: Int, enabled: Bool? = nil, json: Bool? = nil, write: (@Sendable (String) -> Void)? = nil) {
        self.total = total
        self.json = json ?? (ProcessInfo.processInfo.environment["ANNEX_PROGRESS"] == "json")
        self.enabled = enabled ?? (self.json || isatty(2) == 1)
        self.write = write ?? { text in
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        }
        start = ProgressMeter.now()
        if self.enabled { draw(force: true) }
    }

    /// One file finished (`failed`: it gave at least one failure).
    public func advance(failed: Bool = false) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        if failed { self.failed += 1 }
        if enabled { draw(force: done == total) }
    }

    /// Clears the bar's line.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if enabled && drawn && !json {
            write("\r\u{1B}[K")
            drawn = false
        }
    }

    /// The bar's text: `[##########----------]  37/120 个文件  12.3 个/秒  失败 2  剩余约 7 秒`.
    public static func line(done: Int, total: Int, failed: Int, elapsed: Double) -> String {
        let width = 20
        let filled = total == 0 ? width : min(width, done * width / total)
        var text = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
        text += " \(done)/\(total) 个文件"
        if elapsed > 0 && done > 0 {
            let rate = Double(done) / elapsed
            text += "  " + (rate >= 10 ? String(Int(rate.rounded())) : String(format: "%.1f", rate)) + " 个/秒"
            if done < total {
                text += "  剩余约 \(Int((Double(total - done) / rate).rounded(.up))) 秒"
            }
        }
        if failed > 0 { text += "  失败 \(failed)" }
        return text
    }

    private func draw(force: Bool) {
        if json {
            // Every step: a reader of the lines needs no rate limit and must see the last one.
            write("{\"done\":\(done),\"total\":\(total)}\n")
            drawn = true
            return
        }
        let now = ProgressMeter.now()
        guard force || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        write("\r" + Self.line(done: done, total: total, failed: failed, elapsed: now - start) + "\u{1B}[K")
        drawn = true
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
