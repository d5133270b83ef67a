import Foundation

/// `annex merge`: the districts' returns of one layout → the city's official annex.
///
/// - Each sheet in the layout is a return. A return may be one district's row, or the whole table
///   with only its own row filled, or a full table: every row with a figure (or a marker) is a
///   contribution of that unit; a row whose cells are all empty contributes nothing.
/// - A unit given by two returns identically is fine (noted). A return marked as a correction (更正,
///   修正, 修改, 修订, 更新 in its file name or title) replaces the same unit's unmarked returns
///   (noted, naming both files). Otherwise two different versions are a conflict (two corrections of
///   one unit too) unless `prefer` names a file of exactly one version: both files and the differing
///   cells are reported, and the unit's row stays **empty** in the annex and out of the totals —
///   neither return silently wins, and the annex is never printed with a figure the city has not
///   chosen (SPEC.md, "The monthly cycle").
/// - A row holding only markers (“-”, “无”), as a pre-filled copy of the layout has them in other
///   units' rows, yields to a row of the same unit with figures (noted when they differ).
/// - Rows come out in the template's order. Totals (全市) and ratios (占全年任务) a return does not
///   state are computed (`TableRenderer`'s `compute`: exact sums, ratio = numerator ÷ denominator ×
///   scale rounded half up); those a return states are kept and checked by the rules of `annex check`
///   on the merged table. A total that cannot be computed (a non-additive column, or a ratio without
///   a 目标任务 column in the layout) is left empty and reported.
/// - Returns for another period or in another layout are not used and are reported; so is every unit
///   of the layout without a return.
public struct Merger: Sendable {
    public var reader: AnnexReader

    public init(reader: AnnexReader) {
        self.reader = reader
    }

