import AnnexCore
import AnnexTestSupport
import CSQLite
import Foundation
import XCTest
@testable import AnnexArchive

/// The archive on the sample returns (samples/returns): versions, provenance, one transaction per
/// file, the schema version, and a second process holding the lock.
final class ArchiveTests: XCTestCase {
    static let samples = TestSupport.packageRoot.appendingPathComponent("samples")

    var folder: URL!
    var database: String { folder.appendingPathComponent("archive.db").path }

    override func setUpWithError() throws {
        folder = try TestSupport.temporaryDirectory("annex-archive")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func reader() throws -> AnnexReader {
        AnnexReader(library: try TemplateLibrary.load(directories: [TestSupport.packageRoot.appendingPathComponent("templates").path]))
    }

    func sample(_ path: String) -> String { Self.samples.appendingPathComponent(path).path }

    @discardableResult
    func add(_ archive: Archive, _ path: String) throws -> Archive.AddResult {
        try archive.add(file: sample(path)) { try reader().read(file: sample(path)) }
    }

    func value(_ observations: [Observation], _ indicator: String, _ measure: String) -> String? {
        observations.first { $0.indicator == indicator && $0.measure == measure }?.value
    }

    func testAddingTheSameFileAgainChangesNothing() throws {
        let archive = try Archive(path: database)
        let first = try add(archive, "returns/2023-07/南昌县-就业培训一.xlsx")
        XCTAssertEqual(first.outcome, .added)
        XCTAssertEqual(first.stored.map(\.unit), ["南昌县"])
        XCTAssertEqual(first.observations, 19)
        let before = try archive.observations()

        // Known bytes are not even read again.
        let again = try archive.add(file: sample("returns/2023-07/南昌县-就业培训一.xlsx")) {
            XCTFail("a file already archived was read again")
            return []
        }
        XCTAssertEqual(again.outcome, .alreadyArchived)
        XCTAssertEqual(try archive.observations(), before)
        XCTAssertEqual(try archive.listing().files.count, 1)

        // The same return saved as CSV (other bytes, same figures): nothing changes either.
        let aXLSX = try add(archive, "returns/2023-07/安义县-社会保险二.xlsx")
        let aCSV = try add(archive, "returns/2023-07/安义县-社会保险二.csv")
        XCTAssertEqual(aXLSX.outcome, .added)
        XCTAssertEqual(aCSV.outcome, .unchanged)
        XCTAssertEqual(aCSV.unchanged.map(\.unit), ["安义县"])
        XCTAssertEqual(try archive.listing().files.count, 3)
        XCTAssertEqual(try archive.listing().periods.map(\.files.count), [1, 1])

        // A file equal to an older version, added again after another version became current: no change.
        try add(archive, "returns/2023-07/青山湖区-就业培训一.xlsx")
        try add(archive, "returns/2023-07/青山湖区-就业培训一（更正）.xlsx")
        let current = try archive.observations(unit: "青山湖区")
        XCTAssertEqual(try add(archive, "returns/2023-07/青山湖区-就业培训一.xlsx").outcome, .alreadyArchived)
        XCTAssertEqual(try archive.observations(unit: "青山湖区"), current)
    }

    func testChangedReturnReplacesTheCurrentVersionAndKeepsTheReplacedOne() throws {
        let archive = try Archive(path: database)
        try add(archive, "returns/2023-07/青山湖区-就业培训一.xlsx")
        XCTAssertEqual(value(try archive.observations(unit: "青山湖区"), "城镇人数新增就业", "累计完成"), "2850")

        let correction = try add(archive, "returns/2023-07/青山湖区-就业培训一（更正）.xlsx")
        XCTAssertEqual(correction.replaced.map(\.unit), ["青山湖区"])
        XCTAssertEqual(correction.replaced.first?.previousFile, sample("returns/2023-07/青山湖区-就业培训一.xlsx"))
        let current = try archive.observations(unit: "青山湖区")
        XCTAssertEqual(current.count, 19)
        XCTAssertEqual(value(current, "城镇人数新增就业", "累计完成"), "2805")
        XCTAssertEqual(Set(current.compactMap { $0.extra["source"] }), [sample("returns/2023-07/青山湖区-就业培训一（更正）.xlsx")])

        // The replaced version stays, with its provenance, linked to the one that replaced it.
        let kept = try archive.db.prepare("""
            SELECT o.value, o.cell, f.path, r.replaced_at IS NOT NULL, r.replaced_by IS NOT NULL
            FROM returns r JOIN observations o ON o.return_id = r.id JOIN files f ON f.id = r.file_id
            WHERE r.unit = '青山湖区' AND o.indicator = '城镇人数新增就业' AND o.measure = '累计完成' ORDER BY r.id
            """).rows { [$0.text(0), $0.text(1), $0.text(2), String($0.int(3)), String($0.int(4))] }
        XCTAssertEqual(kept, [["2850", "C6", sample("returns/2023-07/青山湖区-就业培训一.xlsx"), "1", "1"],
                              ["2805", "C6", sample("returns/2023-07/青山湖区-就业培训一（更正）.xlsx"), "0", "0"]])
        XCTAssertEqual(try archive.listing().periods.first?.replacedVersions, 1)
    }

    func testEachObservationKeepsFileSheetCellHashAndTime() throws {
        let archive = try Archive(path: database)
        try add(archive, "returns/2023-07/南昌县-就业培训一.xlsx")
        let observation = try XCTUnwrap(try archive.observations(template: "employment-training-1", period: "2023-07", unit: "南昌县").first)
        XCTAssertEqual(observation.indicator, "城镇人数新增就业")
        XCTAssertEqual(observation.measure, "本月完成")
        XCTAssertEqual(observation.value, "546")
        XCTAssertEqual(observation.extra["source"], sample("returns/2023-07/南昌县-就业培训一.xlsx"))
        XCTAssertEqual(observation.extra["sheet"], "就业培训一")
        XCTAssertEqual(observation.extra["cell"], "B6")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: sample("returns/2023-07/南昌县-就业培训一.xlsx")))
        XCTAssertEqual(observation.extra["source_sha256"], SHA256.hex(bytes))
        let sha256sum = try TestSupport.run("sha256sum", [sample("returns/2023-07/南昌县-就业培训一.xlsx")])
        XCTAssertEqual(observation.extra["source_sha256"], String(sha256sum.stdout.prefix(64)))
        XCTAssertNotNil(observation.extra["archived_at"].flatMap { ISO8601DateFormatter().date(from: $0) })
        XCTAssertEqual(try archive.observations(period: "2023-06"), [])
    }

    func testRowOfOnlyDashesInAWholeTableDoesNotReplaceAUnitsFigures() throws {
        let archive = try Archive(path: database)
        try add(archive, "returns/2023-07/市本级-就业培训一.xlsx")
        let before = try archive.observations(unit: "市本级")
        // 新建区 sends the whole table back: its own row filled, 市本级's with the blank layout's “-”.
        let whole = try add(archive, "returns/2023-07/新建区-就业培训一.xlsx")
        XCTAssertEqual(whole.stored.map(\.unit), ["新建区"])
        XCTAssertEqual(whole.markersOnly.map(\.unit), ["市本级"])
        XCTAssertEqual(try archive.observations(unit: "市本级"), before)
        XCTAssertEqual(try archive.listing().periods.first?.units, ["市本级", "新建区"])
    }

    func testFileFailingHalfwayLeavesNothingOfIt() throws {
        let archive = try Archive(path: database)
        try add(archive, "returns/2023-07/南昌县-就业培训一.xlsx")
        // The city's annex: 全市 and 13 units; the insert of 青山湖区's first cell (the 12th row) fails.
        try archive.db.execute("""
            CREATE TEMP TRIGGER fail_halfway BEFORE INSERT ON observations
            WHEN (SELECT unit FROM returns WHERE id = NEW.return_id) = '青山湖区'
            BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;
            """)
        let files = try archive.listing().files
        let before = try archive.observations()
        XCTAssertThrowsError(try add(archive, "annexes/2023-07-就业培训一.xlsx")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("2023-07-就业培训一.xlsx 的数据一条也没有存入"), message)
            XCTAssertTrue(message.contains("disk full (simulated)"), message)
        }
        XCTAssertEqual(try archive.observations(), before)
        XCTAssertEqual(try archive.listing().files.map(\.path), files.map(\.path))
        let returns = try archive.db.prepare("SELECT count(*) FROM returns").rows { $0.int(0) }
        XCTAssertEqual(returns, [1])
    }

    func testSchemaIsVersionedAndANewerOneIsRefused() throws {
        XCTAssertEqual(try Archive(path: database).schemaVersion, ArchiveSchema.currentVersion)
        // Opening again migrates nothing and keeps the data.
        let archive = try Archive(path: database)
        try add(archive, "returns/2023-07/南昌县-就业培训一.xlsx")
        XCTAssertEqual(try Archive(path: database).observations().count, 19)
        XCTAssertEqual(try archive.db.prepare("PRAGMA journal_mode").rows { $0.text(0) }, ["wal"])

        try archive.db.execute("UPDATE schema_version SET version = \(ArchiveSchema.currentVersion + 1)")
        XCTAssertThrowsError(try Archive(path: database)) { error in
            XCTAssertTrue("\(error)".contains("结构版本是 \(ArchiveSchema.currentVersion + 1)"), "\(error)")
        }
    }

    func testLockHeldByAnotherProcessGivesAClearMessageWithinTheTimeout() throws {
        let archive = try Archive(path: database, busyTimeout: 0.5)
        try add(archive, "returns/2023-07/南昌县-就业培训一.xlsx")
        let holder = try LockHolder(database: database, seconds: 20)
        defer { holder.stop() }

        let started = Date()
        XCTAssertThrowsError(try add(archive, "returns/2023-07/新建区-就业培训一.xlsx")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("档案库正被另一个程序使用"), message)
            XCTAssertTrue(message.contains("等待 0.5 秒后仍未释放"), message)
            XCTAssertTrue(message.contains("新建区-就业培训一.xlsx 的数据一条也没有存入"), message)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        // Reading goes on while the other process writes (WAL).
        XCTAssertEqual(try archive.observations().count, 19)
        holder.stop()
        XCTAssertEqual(try add(archive, "returns/2023-07/新建区-就业培训一.xlsx").outcome, .added)
    }

    /// SQLite answers BUSY at once, without its busy handler, where waiting could deadlock: here a
    /// transaction that read an older snapshot of a WAL database and then writes (SQLITE_BUSY_SNAPSHOT).
    /// Two `archive add` opening a brand-new archive together met such a case about once in 20 runs.
    /// The retry runs the whole transaction again, which then passes.
    func testBusyAnsweredWithoutWaitingIsRetried() throws {
        _ = try Archive(path: database)
        let mine = try SQLiteConnection(path: database, busyTimeout: 2)
        let other = try SQLiteConnection(path: database, busyTimeout: 2)
        try mine.execute("CREATE TABLE t (x INTEGER)")
        var failures: [Int32] = []
        var attempts = 0
        try mine.retryingWhileBusy {
            attempts += 1
            try mine.execute("BEGIN")
            do {
                _ = try mine.prepare("SELECT count(*) FROM t").rows { $0.int(0) }
                if attempts == 1 { try other.execute("INSERT INTO t VALUES (1)") }
                try mine.execute("INSERT INTO t VALUES (2)")
                try mine.execute("COMMIT")
            } catch let error as SQLiteError {
                failures.append(error.code)
                try? mine.execute("ROLLBACK")
                throw error
            }
        }
        XCTAssertEqual(failures, [517])  // SQLITE_BUSY_SNAPSHOT
        XCTAssertEqual(attempts, 2)
        XCTAssertEqual(try mine.prepare("SELECT x FROM t ORDER BY x").rows { $0.int(0) }, [1, 2])
    }

    func testRetryGivesUpAfterTheBusyTimeoutAndNeverRetriesOtherErrors() throws {
        let connection = try SQLiteConnection(path: database, busyTimeout: 0.3)
        var attempts = 0
        let started = Date()
        XCTAssertThrowsError(try connection.retryingWhileBusy { () throws -> Void in
            attempts += 1
            throw SQLiteError(code: SQLITE_BUSY, message: "database is locked")
        }) { XCTAssertEqual(($0 as? SQLiteError)?.code, SQLITE_BUSY) }
        let waited = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(waited, 0.3)
        XCTAssertLessThan(waited, 2)
        XCTAssertGreaterThan(attempts, 2)

        attempts = 0
        XCTAssertThrowsError(try connection.retryingWhileBusy { () throws -> Void in
            attempts += 1
            throw SQLiteError(code: SQLITE_CORRUPT, message: "database disk image is malformed")
        })
        XCTAssertEqual(attempts, 1)
    }
}

/// Another process (python3's sqlite3) holding the archive's write lock until stopped.
final class LockHolder {
    let process = Process()
    private let input = Pipe()

    init(database: String, seconds: Int) throws {
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            sys.stdin.read()
            """
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["timeout", "\(seconds)", "python3", "-c", script, database]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Wait until it holds the lock.
        var said = Data()
        while !said.contains(UInt8(ascii: "\n")) {
            let more = output.fileHandleForReading.availableData
            if more.isEmpty { break }
            said += more
        }
        XCTAssertEqual(String(decoding: said, as: UTF8.self), "locked\n")
    }

    func stop() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
