import Dispatch
import Foundation

/// `annex normalize`: every sheet of every file, in whatever layout it is, into one canonical
/// dataset with provenance, on all cores. A file or sheet that cannot be used is listed with the
/// reason and never stops the rest.
///
/// Files are read independently by a bounded pool of workers (`jobs`); each file's observations
/// are written as soon as every file before it (in path order) has been written, so the output
/// is the same bytes whatever the scheduling: sorted by path, then sheet order, then cell in
/// row-major order. Memory holds only the files finished ahead of the next one to write.
/// Writing never holds up reading: the worker that finishes the next file to write writes it (and
/// whatever became ready meanwhile) while the others go on to their next files.
public struct Normalizer: Sendable {
    public struct Failure: Sendable, Hashable {
        public var file: String
        /// Empty when the file as a whole cannot be opened.
        public var sheet: String
        public var reason: String

        public init(file: String, sheet: String, reason: String) {
            self.file = file
            self.sheet = sheet
            self.reason = reason
        }
    }

    /// What reading one file gave.
    public struct FileResult: Sendable {
        public var file: String
        /// Sheet by sheet in workbook order, each sheet's observations sorted by cell (row-major).
        public var observations: [Observation]
        /// (sheet, template id) of each sheet read.
        public var sheets: [(sheet: String, template: String)]
        public var failures: [Failure]
    }

    public struct Summary: Sendable {
        /// Files found (after skipping lock and hidden files).
        public var files = 0
        /// Files of which at least one sheet was read.
        public var filesRead = 0
        public var sheetsRead = 0
        public var observations = 0
        public var failures: [Failure] = []
        public var skipped: [FileWalk.Skipped] = []
        /// Sheets read per template id.
        public var templates: [String: Int] = [:]

        /// Files that gave at least one failure.
        public var filesWithFailures: Int { Set(failures.map(\.file)).count }
    }

    public var reader: AnnexReader
    /// Files read at the same time (at least 1).
    public var jobs: Int

    public init(reader: AnnexReader, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.reader = reader
        self.jobs = max(1, jobs)
    }

    /// Reads one file; never throws: what cannot be used becomes a `Failure`.
    public func read(file: String) -> FileResult {
        var result = FileResult(file: file, observations: [], sheets: [], failures: [])
        let outcomes = reader.readEverySheet(file: file)
        for (sheet, outcome) in outcomes {
            switch outcome {
            case .read(let reading):
                result.observations += Self.rowMajor(reading.observations)
                result.sheets.append((sheet, reading.template.id))
            case .empty:
                continue
            case .failed(let error):
                result.failures.append(Failure(file: file, sheet: sheet, reason: error.reason(inSheet: sheet)))
            }
        }
        if result.sheets.isEmpty && result.failures.isEmpty {
            result.failures.append(Failure(file: file, sheet: "", reason: "没有找到任何表格（工作表都是空的）"))
        }
        return result
    }