    /// Merges `files` (each an .xlsx or .csv path, in the order to report them) into `templateID`'s
    /// layout. `period` (YYYY-MM / YYYY) is the period of the annex; without it, the period most
    /// returns state. `output` names the merged table in findings. Throws only when the command
    /// cannot be carried out at all (unknown or unsuitable template, returns of several periods
    /// and none asked for, no period anywhere). Otherwise `result.written` says whether there is an annex.
    /// `prefer`: files (paths or file names) that win a conflict between versions of a unit.
    /// `targets`: annual targets for the 占全年任务 of columns without a 目标任务 column (`--targets`);
    /// targets files that disagree on one the layout uses are a warning (the first given is used).
    /// `progress` is told each file read (whether it held a usable return).
    public func merge(files: [String], templateID: String, period requested: String?, output: String,
                      prefer: [String] = [], targets: AnnualTargets? = nil, progress: ProgressMeter? = nil) throws -> MergeResult {
        let library = reader.library
        let template = try library.template(templateID)
        guard template.kind == .table, let order = template.rows?.order, !order.isEmpty else {
            throw AnnexError(file: template.id, reason: "模板 \(template.id)（\(template.name)）没有固定的单位行，不能按单位合并报表")
        }
        var result = MergeResult(template: template, period: requested ?? "")
        for unit in targets?.unknownUnits(for: template) ?? [] {
            result.problems.append(.init(kind: .unknownTargetUnit, severity: .info, unit: unit,
                message: AnnualTargets.unknownUnitMessage(unit, rowsName: "\(template.name)的单位行", rows: order)))
        }
        for disagreement in targets?.disagreements(for: template) ?? [] {
            let files = [disagreement.used.source, disagreement.ignored.source]
            result.problems.append(.init(kind: .conflictingTargets, severity: .warning, unit: disagreement.unit,
                                         files: files[0] == files[1] ? [files[0]] : files, message: disagreement.message))
        }

        // 1. Every sheet: in this layout (a return), in another, or unusable.
        var candidates: [Candidate] = []
        for file in files {
            let unusable = result.problems.count
            candidates += examine(file: file, template: template, result: &result)
            progress?.advance(failed: result.problems[unusable...].contains { $0.kind == .unreadableReturn && $0.severity == .error })
        }
        progress?.finish()

        guard !candidates.isEmpty else {
            result.problems.append(.init(kind: .missingReturn, severity: .error,
                message: "没有一份\(template.name)（\(template.id)）格式的报表可以合并，未写出附件。"))
            return result
        }

        // 2. The period of the annex.
        let stated = candidates.compactMap(\.statedPeriod)
        let period: String
        if let requested {
            period = requested
        } else {
            var counts: [String: Int] = [:]
            for value in stated { counts[value, default: 0] += 1 }
            let ranked = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            guard let top = ranked.first else {
                throw AnnexError(file: candidates[0].file, location: "工作表“\(candidates[0].sheet.name)”",
                                 reason: "报表标题中都没有统计期（如“2023年7月”），请用 --period 指定")
            }
            if ranked.count > 1 && ranked[1].value == top.value {
                let list = ranked.map { "\($0.key)（\($0.value) 份）" }.joined(separator: "、")
                throw AnnexError(file: candidates[0].file,
                                 reason: "报表的统计期不一致：\(list)，无法确定合并哪一期，请用 --period 指定")
            }
            period = top.key
        }
        result.period = period
        for other in targets?.otherYears(than: period) ?? [] {
            result.problems.append(.init(kind: .targetsOfAnotherYear, severity: .warning, files: [other.source],
                message: AnnualTargets.otherYearMessage(source: other.source, years: other.years, period: period)))
        }

        // 3. Read each return of the period into unit rows.
        var contributions: [Contribution] = []
        for candidate in candidates {
            let name = candidate.label
            if let stated = candidate.statedPeriod, stated != period {
                result.returns.append(.init(file: candidate.file, sheet: candidate.sheet.name, template: template.id,
                                            period: stated, status: .otherPeriod))
                result.problems.append(.init(kind: .otherPeriod, severity: .warning, files: [name],
                                             message: "\(name) 是 \(stated) 的报表，不是 \(period) 的，未合并。"))
                continue
            }
            let reading: TableReading
            do {
                reading = try TableReader.read(candidate.grid, file: candidate.file, template: template, match: candidate.match,
                                               library: library, options: .init(period: period))
            } catch {
                let error = AnnexReader.annexError(error, file: candidate.file)
                result.returns.append(.init(file: candidate.file, sheet: candidate.sheet.name, template: template.id,
                                            period: candidate.statedPeriod, status: .unreadable))
                result.problems.append(.init(kind: .unreadableReturn, severity: .error, files: [name],
                                             message: "\(name) 无法读取：\(error.reason(inSheet: candidate.sheet.name))"))
                continue
            }
            if candidate.statedPeriod == nil {
                result.problems.append(.init(kind: .assumedPeriod, severity: .info, files: [name],
                                             message: "\(name) 的标题中没有统计期，按 \(period) 合并。"))
            }
            let rows = rows(of: reading, name: name, order: order, result: &result)
                .map { row in var row = row; row.isCorrection = candidate.isCorrection; return row }
            result.returns.append(.init(file: candidate.file, sheet: candidate.sheet.name, template: template.id,
                                        period: candidate.statedPeriod ?? period,
                                        status: rows.isEmpty ? .noData : .used, units: rows.map(\.unit)))
            contributions += rows
        }

        // 4. One version per unit.
        let totals = Set(template.rows?.totals ?? [])
        var chosen: [String: Contribution] = [:]
        var conflicted: Set<String> = []
        /// Returns whose version of a unit lost to a correction or to `prefer`.
        var superseded: Set<String> = []
        for unit in order {
            let given = contributions.filter { $0.unit == unit }
            let withFigures = given.filter { !$0.markersOnly }
            let group = withFigures.isEmpty ? given : withFigures
            guard let first = group.first else {
                if !totals.contains(unit) {
                    result.problems.append(.init(kind: .missingReturn, severity: .error, unit: unit,
                        message: "\(unit) 没有报表（\(template.name) 中这一行为空\(totals.isEmpty ? "" : "，\(totals.sorted().joined(separator: "、"))合计未包括该单位")），请催报后重新合并。"))
                }
                continue
            }
            var versions: [[Contribution]] = []
            for contribution in group {
                if let index = versions.firstIndex(where: { $0[0].content == contribution.content }) {
                    versions[index].append(contribution)
                } else {
                    versions.append([contribution])
                }
            }
            if versions.count > 1 {
                guard let settled = settle(unit: unit, versions: versions, prefer: prefer, result: &result) else {
                    conflicted.insert(unit)
                    result.problems.append(conflict(unit: unit, versions: versions, template: template))
                    continue
                }
                chosen[unit] = settled[0]
                superseded.formUnion(versions.joined().filter { $0.content != settled[0].content }.map(\.returnKey))
                continue
            }
            chosen[unit] = first
            if group.count > 1 {
                result.problems.append(.init(kind: .identicalReturns, severity: .info, unit: unit,
                                             files: group.map(\.label),
                                             message: "\(unit) 的数据在 \(group.map(\.label).joined(separator: "、")) 中相同，合并一次。"))
            }
            for weak in given where weak.markersOnly && !withFigures.isEmpty && weak.content != first.content {
                result.problems.append(.init(kind: .ignoredMarkerRow, severity: .info, unit: unit, files: [weak.label],
                                             message: "\(weak.label) 中 \(unit) 的行只有“-”“无”等标记，与 \(first.label) 的数据不同，已按后者合并。"))
            }
        }
        for index in result.returns.indices where result.returns[index].units.contains(where: conflicted.contains) {
            result.returns[index].status = .conflict
        }
        for index in result.returns.indices where result.returns[index].status == .used {
            let units = result.returns[index].units
            let file = result.returns[index].file, sheet = result.returns[index].sheet
            let kept = units.contains { chosen[$0].map { $0.file == file && $0.sheet == sheet } ?? false }
            if !kept && !units.isEmpty {
                result.returns[index].status = superseded.contains(Contribution.returnKey(file: file, sheet: sheet))
                    ? .superseded : .duplicate
            }
        }
        guard !chosen.isEmpty else {
            result.problems.append(.init(kind: .missingReturn, severity: .error,
                                         message: "没有任何单位的数据可以合并，未写出附件。"))
            return result
        }

        // 5. The annex: rows in order, missing totals and ratios computed, then checked.
        var observations: [Observation] = []
        for unit in order {
            guard let contribution = chosen[unit] else { continue }
            for var observation in contribution.observations {
                observation.period = period
                for key in ["source", "sheet", "cell"] { observation.extra.removeValue(forKey: key) }
                observations.append(observation)
            }
        }
        let sheet = try TableRenderer.render(observations, template: template, options: .init(compute: true, targets: targets))
        let merged = try TableReader.read(sheet, file: output, template: template, library: library,
                                          options: .init(period: period))
        result.sheet = sheet
        result.merged = merged
        result.problems += uncomputed(merged, template: template, chosen: chosen)
        result.findings = Checker().check([merged], targets: targets)
        return result
    }

