#if canImport(Glibc)
import Glibc
#endif

/// Runs a `ZipWriter` (deflate, CRC-32, file output) on a thread of its own, fed with chunks of
/// generated XML through a `SlotPipe` of a few jobs. Deflate costs about as much as generating the
/// XML, so on two cores the two halves overlap and a workbook is written in about half the time.
///
/// Memory is bounded by the jobs (`chunkCount × chunkSize`); the producer waits when all of them are in
/// flight. Members and bytes reach the zip in the order they were submitted, so the output is the same
/// as writing synchronously. An error on the zip thread (disk full) is rethrown to the producer by the
/// next call. Not for use from several producer threads.
final class XLSXZipPipeline: @unchecked Sendable {
    /// One queued step for the zip thread; `chunk` holds the bytes of a `.data` step.
    private final class Job: @unchecked Sendable {
        enum Kind {
            case begin(String)
            case data
            case end
            case finish
        }

        var kind = Kind.end
        let chunk: UnsafeMutableRawPointer

        init(chunkSize: Int) { chunk = .allocate(byteCount: chunkSize, alignment: 16) }
        deinit { chunk.deallocate() }
    }

    private struct Stopped: Error {}

    private let zip: ZipWriter
    private let chunkSize: Int
    private let pipe: SlotPipe<Job>
    private var thread = pthread_t()
    private var running = false
    /// The zip thread's error; read after the thread is joined.
    private var failure: Error?

    init(zip: ZipWriter, chunkSize: Int = 128 * 1024, chunkCount: Int = 8) throws {
        self.zip = zip
        self.chunkSize = chunkSize
        pipe = SlotPipe((0..<chunkCount).map { _ in Job(chunkSize: chunkSize) })
        switch WorkerThread.start({ [self] in run() }) {
        case .success(let started): thread = started
        case .failure(let error): throw XLSXWriteIssue(reason: "无法启动压缩线程（错误 \(error.code)）")
        }
        running = true
    }

    func beginEntry(_ name: String) throws {
        try submit(.begin(name))
    }

    /// Copies the bytes into job chunks and queues them.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let count = min(chunkSize, bytes.count - offset)
            let slot = try pipe.acquire()
            pipe[slot].kind = .data
            pipe[slot].chunk.copyMemory(from: base + offset, byteCount: count)
            pipe.submit(slot, count: count)
            offset += count
        }
    }

    func endEntry() throws {
        try submit(.end)
    }

    /// Queues the central directory and waits until everything is written; rethrows the zip thread's error.
    func finish() throws {
        do {
            try submit(.finish)
        } catch {
            stop()
            throw error
        }
        pipe.close(error: nil)
        join()
        if let failure { throw failure }
    }

    /// Stops the zip thread; what is still queued may be written or not (the output is abandoned).
    /// Safe to call more than once.
    func stop() {
        pipe.close(error: Stopped())
        join()
    }

    private func submit(_ kind: Job.Kind) throws {
        let slot = try pipe.acquire()
        pipe[slot].kind = kind
        pipe.submit(slot, count: 0)
    }

    private func join() {
        guard running else { return }
        pthread_join(thread, nil)
        running = false
    }

    // MARK: - Zip thread

    private func run() {
        do {
            while let (slot, count) = try pipe.take() {
                defer { pipe.release(slot) }
                let job = pipe[slot]
                switch job.kind {
                case .begin(let name): try zip.beginEntry(name)
                case .data: try zip.write(UnsafeRawBufferPointer(start: job.chunk, count: count))
                case .end: try zip.endEntry()
                case .finish: try zip.finish()
                }
            }
        } catch {
            // The producer's next acquire throws this error (unless it is the producer's own stop).
            failure = error
            pipe.cancel(error)
        }
    }
}
