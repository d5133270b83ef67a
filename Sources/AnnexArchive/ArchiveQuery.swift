import AnnexCore
import Foundation

extension Archive {
    /// The current versions' observations, in the order they were added (each unit's cells in reading
    /// order), with their provenance as extra fields: `source` (the file as added), `sheet`, `cell`,
    /// `source_sha256` and `archived_at`. Nil filters match everything.
    public func observations(template: String? = nil, period: String? = nil, unit: String? = nil) throws -> [Observation] {
        var conditions = ["r.replaced_at IS NULL"]
        var values: [Any?] = []
        for (column, value) in [("r.template", template), ("r.period", period), ("r.unit", unit)] {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            values.append(value)
        }
        let sql = """
            SELECT r.template, r.period, r.unit, o.indicator, o.measure, o.value, o.status, o.sheet, o.cell, o.extra,
                   f.path, f.sha256, r.added_at
            FROM returns r JOIN observations o ON o.return_id = r.id JOIN files f ON f.id = r.file_id
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY r.template, r.period, r.id, o.position
            """
        do {
            return try db.retryingWhileBusy { try db.prepare(sql).rows(values) { row in
                var extra = Self.decodeExtra(row.text(9))
                extra["sheet"] = row.text(7)
                extra["cell"] = row.text(8)
                extra["source"] = row.text(10)
                extra["source_sha256"] = row.text(11)
                extra["archived_at"] = row.text(12)
                return Observation(template: row.text(0), period: row.text(1), unit: row.text(2), indicator: row.text(3),
                                   measure: row.text(4), value: row.text(5),
                                   status: Observation.Status(rawValue: row.text(6)) ?? .invalid, extra: extra)
            } }
        } catch {
            throw Self.annexError(error, archive: path, busyTimeout: busyTimeout)
        }
    }

    /// Last month's figures for the month-on-month rules of `readings`, for `Checker.check(_:priorMonths:)`.
    public func priorMonths(for readings: [TableReading]) throws -> PriorMonths {
        try PriorMonths.load(for: readings) { template, period in
            try observations(template: template, period: period)
        }
    }

    /// What the archive holds: per template and period, the units and files of the current versions
    /// and how many versions were replaced; and every file added.
    public struct Listing: Sendable {
        public struct Period: Sendable {
            public var template: String
            public var period: String
            public var units: [String]
            public var files: [String]
            public var replacedVersions: Int
        }

        public struct File: Sendable {
            public var path: String
            public var sha256: String
            public var bytes: Int
            public var addedAt: String
        }

        public var periods: [Period]
        public var files: [File]
    }

    public func listing() throws -> Listing {
        do {
            return try db.retryingWhileBusy(readListing)
        } catch {
            throw Self.annexError(error, archive: path, busyTimeout: busyTimeout)
        }
    }

    private func readListing() throws -> Listing {
        var periods: [Listing.Period] = []
        let rows = try db.prepare("""
            SELECT r.template, r.period, r.unit, f.path, r.replaced_at IS NOT NULL
            FROM returns r JOIN files f ON f.id = r.file_id ORDER BY r.template, r.period, r.id
            """).rows { ($0.text(0), $0.text(1), $0.text(2), $0.text(3), $0.int(4) != 0) }
        for (template, period, unit, file, replaced) in rows {
            if periods.last?.template != template || periods.last?.period != period {
                periods.append(.init(template: template, period: period, units: [], files: [], replacedVersions: 0))
            }
            if replaced {
                periods[periods.count - 1].replacedVersions += 1
                continue
            }
            periods[periods.count - 1].units.append(unit)
            if !periods[periods.count - 1].files.contains(file) { periods[periods.count - 1].files.append(file) }
        }
        let files = try db.prepare("SELECT path, sha256, bytes, added_at FROM files ORDER BY id").rows {
            Listing.File(path: $0.text(0), sha256: $0.text(1), bytes: Int($0.int(2)), addedAt: $0.text(3))
        }
        return Listing(periods: periods, files: files)
    }
}