    // MARK: - Steps

    /// A sheet in the layout being merged, its header found, not read yet (the period decides).
    struct Candidate {
        var file: String
        var sheet: Sheet
        var grid: GridIndex
        var match: HeaderMatch
        var statedPeriod: String?
        var sheetCount: Int
        /// The file name or the title marks the return as a correction.
        var isCorrection: Bool

        var label: String { sheetCount > 1 ? "\(file)（工作表“\(sheet.name)”）" : file }
    }

    /// One unit's row in one return.
    struct Contribution {
        var file: String
        var sheet: String
        var label: String
        var unit: String
        var keyCell: CellReference
        var observations: [Observation]
        /// No figure and no invalid text: only “-”/“无” markers and blanks.
        var markersOnly: Bool
        /// Column → (status, value): what is compared between returns.
        var content: [String: String]
        var isCorrection = false

        var returnKey: String { Self.returnKey(file: file, sheet: sheet) }
        static func returnKey(file: String, sheet: String) -> String { file + "\u{0}" + sheet }
    }

    private func examine(file: String, template: Template, result: inout MergeResult) -> [Candidate] {
        let source: SheetSource
        do {
            source = try Spreadsheet.open(path: file, csv: reader.csv, zipLimits: reader.zipLimits)
        } catch {
            let error = AnnexReader.annexError(error, file: file)
            result.returns.append(.init(file: file, sheet: "", status: .unreadable))
            result.problems.append(.init(kind: .unreadableReturn, severity: .error, files: [file],
                                         message: "\(file) 无法读取：\(error.reason(inSheet: ""))"))
            return []
        }
        var candidates: [Candidate] = []
        var others: [(sheet: String, template: Template?, reason: String?)] = []
        let count = source.sheetNames.count
        for index in source.sheetNames.indices {
            let name = source.sheetNames[index]
            do {
                let sheet = try reader.sheetToRecognize(source, at: index)
                if sheet.cells.isEmpty { continue }
                let grid = GridIndex(sheet)
                let recognized = reader.recognize(sheet)
                if let (best, match) = recognized, best.id == template.id {
                    let period = try? TableReader.findPeriod(grid, template: template, match: match, options: .init(), file: file)
                    candidates.append(Candidate(file: file, sheet: sheet, grid: grid, match: match, statedPeriod: period,
                                                sheetCount: count,
                                                isCorrection: Self.marksCorrection(file: file, sheet: sheet, headerTop: match.origin.row)))
                } else if let (best, _) = recognized {
                    others.append((name, best, nil))
                } else if let (form, _) = reader.recognizeForm(grid) {
                    others.append((name, form, nil))
                } else if let match = HeaderMatch.find(template, in: grid), match.score > 0 {
                    others.append((name, nil, TableReader.headerError(sheet: sheet, file: file, template: template, grid: grid)
                        .reason(inSheet: name)))
                } else {
                    others.append((name, nil, reader.unrecognized(sheet, grid: grid, file: file).reason(inSheet: name)))
                }
            } catch {
                others.append((name, nil, AnnexReader.annexError(error, file: file).reason(inSheet: name)))
            }
        }
        // Sheets in other layouts next to a return are other tables of the same workbook: noted only.
        let alone = candidates.isEmpty
        for other in others {
            let label = count > 1 ? "\(file)（工作表“\(other.sheet)”）" : file
            if let layout = other.template {
                result.returns.append(.init(file: file, sheet: other.sheet, template: layout.id, status: .otherLayout))
                // Info: a folder of returns holds every annex's; a district that sent the wrong layout
                // shows up as a missing return.
                result.problems.append(.init(kind: .otherLayout, severity: .info, files: [label],
                    message: "\(label) 是\(layout.name)（\(layout.id)）格式，不是\(template.name)（\(template.id)），未合并。"))
            } else {
                result.returns.append(.init(file: file, sheet: other.sheet, status: .unreadable))
                result.problems.append(.init(kind: .unreadableReturn, severity: alone ? .error : .info, files: [label],
                                             message: "\(label) 无法使用：\(other.reason ?? "")"))
            }
        }
        if alone && others.isEmpty {
            result.returns.append(.init(file: file, sheet: "", status: .unreadable))
            result.problems.append(.init(kind: .unreadableReturn, severity: .error, files: [file],
                                         message: "\(file) 中没有任何表格（工作表都是空的）。"))
        }
        return candidates
    }

