#if canImport(Glibc)
import Glibc
#endif

/// Runs a `ZipWriter` (deflate, CRC-32, file output) on a thread of its own, fed with chunks of
/// generated XML through a small fixed pool of buffers. Deflate costs about as much as generating the
/// XML, so on two cores the two halves overlap and a workbook is written in about half the time.
///
/// Memory is bounded by the pool (`chunkCount × chunkSize`); the producer waits when all chunks are
/// in flight. Members and bytes reach the zip in the order they were submitted, so the output is the
/// same as writing synchronously. An error on the zip thread (disk full) is rethrown to the producer
/// by the next call. Not for use from several producer threads.
final class XLSXZipPipeline: @unchecked Sendable {
    private enum Job {
        case begin(String)
        case data(chunk: Int, count: Int)
        case end
        case finish
    }

    private let zip: ZipWriter
    private let chunkSize: Int
    private let chunks: [UnsafeMutableRawPointer]
    private var freeChunks: [Int]
    private var jobs: [Job] = []
    private var jobHead = 0
    private var failure: Error?
    private var stopping = false
    private var finished = false
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var thread = pthread_t()
    private var running = false

    init(zip: ZipWriter, chunkSize: Int = 128 * 1024, chunkCount: Int = 8) throws {
        self.zip = zip
        self.chunkSize = chunkSize
        chunks = (0..<chunkCount).map { _ in UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16) }
        freeChunks = Array(0..<chunkCount)
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        switch WorkerThread.start({ [self] in run() }) {
        case .success(let started): thread = started
        case .failure(let error): throw XLSXWriteIssue(reason: "无法启动压缩线程（错误 \(error.code)）")
        }
        running = true
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(condition)
        mutex.deallocate()
        condition.deallocate()
        for chunk in chunks { chunk.deallocate() }
    }

    func beginEntry(_ name: String) throws {
        try submit(.begin(name))
    }

    /// Copies the bytes into pooled chunks and queues them.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let count = min(chunkSize, bytes.count - offset)
            let chunk = try takeChunk()
            chunks[chunk].copyMemory(from: base + offset, byteCount: count)
            try submit(.data(chunk: chunk, count: count))
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
        pthread_mutex_lock(mutex)
        while !finished && failure == nil { pthread_cond_wait(condition, mutex) }
        let error = failure
        pthread_mutex_unlock(mutex)
        if let error {
            stop()
            throw error
        }
        join()
    }

    /// Stops the zip thread without writing what is still queued. Safe to call more than once.
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        join()
    }

    // MARK: - Producer side

    private func takeChunk() throws -> Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while freeChunks.isEmpty && failure == nil && !stopping { pthread_cond_wait(condition, mutex) }
        if let failure { throw failure }
        if stopping { throw XLSXWriteIssue(reason: "写入已经停止") }
        return freeChunks.removeLast()
    }

    private func submit(_ job: Job) throws {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if let failure {
            if case .data(let chunk, _) = job { freeChunks.append(chunk) }
            throw failure
        }
        jobs.append(job)
        pthread_cond_broadcast(condition)
    }

    private func join() {
        guard running else { return }
        pthread_join(thread, nil)
        running = false
    }

    // MARK: - Zip thread

    private func run() {
        pthread_mutex_lock(mutex)
        while true {
            while jobHead == jobs.count && !stopping { pthread_cond_wait(condition, mutex) }
            if stopping { break }
            let job = jobs[jobHead]
            jobHead += 1
            if jobHead == jobs.count {   // keep the queue from growing: it is empty now
                jobs.removeAll(keepingCapacity: true)
                jobHead = 0
            }
            let healthy = failure == nil
            pthread_mutex_unlock(mutex)

            var error: Error? = nil
            if healthy {
                do {
                    switch job {
                    case .begin(let name): try zip.beginEntry(name)
                    case .data(let chunk, let count): try zip.write(UnsafeRawBufferPointer(start: chunks[chunk], count: count))
                    case .end: try zip.endEntry()
                    case .finish: try zip.finish()
                    }
                } catch let thrown {
                    error = thrown
                }
            }

            pthread_mutex_lock(mutex)
            if let error, failure == nil { failure = error }
            if case .data(let chunk, _) = job { freeChunks.append(chunk) }
            if case .finish = job { finished = true }
            pthread_cond_broadcast(condition)
            if finished { break }
        }
        pthread_mutex_unlock(mutex)
    }
}
