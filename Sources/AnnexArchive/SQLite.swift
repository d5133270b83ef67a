import CSQLite
import Foundation

/// The few SQLite calls the archive needs, on the system's libsqlite3.
///
/// Why the system library rather than GRDB.swift or vapor/sqlite-nio from the package mirror: the
/// archive runs a dozen fixed statements in explicit transactions, which this thin wrapper covers.
/// Measured here (2 cores): a probe package using GRDB 7.10.0 took 35 s to build clean (debug) and
/// its one-statement binary was 13.7 MB, while GRDB on Linux links this same libsqlite3 through a
/// system-library target (apt libsqlite3-dev) anyway; sqlite-nio would compile the SQLite
/// amalgamation and SwiftNIO on top. CSQLite is a module map: no build time, a link to libsqlite3.
/// Debian's libsqlite3 (3.40) has WAL and busy timeouts.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    let path: String
    let busyTimeout: TimeInterval

    /// Opens (creating if needed) the database at `path`. `busyTimeout`: how long a statement waits
    /// for another process's lock before failing with `SQLITE_BUSY`.
    init(path: String, busyTimeout: TimeInterval) throws {
        self.path = path
        self.busyTimeout = busyTimeout
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "无法分配连接"
            sqlite3_close(handle)
            handle = nil
            throw SQLiteError(code: code, message: message)
        }
        sqlite3_busy_timeout(handle, Int32(max(0, busyTimeout * 1000)))
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs statements that return no rows (schema scripts, pragmas, transaction control).
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else {
            throw SQLiteError(code: code, message: message.map { String(cString: $0) } ?? lastMessage)
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw SQLiteError(code: code, message: lastMessage) }
        return SQLiteStatement(statement, connection: self)
    }

    /// Runs `body` in one write transaction: `BEGIN IMMEDIATE` takes the write lock at once (waiting up
    /// to the busy timeout), so two writers never deadlock halfway; any error rolls everything back.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` again while it fails with `SQLITE_BUSY`, until `busyTimeout` has passed since the
    /// first try. The busy handler alone is not enough: SQLite returns BUSY at once, without calling
    /// it, where waiting could deadlock or another process is mid-way through a change it cannot wait
    /// on (https://www.sqlite.org/c3ref/busy_handler.html) — seen here when two `archive add` open a
    /// brand-new archive at the same moment, both switching it to WAL. `body` must be safe to repeat:
    /// a read, or a whole `writeTransaction` (which rolls back before the error reaches here).
    func retryingWhileBusy<T>(_ body: () throws -> T) throws -> T {
        let deadline = Date(timeIntervalSinceNow: busyTimeout)
        var pause: UInt32 = 5_000
        while true {
            do {
                return try body()
            } catch let error as SQLiteError where error.isBusy && Date() < deadline {
                usleep(pause)
                pause = min(pause * 2, 100_000)
            }
        }
    }

    var lastInsertedRow: Int64 { sqlite3_last_insert_rowid(handle) }
    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }
    var lastCode: Int32 { sqlite3_extended_errcode(handle) }
}

/// A prepared statement: bind by position (1-based), step through rows, read columns (0-based).
final class SQLiteStatement {
    private let statement: OpaquePointer
    private unowned let connection: SQLiteConnection

    init(_ statement: OpaquePointer, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// Binds `values` (String, Int, Int64 or nil) from parameter 1 on, after a reset.
    @discardableResult
    func bind(_ values: [Any?]) throws -> SQLiteStatement {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case nil: code = sqlite3_bind_null(statement, index)
            case let text as String: code = sqlite3_bind_text(statement, index, text, -1, annex_sqlite_transient())
            case let number as Int: code = sqlite3_bind_int64(statement, index, Int64(number))
            case let number as Int64: code = sqlite3_bind_int64(statement, index, number)
            default: preconditionFailure("SQLite binding of \(type(of: value!)) is not supported")
            }
            guard code == SQLITE_OK else { throw SQLiteError(code: code, message: connection.lastMessage) }
        }
        return self
    }

    /// Runs a statement that returns no rows.
    func run(_ values: [Any?] = []) throws {
        try bind(values)
        while try step() {}
    }

    /// Advances to the next row; false when done.
    func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(code: connection.lastCode, message: connection.lastMessage)
        }
    }

    /// Every row, each read by `row`.
    func rows<T>(_ values: [Any?] = [], _ row: (SQLiteStatement) throws -> T) throws -> [T] {
        try bind(values)
        var out: [T] = []
        while try step() { out.append(try row(self)) }
        return out
    }

    func text(_ column: Int32) -> String {
        sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
    }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
}

struct SQLiteError: Error, CustomStringConvertible {
    var code: Int32
    var message: String

    /// Another connection holds the lock (after the busy timeout ran out).
    var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }

    var description: String { "SQLite \(code)：\(message)" }
}
