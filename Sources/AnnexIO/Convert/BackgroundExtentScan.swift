#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A sheet's extent scan (`SheetSource.extentScan`) on a thread of its own, while the sheet is read.
///
/// Why a thread: the scan reads the whole file once more (a 15 MB CSV costs about a tenth of the CSV →
/// CSV conversion), and the thread that converts rows is the slower of the two already at work; the
/// parsing thread's core has time to spare. The reader asks `progress()` per row, which costs one
/// atomic load until the scan is done.
final class BackgroundExtentScan: @unchecked Sendable {
    enum Progress {
        case running
        /// The extent, or nil when the source could not tell it after all.
        case finished(SheetExtent?)
    }

    /// What the scan thread writes: the outcome first, then `done`. (Not the scan object itself: the
    /// thread must not hold what joins it.)
    private final class ScanState: @unchecked Sendable {
        let done = Atomic<Bool>(false)
        var outcome: Result<SheetExtent?, Error>?

        func finish(_ scan: () throws -> SheetExtent?) {
            outcome = Result { try scan() }
            done.store(true, ordering: .releasing)
        }
    }

    private let state = ScanState()
    private var thread: pthread_t?

    init(_ scan: @escaping @Sendable () throws -> SheetExtent?) {
        let state = self.state
        switch WorkerThread.start({ state.finish(scan) }) {
        case .success(let running): thread = running
        case .failure: state.finish(scan)   // no thread to be had: scan here, before reading
        }
    }

    deinit { join() }

    /// Whether the scan has finished, and its extent; rethrows the scan's error.
    func progress() throws -> Progress {
        guard state.done.load(ordering: .acquiring) else { return .running }
        return .finished(try state.outcome!.get())
    }

    /// Waits for the scan to finish; its extent, or its error.
    func wait() throws -> SheetExtent? {
        join()
        return try state.outcome!.get()
    }

    private func join() {
        if let running = thread {
            pthread_join(running, nil)
            thread = nil
        }
    }
}