    /// The unit rows a return contributes: every row with something in it, unknown units reported.
    private func rows(of reading: TableReading, name: String, order: [String], result: inout MergeResult) -> [Contribution] {
        var byRow: [Int: [Observation]] = [:]
        for observation in reading.observations {
            guard let cell = observation.extra["cell"].flatMap({ CellReference($0) }) else { continue }
            byRow[cell.row, default: []].append(observation)
        }
        let inOrder = Set(order)
        var rows: [Contribution] = []
        for key in reading.rows {
            let observations = byRow[key.cell.row] ?? []
            if observations.allSatisfy({ $0.status == .empty }) { continue }
            switch key.resolution {
            case .unknown(let written)?:
                result.problems.append(.init(kind: .unknownUnit, severity: .error, unit: written, files: [name],
                    message: "\(name) 第 \(key.cell.row + 1) 行的单位“\(key.written)”不在单位名录中，这一行未合并；请改为规范名称。"))
                continue
            case .alias(let canonical, let written)?:
                result.problems.append(.init(kind: .alias, severity: .info, unit: canonical, files: [name],
                    message: "\(name) 中的“\(written)”是“\(canonical)”的别称或旧称，按\(canonical)合并。"))
            default:
                break
            }
            guard inOrder.contains(key.unit) else {
                result.problems.append(.init(kind: .unknownUnit, severity: .error, unit: key.unit, files: [name],
                    message: "\(name) 第 \(key.cell.row + 1) 行的单位“\(key.unit)”在\(reading.template.name)中没有对应的行，未合并。"))
                continue
            }
            var content: [String: String] = [:]
            for observation in observations {
                content[observation.indicator + " / " + observation.measure] = Self.shown(observation)
            }
            let markersOnly = !observations.contains { $0.status == .value || $0.status == .invalid }
            rows.append(Contribution(file: reading.file, sheet: reading.sheet, label: name, unit: key.unit,
                                     keyCell: key.cell, observations: observations, markersOnly: markersOnly,
                                     content: content))
        }
        return rows
    }

