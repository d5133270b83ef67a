import AnnexCore
import Foundation

/// The SQLite archive of the monthly cycle (SPEC.md, "The monthly cycle"): the observations of every
/// return added, current and replaced versions, with their provenance. One bureau's embedded store;
/// canonical files (`query -o`) stay the way into any larger engine.
///
/// Concurrency: the database is in WAL mode, so readers never wait for a writer; a writer waits up to
/// `busyTimeout` for another writer and then fails with a message saying another program holds it.
public final class Archive {
    let db: SQLiteConnection
    public let path: String

    /// Opens the archive at `path` (creating it when `creating`), bringing its schema up to date.
    public init(path: String, busyTimeout: TimeInterval = 10, creating: Bool = true) throws {
        self.path = path
        self.busyTimeout = busyTimeout
        // Reading a mistyped path must not leave an empty archive behind.
        if !creating && !FileManager.default.fileExists(atPath: path) {
            throw AnnexError(file: path, reason: "档案库不存在；请先用 annex archive add 存入报表，或检查路径。")
        }
        do {
            db = try SQLiteConnection(path: path, busyTimeout: busyTimeout)
            try db.retryingWhileBusy { [db] in
                // WAL: `check --archive` can read while `archive add` writes; a crash never leaves half a file.
                try db.execute("PRAGMA journal_mode = WAL")
                try db.execute("PRAGMA foreign_keys = ON")
                try ArchiveSchema.migrate(db)
            }
        } catch {
            throw Self.annexError(error, archive: path, busyTimeout: busyTimeout)
        }
    }

    let busyTimeout: TimeInterval

    /// The schema version the archive is at.
    public var schemaVersion: Int {
        get throws { try ArchiveSchema.version(db) }
    }

    /// Every failure as an `AnnexError` naming the archive (and the file being added): a lock held by
    /// another process says so, instead of SQLite's "database is locked".
    static func annexError(_ error: Error, archive: String, file: String? = nil, busyTimeout: TimeInterval) -> AnnexError {
        if let error = error as? AnnexError { return error }
        let rolledBack = file.map { "，\($0) 的数据一条也没有存入" } ?? ""
        guard let error = error as? SQLiteError else {
            return AnnexError(file: archive, reason: "档案库无法使用\(rolledBack)：\(error)")
        }
        if error.isBusy {
            let seconds = busyTimeout.formatted(.number.precision(.fractionLength(0...1)))
            return AnnexError(file: archive, reason: "档案库正被另一个程序使用（另一个 annex archive add、merge 或 normalize 正在写入），等待 \(seconds) 秒后仍未释放\(rolledBack)；请等它结束后再运行。")
        }
        return AnnexError(file: archive, reason: "档案库无法使用\(rolledBack)：\(error.message)（SQLite 错误 \(error.code)）")
    }

    /// "2026-12-06T06:10:00Z": when a file was added or a version replaced.
    static func now() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}

/// Schema problems found on opening.
enum ArchiveError {
    static func newerSchema(path: String, found: Int, known: Int) -> AnnexError {
        AnnexError(file: path, reason: "档案库的结构版本是 \(found)，这个 annex 只认识到 \(known)；请用更新的 annex 打开它。")
    }
}
