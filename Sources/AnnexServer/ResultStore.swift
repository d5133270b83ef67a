import Foundation
import ServiceLifecycle

/// The finished jobs' folders, each reachable only through an unguessable token
/// (`/api/results/<token>/<name>`) until it expires; then, or at shutdown, the folder is removed.
actor ResultStore {
    private struct Entry {
        let folder: JobFolder
        /// Download name → file path.
        let files: [String: String]
        let expires: Date
    }

    private var entries: [String: Entry] = [:]
    let ttl: Double

    init(ttl: Double) { self.ttl = ttl }

    /// Keeps `files` (download name → path inside `folder`) and answers the token for their URLs.
    func publish(_ folder: JobFolder, files: [String: String]) -> String {
        let token = Self.randomToken()
        entries[token] = Entry(folder: folder, files: files, expires: Date().addingTimeInterval(ttl))
        return token
    }

    /// The file's path, nil when the token or the name is unknown or the result has expired.
    func file(token: String, name: String) -> String? {
        removeExpired()
        return entries[token]?.files[name]
    }

    func removeExpired() {
        let now = Date()
        for (token, entry) in entries where entry.expires <= now {
            entry.folder.remove()
            entries[token] = nil
        }
    }

    func removeAll() {
        for entry in entries.values { entry.folder.remove() }
        entries = [:]
    }

    /// 128 random bits as hex, from the system's generator.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }
}

/// Sweeps expired results while the server runs; at graceful shutdown (after the HTTP server has
/// stopped and its jobs have finished) removes every result and the server's temporary folder.
struct ResultSweeper: Service {
    let store: ResultStore
    let workspace: Workspace

    func run() async throws {
        let interval = min(max(store.ttl / 4, 0.2), 60)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                await store.removeExpired()
            }
        }
        await store.removeAll()
        workspace.removeAll()
    }
}
