#if canImport(Glibc)
import Glibc
#endif

/// Two-stage streaming on two cores: a producer on a second thread fills reusable slots (chunks of
/// inflated sheet XML, batches of parsed CSV records), the calling thread consumes them in order. Memory
/// is the slots', whatever the input's size.
enum SlotPipeline {
    /// Runs `produce` on a new thread and `consume` here with every slot it submits, in order, with the
    /// count it submitted. An error of `produce` is thrown here after the slots submitted before it were
    /// consumed; an error of `consume` stops the producer (its next `acquire` throws) and is thrown.
    /// `threadFailure` makes the error for a thread that cannot be started.
    static func run<Slot>(_ slots: [Slot], threadFailure: @escaping (Int32) -> Error,
                          produce: @escaping (SlotPipe<Slot>) throws -> Void,
                          consume: (Slot, Int) throws -> Void) throws {
        let pipe = SlotPipe(slots)
        let producer = Producer(pipe: pipe, produce: produce)
        switch WorkerThread.start({ producer.run() }) {
        case .success(let thread):
            defer { pthread_join(thread, nil) }
            do {
                while let (slot, count) = try pipe.take() {
                    defer { pipe.release(slot) }
                    try consume(pipe[slot], count)
                }
            } catch {
                pipe.cancel()
                throw error
            }
        case .failure(let error):
            throw threadFailure(error.code)
        }
    }

    /// The second thread's side.
    private final class Producer<Slot>: @unchecked Sendable {
        let pipe: SlotPipe<Slot>
        let produce: (SlotPipe<Slot>) throws -> Void

        init(pipe: SlotPipe<Slot>, produce: @escaping (SlotPipe<Slot>) throws -> Void) {
            self.pipe = pipe
            self.produce = produce
        }

        func run() {
            do {
                try produce(pipe)
                pipe.close(error: nil)
            } catch {
                pipe.close(error: error)
            }
        }
    }
}

/// `SlotPipeline` for bytes: what the producer emits is copied into a few fixed chunks.
enum BytePipeline {
    /// Runs `produce` on a new thread and `consume` here with everything it emits, in order and split
    /// at `chunkSize` (see `SlotPipeline.run` for errors).
    static func run(slots: Int = 4, chunkSize: Int,
                    threadFailure: @escaping (Int32) -> Error,
                    produce: @escaping (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void,
                    consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let chunks = (0..<slots).map { _ in UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 64) }
        defer { for chunk in chunks { chunk.deallocate() } }
        try SlotPipeline.run(chunks, threadFailure: threadFailure, produce: { pipe in
            try produce { piece in
                var offset = 0
                while offset < piece.count {
                    let slot = try pipe.acquire()
                    let count = min(piece.count - offset, chunkSize)
                    pipe[slot].copyMemory(from: piece.baseAddress! + offset, byteCount: count)
                    pipe.submit(slot, count: count)
                    offset += count
                }
            }
        }, consume: { chunk, count in
            try consume(UnsafeRawBufferPointer(start: chunk, count: count))
        })
    }
}

/// A bounded queue of reusable slots between one producer thread and one consumer: the producer
/// acquires a free slot, fills it and submits it with a count; the consumer takes slots in submission
/// order and releases them.
final class SlotPipe<Slot>: @unchecked Sendable {
    struct Cancelled: Error {}

    private let slots: [Slot]
    private var free: [Int]
    private var ready: [(slot: Int, count: Int)] = []
    private var readyHead = 0
    private var closed = false
    private var cancelled = false
    /// Why the consumer stopped: what the producer's `acquire` throws.
    private var cancellation: Error?
    private var failure: Error?
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init(_ slots: [Slot]) {
        self.slots = slots
        free = Array(slots.indices)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(condition)
        mutex.deallocate()
        condition.deallocate()
    }

    /// The slot's contents; only the side that holds the slot touches them.
    subscript(slot: Int) -> Slot { slots[slot] }

    // Producer.
    func acquire() throws -> Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while free.isEmpty && !cancelled { pthread_cond_wait(condition, mutex) }
        if cancelled { throw cancellation ?? Cancelled() }
        return free.removeLast()
    }

    func submit(_ slot: Int, count: Int) {
        pthread_mutex_lock(mutex)
        ready.append((slot, count))
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// The producer is done (with an error to throw to the consumer after the slots before it).
    /// Only the first call counts.
    func close(error: Error?) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !closed else { return }
        closed = true
        failure = error
        pthread_cond_broadcast(condition)
    }

    // Consumer.
    /// The next slot and its count, nil at the end; rethrows the producer's error after the slots
    /// submitted before it.
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

    /// The consumer stops early: the producer's next `acquire` throws `error` (or `Cancelled`).
    func cancel(_ error: Error? = nil) {
        pthread_mutex_lock(mutex)
        cancelled = true
        if cancellation == nil { cancellation = error }
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }
}
