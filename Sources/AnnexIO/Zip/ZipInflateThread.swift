#if canImport(Glibc)
import Glibc
#endif

extension ZipReader {
    /// Like `stream`, with inflate (and CRC-32) on a second thread, so that on two cores the parse of
    /// one chunk overlaps the inflate of the next. Inflate is a third of a sheet read once the cells
    /// are scanned by hand (zlib: ~700 MB/s; scanner and cells: ~350 MB/s), so this takes it off the
    /// critical path. Memory: `slots` chunks of `chunkSize`. Small members are streamed directly.
    func streamConcurrently(_ entry: ZipEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard entry.uncompressedSize > UInt64(4 * Self.chunkSize) else { return try stream(entry, body) }
        let pipe = ChunkPipe(slots: 4, chunkSize: Self.chunkSize)
        let job = InflateJob(zip: self, entry: entry, pipe: pipe)
        try job.start()
        defer { job.join() }
        do {
            while let (slot, count) = try pipe.take() {
                defer { pipe.release(slot) }
                try body(UnsafeRawBufferPointer(start: pipe.chunk(slot), count: count))
            }
        } catch {
            pipe.cancel()
            throw error
        }
    }
}

/// The inflating thread's side of `streamConcurrently`.
private final class InflateJob: @unchecked Sendable {
    let zip: ZipReader
    let entry: ZipEntry
    let pipe: ChunkPipe
    private var thread = pthread_t()
    private var running = false

    init(zip: ZipReader, entry: ZipEntry, pipe: ChunkPipe) {
        self.zip = zip
        self.entry = entry
        self.pipe = pipe
    }

    func start() throws {
        switch WorkerThread.start({ [self] in run() }) {
        case .success(let started): thread = started
        case .failure(let error): throw AnnexError(file: zip.path, reason: "无法启动解压线程（错误 \(error.code)）")
        }
        running = true
    }

    func join() {
        if running { pthread_join(thread, nil); running = false }
    }

    private func run() {
        do {
            // stream() splits its output at chunkSize, so every piece fits a slot.
            try zip.stream(entry) { piece in
                var offset = 0
                while offset < piece.count {
                    let slot = try pipe.acquire()
                    let count = min(piece.count - offset, pipe.chunkSize)
                    pipe.chunk(slot).copyMemory(from: piece.baseAddress! + offset, byteCount: count)
                    pipe.submit(slot, count: count)
                    offset += count
                }
            }
            pipe.close(error: nil)
        } catch {
            pipe.close(error: error)
        }
    }
}

/// A bounded queue of byte chunks between one producer thread and one consumer.
final class ChunkPipe: @unchecked Sendable {
    struct Cancelled: Error {}

    let chunkSize: Int
    private let chunks: [UnsafeMutableRawPointer]
    private var free: [Int]
    private var ready: [(slot: Int, count: Int)] = []
    private var readyHead = 0
    private var closed = false
    private var cancelled = false
    private var failure: Error?
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init(slots: Int, chunkSize: Int) {
        self.chunkSize = chunkSize
        chunks = (0..<slots).map { _ in UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 64) }
        free = Array(0..<slots)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(condition)
        mutex.deallocate()
        condition.deallocate()
        for chunk in chunks { chunk.deallocate() }
    }

    func chunk(_ slot: Int) -> UnsafeMutableRawPointer { chunks[slot] }

    // Producer.
    func acquire() throws -> Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while free.isEmpty && !cancelled { pthread_cond_wait(condition, mutex) }
        if cancelled { throw Cancelled() }
        return free.removeLast()
    }

    func submit(_ slot: Int, count: Int) {
        pthread_mutex_lock(mutex)
        ready.append((slot, count))
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    func close(error: Error?) {
        pthread_mutex_lock(mutex)
        closed = true
        failure = error
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    // Consumer.
    /// The next chunk, nil at the end; rethrows the producer's error after the chunks before it.
    func take() throws -> (Int, Int)? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while readyHead == ready.count && !closed { pthread_cond_wait(condition, mutex) }
        if readyHead < ready.count {
            let item = ready[readyHead]
            readyHead += 1
            if readyHead == ready.count { ready.removeAll(keepingCapacity: true); readyHead = 0 }
            return item
        }
        if let failure, !(failure is Cancelled) { throw failure }
        return nil
    }

    func release(_ slot: Int) {
        pthread_mutex_lock(mutex)
        free.append(slot)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// The consumer stops early: the producer's next `acquire` throws.
    func cancel() {
        pthread_mutex_lock(mutex)
        cancelled = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }
}
