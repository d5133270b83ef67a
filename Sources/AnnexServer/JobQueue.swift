/// At most `limit` jobs run at once; the others wait first come, first served, and are told their
/// place (how many wait ahead of them) whenever it changes.
actor JobQueue {
    private struct Waiter {
        let id: Int
        let admit: CheckedContinuation<Bool, Never>
        let place: @Sendable (Int) -> Void
    }

    let limit: Int
    private var running = 0
    private var waiters: [Waiter] = []
    private var nextID = 0

    init(limit: Int) { self.limit = limit }

    /// Runs `job` once a place is free. `place` hears the number of jobs ahead while it waits.
    /// A task cancelled while waiting leaves the queue and throws `CancellationError`.
    func run<T: Sendable>(place: @escaping @Sendable (Int) -> Void, _ job: @Sendable () async throws -> T) async throws -> T {
        try await enter(place: place)
        defer { leave() }
        return try await job()
    }

    private func enter(place: @escaping @Sendable (Int) -> Void) async throws {
        if running < limit && waiters.isEmpty {
            running += 1
            return
        }
        let id = nextID
        nextID += 1
        place(waiters.count)
        let admitted = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters.append(Waiter(id: id, admit: continuation, place: place))
            }
        } onCancel: {
            Task { await self.withdraw(id) }
        }
        if !admitted { throw CancellationError() }
    }

    private func leave() {
        running -= 1
        if !waiters.isEmpty {
            running += 1
            waiters.removeFirst().admit.resume(returning: true)
            announcePlaces()
        }
    }

    private func withdraw(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).admit.resume(returning: false)
        announcePlaces()
    }

    private func announcePlaces() {
        for (ahead, waiter) in waiters.enumerated() { waiter.place(ahead) }
    }
}