    /// The version of a unit that wins without a person's choice, or nil (a conflict): the one
    /// version given by corrections when the others are unmarked, else the one version holding a file
    /// that `prefer` names. Says which file replaced which (info).
    private func settle(unit: String, versions: [[Contribution]], prefer: [String],
                        result: inout MergeResult) -> [Contribution]? {
        let corrected = versions.filter { $0.contains(where: \.isCorrection) }
        if corrected.count == 1, let winner = corrected.first {
            let replaced = versions.joined().filter { $0.content != winner[0].content }.map(\.label)
            result.problems.append(.init(kind: .correction, severity: .info, unit: unit,
                                         files: winner.map(\.label) + replaced,
                                         message: "\(unit)：更正报表 \(winner.map(\.label).joined(separator: "、")) 替代了 \(replaced.joined(separator: "、"))。"))
            return winner
        }
        let preferred = versions.filter { version in version.contains { Self.named($0.file, by: prefer) } }
        if preferred.count == 1, let winner = preferred.first {
            let others = versions.joined().filter { $0.content != winner[0].content }.map(\.label)
            result.problems.append(.init(kind: .preferred, severity: .info, unit: unit,
                                         files: winner.map(\.label) + others,
                                         message: "\(unit)：按 --prefer 采用 \(winner.map(\.label).joined(separator: "、"))，未采用 \(others.joined(separator: "、"))。"))
            return winner
        }
        return nil
    }

    /// Whether `prefer` names `file`: its path as given, or its file name.
    static func named(_ file: String, by prefer: [String]) -> Bool {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        return prefer.contains { $0 == file || $0 == name }
    }

    /// The words by which a district marks a resent return (SPEC.md, "The monthly cycle").
    static let correctionWords = ["更正", "修正", "修改", "修订", "更新"]

    /// Whether the file name (not its folders) or a title line above the header says “更正” etc.
    static func marksCorrection(file: String, sheet: Sheet, headerTop: Int) -> Bool {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        if correctionWords.contains(where: name.contains) { return true }
        return sheet.cells.contains { cell in
            guard cell.reference.row < headerTop, case .string(let text) = cell.value else { return false }
            return correctionWords.contains(where: text.contains)
        }
    }

    private func conflict(unit: String, versions: [[Contribution]], template: Template) -> MergeResult.Problem {
        var differences: [MergeResult.Difference] = []
        for column in template.valueColumns {
            let observed = versions.map { version in
                version[0].observations.first {
                    $0.measure == column.measure && $0.indicator == TableReader.fill(column.indicator, period: $0.period)
                }
            }
            let shown = observed.map { $0.map(Self.shown) ?? "" }
            guard Set(shown).count > 1 else { continue }
            differences.append(.init(
                indicator: column.indicator, measure: column.measure,
                values: zip(versions, observed).map { version, observation in
                    .init(file: version[0].label, cell: observation?.extra["cell"] ?? "", value: observation.map(Self.shown) ?? "")
                }))
        }
        let files = versions.flatMap { $0.map(\.label) }
        let sample = differences.prefix(3).map { difference in
            let label = difference.measure.isEmpty ? difference.indicator : "\(difference.indicator) \(difference.measure)"
            return label + " " + difference.values.map { "\($0.value.isEmpty ? "（空）" : $0.value)（\($0.file) \($0.cell)）" }
                .joined(separator: " ≠ ")
        }.joined(separator: "；")
        let more = differences.count > 3 ? "等 \(differences.count) 处" : ""
        return .init(kind: .conflictingReturns, severity: .error, unit: unit, files: files, differences: differences,
                     message: "\(unit) 有 \(versions.count) 份不同的报表：\(files.joined(separator: "、"))；\(sample)\(more)。"
                        + "附件中该单位的行为空、合计未包括该单位；请核实后用 --prefer 指定采用哪一份，或只保留正确的一份再合并。")
    }

