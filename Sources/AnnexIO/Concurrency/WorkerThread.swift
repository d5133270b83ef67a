#if canImport(Glibc)
import Glibc
#endif

/// A dedicated POSIX thread for a producer/consumer pipeline (deflate while writing, inflate while
/// reading). Not a Dispatch queue: `normalize` fills Dispatch's pool with `concurrentPerform`, and a
/// pipeline stage waiting for a pool thread would deadlock it.
enum WorkerThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts `body` on a new thread; returns the thread to join, or pthread_create's error code.
    static func start(_ body: @escaping () -> Void) -> Result<pthread_t, ThreadError> {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let status = pthread_create(&thread, nil, { context in
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return .failure(ThreadError(code: status))
        }
        return .success(thread)
    }

    struct ThreadError: Error {
        let code: Int32
    }
}
