/// The archive's tables, as forward migrations: `migrations[i]` takes a database from schema version
/// `i` to `i + 1`. A new version appends a script; scripts already released never change.
///
/// - `files`: every file whose figures were stored, by its SHA-256 (adding it again changes nothing).
/// - `returns`: one version of one unit's figures for a template and period, from one sheet of a file.
///   The current version has `replaced_at` NULL; a changed return for the same template, period and
///   unit sets `replaced_at`/`replaced_by` on the old one, which keeps its rows and provenance.
/// - `observations`: the cells of a version, in reading order, with their sheet and cell.
enum ArchiveSchema {
    static let migrations: [String] = [
        """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version (version) VALUES (0);
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            bytes INTEGER NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE TABLE returns (
            id INTEGER PRIMARY KEY,
            template TEXT NOT NULL,
            period TEXT NOT NULL,
            unit TEXT NOT NULL,
            file_id INTEGER NOT NULL REFERENCES files(id),
            sheet TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            has_figures INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            replaced_at TEXT,
            replaced_by INTEGER REFERENCES returns(id)
        );
        CREATE UNIQUE INDEX returns_current ON returns (template, period, unit) WHERE replaced_at IS NULL;
        CREATE TABLE observations (
            return_id INTEGER NOT NULL REFERENCES returns(id),
            position INTEGER NOT NULL,
            indicator TEXT NOT NULL,
            measure TEXT NOT NULL,
            value TEXT NOT NULL,
            status TEXT NOT NULL,
            sheet TEXT NOT NULL,
            cell TEXT NOT NULL,
            extra TEXT NOT NULL,
            PRIMARY KEY (return_id, position)
        ) WITHOUT ROWID;
        """,
    ]

    static var currentVersion: Int { migrations.count }

    /// Brings the database to `currentVersion`, each step in its own transaction. A database written
    /// by a newer annex is refused rather than misread.
    static func migrate(_ db: SQLiteConnection) throws {
        let found = try version(db)
        if found > currentVersion {
            throw ArchiveError.newerSchema(path: db.path, found: found, known: currentVersion)
        }
        guard found < currentVersion else { return }
        for target in (found + 1)...currentVersion {
            try db.writeTransaction {
                // Another process may have migrated while this one waited for the lock.
                guard try version(db) == target - 1 else { return }
                try db.execute(migrations[target - 1])
                try db.prepare("UPDATE schema_version SET version = ?").run([target])
            }
        }
    }

    /// 0 for a new, empty database.
    static func version(_ db: SQLiteConnection) throws -> Int {
        let exists = try db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
            .rows { $0.int(0) }.first ?? 0
        guard exists > 0 else { return 0 }
        return Int(try db.prepare("SELECT version FROM schema_version").rows { $0.int(0) }.first ?? 0)
    }
}