    /// Totals rows left empty where the units have figures: a non-additive column, or a ratio the
    /// layout gives no denominator for. One warning per totals row, naming the columns.
    private func uncomputed(_ merged: TableReading, template: Template, chosen: [String: Contribution]) -> [MergeResult.Problem] {
        let totals = template.rows?.totals ?? []
        var problems: [MergeResult.Problem] = []
        let table = merged.observations
        for total in totals where chosen[total] == nil {
            var columns: [String] = []
            var cells: [String] = []
            for observation in table where observation.unit == total && observation.status == .empty {
                let filledBelow = table.contains {
                    $0.unit != total && !totals.contains($0.unit) && $0.indicator == observation.indicator
                        && $0.measure == observation.measure && $0.status == .value
                }
                guard filledBelow else { continue }
                columns.append(observation.measure.isEmpty ? observation.indicator : "\(observation.indicator) \(observation.measure)")
                cells.append(observation.extra["cell"] ?? "")
            }
            guard !columns.isEmpty else { continue }
            problems.append(.init(kind: .notComputed, severity: .warning, unit: total, cells: cells,
                message: "\(total)的 \(columns.joined(separator: "、")) 无法由各单位的数据算出（不可相加的比率，或本表没有目标任务列），"
                    + "已留空；请手工填写，或在一份报表中给出\(total)行；缺目标任务的可用 --targets 给出。"))
        }
        return problems
    }

    /// A cell as reports show it: the value, `-`, `无`, or empty.
    static func shown(_ observation: Observation) -> String {
        switch observation.status {
        case .value, .invalid: observation.value
        case .notAssigned: "-"
        case .notCarriedOut: "无"
        case .empty: ""
        }
    }
}

/// What `Merger.merge` found and made.
public struct MergeResult: Sendable {
    public enum ReturnStatus: String, Sendable {
        /// At least one of its unit rows is in the annex.
        case used
        /// Every unit row it gives was taken from another return (the same figures, or only
        /// markers where another return has the unit's figures).
        case duplicate
        /// One of its units differs from another return's, and neither was chosen.
        case conflict
        /// Every unit row it gives lost to a correction or to `--prefer`.
        case superseded
        /// In the layout, but every row is empty.
        case noData = "no-data"
        case otherPeriod = "other-period"
        case otherLayout = "other-layout"
        case unreadable
    }

    public struct Return: Sendable {
        public var file: String
        public var sheet: String
        /// The layout recognised, if any.
        public var template: String?
        /// The period its title states (or the annex's, when it states none).
        public var period: String?
        public var status: ReturnStatus
        /// The units whose rows it gives.
        public var units: [String] = []
    }

    public enum Kind: String, Sendable, CaseIterable {
        case missingReturn = "missing-return"
        case conflictingReturns = "conflicting-returns"
        case correction
        case preferred
        case unreadableReturn = "unreadable-return"
        case unknownUnit = "unknown-unit"
        case otherPeriod = "other-period"
        case otherLayout = "other-layout"
        case notComputed = "not-computed"
        case identicalReturns = "identical-returns"
        case ignoredMarkerRow = "ignored-marker-row"
        case assumedPeriod = "assumed-period"
        case alias
        case unknownTargetUnit = "unknown-target-unit"
        case conflictingTargets = "conflicting-targets"
        case targetsOfAnotherYear = "targets-of-another-year"
    }

    public struct Difference: Sendable {
        public struct Value: Sendable {
            public var file: String
            public var cell: String
            public var value: String
        }

        public var indicator: String
        public var measure: String
        public var values: [Value]
    }

    /// A problem of the merge itself (the findings on the merged table are in `findings`).
    public struct Problem: Sendable {
        public var kind: Kind
        public var severity: Finding.Severity
        public var unit: String = ""
        /// The returns concerned, as `file` or `file（工作表“name”）`.
        public var files: [String] = []
        /// Cells of the merged annex concerned.
        public var cells: [String] = []
        public var differences: [Difference] = []
        public var message: String
    }

    public var template: Template
    public var period: String
    public var returns: [Return] = []
    public var problems: [Problem] = []
    /// The annex, unless no unit had data.
    public var sheet: Sheet?
    /// The annex read back as `annex check` reads it (observations with the output's cells).
    public var merged: TableReading?
    /// Every finding of `annex check` on the merged annex.
    public var findings: [Finding] = []

    init(template: Template, period: String) {
        self.template = template
        self.period = period
    }

    /// Units of the layout without a return.
    public var missing: [String] { problems.filter { $0.kind == .missingReturn && !$0.unit.isEmpty }.map(\.unit) }
    public var conflicts: [Problem] { problems.filter { $0.kind == .conflictingReturns } }
    public var written: Bool { sheet != nil }
    /// Errors of the merge or of the merged table: the exit status is 1.
    public var hasErrors: Bool { problems.contains { $0.severity == .error } || findings.hasErrors }
}