    /// Reads `files` (in the order given, which should be `FileWalk`'s) and hands each file's
    /// observations to `sink` in that order. `sink` is called one file at a time (by whichever worker
    /// holds the writing turn); when it throws, no further file is started and the error is rethrown
    /// once the workers have stopped.
    public func run(files: [String], progress: ProgressMeter? = nil,
                    sink: @escaping ([Observation]) throws -> Void) throws -> Summary {
        let state = RunState(count: files.count)
        // Called only by the holder of `state`'s writing turn, one file at a time.
        nonisolated(unsafe) let sink = sink
        let workers = min(jobs, max(1, files.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = state.claim() {
                let result = read(file: files[index])
                progress?.advance(failed: !result.failures.isEmpty)
                state.finish(index, result, sink: sink)
            }
        }
        progress?.finish()
        if let error = state.error { throw error }
        return state.summary
    }

    /// A sheet's observations by cell, row-major; observations without a cell keep their place
    /// after the others, in reading order.
    static func rowMajor(_ observations: [Observation]) -> [Observation] {
        let keyed = observations.enumerated().map { index, observation -> (cell: CellReference?, index: Int) in
            (observation.extra["cell"].flatMap { CellReference($0) }, index)
        }
        func precedes(_ a: (cell: CellReference?, index: Int), _ b: (cell: CellReference?, index: Int)) -> Bool {
            switch (a.cell, b.cell) {
            case let (x?, y?): return (x.row, x.column, a.index) < (y.row, y.column, b.index)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.index < b.index
            }
        }
        // Tables are read row by row, so the observations are nearly always in order already.
        if zip(keyed, keyed.dropFirst()).allSatisfy(precedes) { return observations }
        return keyed.sorted(by: precedes).map { observations[$0.index] }
    }

    /// The shared state of a run: the next file to claim, results waiting for their turn, whether a
    /// worker is writing, the summary, the first sink error.
    private final class RunState: @unchecked Sendable {
        private let lock = NSLock()
        private let count: Int
        private var next = 0
        private var nextToWrite = 0
        private var waiting: [Int: FileResult] = [:]
        /// True while a worker writes (outside the lock): the others leave their results in `waiting`.
        private var writing = false
        /// Changed only by the worker holding the writing turn; read once the workers have stopped.
        private(set) var summary = Summary()
        private(set) var error: Error?

        init(count: Int) {
            self.count = count
            summary.files = count
        }

        func claim() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard error == nil, next < count else { return nil }
            next += 1
            return next - 1
        }

        /// Leaves a file's result to be written; when no one is writing and the next file to write
        /// is ready, takes the writing turn and writes in order until the next one is not ready.
        func finish(_ index: Int, _ result: FileResult, sink: ([Observation]) throws -> Void) {
            lock.lock()
            waiting[index] = result
            guard !writing else { return lock.unlock() }
            writing = true
            while error == nil, let ready = waiting.removeValue(forKey: nextToWrite) {
                nextToWrite += 1
                lock.unlock()
                do {
                    try sink(ready.observations)
                    add(ready)
                    lock.lock()
                } catch {
                    lock.lock()
                    self.error = error
                }
            }
            writing = false
            lock.unlock()
        }

        private func add(_ written: FileResult) {
            summary.observations += written.observations.count
            summary.sheetsRead += written.sheets.count
            if !written.sheets.isEmpty { summary.filesRead += 1 }
            for (_, template) in written.sheets { summary.templates[template, default: 0] += 1 }
            summary.failures += written.failures
        }
    }
}

extension Normalizer.Summary {
    /// The `--report` JSON: counts, the sheets read per template, every failure and skipped file.
    public func json(inputs: [String], output: String) -> String {
        func quoted(_ text: String) -> String { JSONString.quoted(text) }
        var out = "{\n"
        out += "  \"inputs\": [\(inputs.map(quoted).joined(separator: ", "))],\n"
        out += "  \"output\": \(quoted(output)),\n"
        out += "  \"files\": \(files),\n"
        out += "  \"files_read\": \(filesRead),\n"
        out += "  \"files_failed\": \(filesWithFailures),\n"
        out += "  \"sheets_read\": \(sheetsRead),\n"
        out += "  \"observations\": \(observations),\n"
        let templateList = templates.keys.sorted().map { "\(quoted($0)): \(templates[$0]!)" }
        out += "  \"templates\": {\(templateList.joined(separator: ", "))},\n"
        out += "  \"failures\": [" + list(failures.map {
            "{\"file\": \(quoted($0.file)), \"sheet\": \(quoted($0.sheet)), \"reason\": \(quoted($0.reason))}"
        }) + "],\n"
        out += "  \"skipped\": [" + list(skipped.map {
            "{\"file\": \(quoted($0.file)), \"reason\": \(quoted($0.reason))}"
        }) + "]\n"
        return out + "}\n"
    }

    private func list(_ items: [String]) -> String {
        items.isEmpty ? "" : "\n    " + items.joined(separator: ",\n    ") + "\n  "
    }

    /// The closing lines on standard error: what was read, then every failure (the first 20).
    public func text(output: String?) -> String {
        var out = ""
        let shown = failures.prefix(20)
        for failure in shown {
            out += "失败 \(failure.file)\(failure.sheet.isEmpty ? "" : "，工作表“\(failure.sheet)”")：\(failure.reason)\n"
        }
        if failures.count > shown.count { out += "……另有 \(failures.count - shown.count) 个失败，见 --report\n" }
        for skip in skipped.prefix(10) { out += "跳过 \(skip.file)：\(skip.reason)\n" }
        if skipped.count > 10 { out += "……另跳过 \(skipped.count - 10) 个文件\n" }
        out += "共 \(files) 个文件：读取 \(filesRead) 个文件的 \(sheetsRead) 个工作表，\(observations) 条观测"
        if !failures.isEmpty { out += "；\(filesWithFailures) 个文件有 \(failures.count) 处无法读取" }
        if !skipped.isEmpty { out += "；跳过 \(skipped.count) 个" }
        if let output { out += "；写入 \(output)" }
        return out + "。\n"
    }
}
