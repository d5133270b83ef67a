import AnnexCore
import Foundation

extension Archive {
    /// What adding one file did.
    public struct AddResult: Sendable {
        public enum Outcome: String, Sendable {
            /// At least one unit's figures were stored.
            case added
            /// The same bytes were added before: nothing changed.
            case alreadyArchived
            /// Every unit's figures equal the current version: nothing changed.
            case unchanged
        }

        /// One unit's return (template, period, unit) the file touched.
        public struct UnitReturn: Hashable, Sendable {
            public var template: String
            public var period: String
            public var unit: String
            /// The file of the version this one replaced (only for `replaced`).
            public var previousFile: String?
        }

        public var file: String
        public var sha256: String
        public var outcome: Outcome
        /// Units stored for the first time.
        public var stored: [UnitReturn] = []
        /// Units whose current version this file replaced (the old version is kept).
        public var replaced: [UnitReturn] = []
        /// Units whose figures equal the current version.
        public var unchanged: [UnitReturn] = []
        /// Units whose row holds only “-”/“无” (a pre-filled copy of the layout) while the archive has
        /// figures for them: not stored.
        public var markersOnly: [UnitReturn] = []
        public var observations = 0
    }

    /// Stores the observations read from `file` in one transaction: if anything fails, nothing of the
    /// file stays. Observations are grouped by template, period and unit; a group with no filled cell
    /// is no return of that unit. A group equal to the unit's current version changes nothing; a
    /// different one replaces it and the replaced version is kept with its provenance.
    /// `read` is called only when the file's bytes are not in the archive yet, and outside the write
    /// lock, so other writers wait for the database work only.
    public func add(file: String, read: () throws -> [TableReading]) throws -> AddResult {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw AnnexError(file: file, reason: "无法打开文件")
        }
        let sha = SHA256.hex(bytes)
        let known = AddResult(file: file, sha256: sha, outcome: .alreadyArchived)
        if try holds(sha: sha, file: file) { return known }
        let readings = try read()
        do {
            return try db.retryingWhileBusy {
                try db.writeTransaction {
                    // Another process may have added the same bytes meanwhile.
                    if try holds(sha: sha, file: file) { return known }
                    return try addLocked(file: file, sha: sha, size: bytes.count, readings: readings)
                }
            }
        } catch {
            throw Self.annexError(error, archive: path, file: file, busyTimeout: busyTimeout)
        }
    }

    /// Whether a file with these bytes was added before.
    private func holds(sha: String, file: String) throws -> Bool {
        do {
            return try db.retryingWhileBusy {
                try db.prepare("SELECT count(*) FROM files WHERE sha256 = ?").rows([sha]) { $0.int(0) }.first.map { $0 > 0 } ?? false
            }
        } catch {
            throw Self.annexError(error, archive: path, file: file, busyTimeout: busyTimeout)
        }
    }

    private func addLocked(file: String, sha: String, size: Int, readings: [TableReading]) throws -> AddResult {
        var result = AddResult(file: file, sha256: sha, outcome: .unchanged)
        let now = Self.now()
        // The file is recorded even when none of its units changes: adding it again later is then a
        // no-op, whichever version is current by then.
        try db.prepare("INSERT INTO files (path, sha256, bytes, added_at) VALUES (?, ?, ?, ?)").run([file, sha, size, now])
        let fileID = db.lastInsertedRow
        var stored = false
        let current = try db.prepare("""
            SELECT r.id, r.content_sha256, r.has_figures, f.path FROM returns r JOIN files f ON f.id = r.file_id
            WHERE r.template = ? AND r.period = ? AND r.unit = ? AND r.replaced_at IS NULL
            """)
        let retire = try db.prepare("UPDATE returns SET replaced_at = ? WHERE id = ?")
        let link = try db.prepare("UPDATE returns SET replaced_by = ? WHERE id = ?")
        let insertReturn = try db.prepare("""
            INSERT INTO returns (template, period, unit, file_id, sheet, content_sha256, has_figures, added_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertObservation = try db.prepare("""
            INSERT INTO observations (return_id, position, indicator, measure, value, status, sheet, cell, extra)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)

        for group in Self.unitReturns(readings) {
            let content = Self.contentHash(group.observations)
            let hasFigures = group.observations.contains { $0.status == .value || $0.status == .invalid }
            var unitReturn = AddResult.UnitReturn(template: group.template, period: group.period, unit: group.unit)
            let existing = try current.rows([group.template, group.period, group.unit]) {
                (id: $0.int(0), content: $0.text(1), hasFigures: $0.int(2) != 0, file: $0.text(3))
            }.first
            if let existing {
                if existing.content == content {
                    result.unchanged.append(unitReturn)
                    continue
                }
                if existing.hasFigures && !hasFigures {
                    result.markersOnly.append(unitReturn)
                    continue
                }
                try retire.run([now, existing.id])
                unitReturn.previousFile = existing.file
            }
            stored = true
            try insertReturn.run([group.template, group.period, group.unit, fileID, group.sheet, content,
                                  hasFigures ? 1 : 0, now])
            let returnID = db.lastInsertedRow
            if let existing { try link.run([returnID, existing.id]) }
            for (position, observation) in group.observations.enumerated() {
                try insertObservation.run([returnID, position, observation.indicator, observation.measure,
                                           observation.value, observation.status.rawValue,
                                           observation.extra["sheet"] ?? group.sheet, observation.extra["cell"] ?? "",
                                           Self.encodeExtra(observation.extra)])
            }
            result.observations += group.observations.count
            if existing == nil { result.stored.append(unitReturn) } else { result.replaced.append(unitReturn) }
        }
        if stored { result.outcome = .added }
        return result
    }

    struct UnitGroup {
        var template: String
        var period: String
        var unit: String
        var sheet: String
        var observations: [Observation]
    }

    /// The file's observations by template, period and unit, in reading order; groups whose cells are
    /// all empty (the other units' rows of a whole table sent back) left out. A unit read twice in one
    /// file (two sheets) keeps the later sheet's figures.
    static func unitReturns(_ readings: [TableReading]) -> [UnitGroup] {
        var groups: [UnitGroup] = []
        var index: [String: Int] = [:]
        for reading in readings {
            var inSheet: [String: Int] = [:]
            for observation in reading.observations {
                let key = [observation.template, observation.period, observation.unit].joined(separator: "\u{1}")
                if let at = inSheet[key] {
                    groups[at].observations.append(observation)
                    continue
                }
                let group = UnitGroup(template: observation.template, period: observation.period, unit: observation.unit,
                                      sheet: reading.sheet, observations: [observation])
                if let earlier = index[key] {
                    groups[earlier] = group
                    inSheet[key] = earlier
                } else {
                    inSheet[key] = groups.count
                    index[key] = groups.count
                    groups.append(group)
                }
            }
        }
        return groups.filter { !$0.observations.allSatisfy { $0.status == .empty } }
    }

    /// A unit's figures, independent of where they stood: the same return saved as .xlsx and as .csv
    /// hashes the same.
    static func contentHash(_ observations: [Observation]) -> String {
        let lines = observations.map { observation in
            [observation.indicator, observation.measure, observation.extra["instance"] ?? "",
             observation.status.rawValue, observation.value].joined(separator: "\u{1}")
        }.sorted()
        return SHA256.hex(Array(lines.joined(separator: "\n").utf8))
    }

    /// Extra fields other than the provenance kept in their own columns, as a JSON object ("" if none).
    static func encodeExtra(_ extra: [String: String]) -> String {
        let kept = extra.filter { !["source", "sheet", "cell"].contains($0.key) }
        guard !kept.isEmpty,
              let data = try? JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeExtra(_ text: String) -> [String: String] {
        guard !text.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else {
            return [:]
        }
        return object
    }
}
