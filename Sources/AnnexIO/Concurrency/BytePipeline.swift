#if canImport(Glibc)
import Glibc
#endif

/// Two-stage streaming on two cores: a producer on a second thread emits bytes (inflated sheet XML,
/// decoded CSV text), the calling thread consumes them in order. They meet in a few fixed chunks, so
/// memory is `slots × chunkSize` whatever the input's size.
enum BytePipeline {
    /// Runs `produce` on a new thread and `consume` here with everything it emits, in order and split
    /// at `chunkSize`. An error of `produce` is thrown here after the bytes emitted before it were
    /// consumed; an error of `consume` stops the producer (its next emit throws) and is thrown.
    /// `threadFailure` makes the error for a thread that cannot be started.
    static func run(slots: Int = 4, chunkSize: Int,
                    threadFailure: @escaping (Int32) -> Error,
                    produce: @escaping (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void,
                    consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let pipe = ChunkPipe(slots: slots, chunkSize: chunkSize)
        let producer = Producer(pipe: pipe, produce: produce)
        switch WorkerThread.start({ producer.run() }) {
        case .success(let thread):
            defer { pthread_join(thread, nil) }
            do {
                while let (slot, count) = try pipe.take() {
                    defer { pipe.release(slot) }
                    try consume(UnsafeRawBufferPointer(start: pipe.chunk(slot), count: count))
                }
            } catch {
                pipe.cancel()
                throw error
            }
        case .failure(let error):
            throw threadFailure(error.code)
        }
    }

    /// The second thread's side: copies what `produce` emits into free chunks.
    private final class Producer: @unchecked Sendable {
        let pipe: ChunkPipe
        let produce: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void

        init(pipe: ChunkPipe, produce: @escaping (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) {
            self.pipe = pipe
            self.produce = produce
        }

        func run() {
            do {
                try produce { piece in
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
