/// The `notice` sections of the annexes' templates bound to the annexes read: every sentence with
/// the 全市 figures it states, every 存在的问题 list with the units behind the schedule. Both the
/// draft (`NoticeDraft`) and the comparison (`NoticeChecker`) start from here.
struct NoticeBinding {
    /// One figure of a sentence: the annex cell, and the figure as the notice states it.
    struct Figure {
        /// The placeholder: a measure, or `值` for a single-level column.
        var placeholder: String
        var column: RuleTable.Column
        /// `就业培训二!C5`.
        var cell: String
        var annex: ExactDecimal
        var scale: Template.Notice.Scale?
        /// Scaled (万元 → 亿元) and rounded half up as the notice states it.
        var stated: ExactDecimal
        /// `11.54`, `62.92`, `100`.
        var text: String
    }

    struct Sentence {
        var order: Int
        var heading: [String]
        var wording: Template.Notice.Sentence
        var pattern: [NoticePattern.Piece]
        var table: RuleTable
        var figures: [Figure]

        /// The sentence as the draft writes it.
        var text: String {
            var figureByName: [String: Figure] = [:]
            for figure in figures { figureByName[figure.placeholder] = figure }
            return pattern.map { piece in
                switch piece {
                case .literal(let text): text
                case .completed: isComplete ? wording.completed ?? "" : ""
                case .figure(let name): figureByName[name]?.text ?? ""
                }
            }.joined()
        }

        /// 占全年任务 reached 100: the sentence adds its `completed` phrase (seed 000: “已全部完成全年任务”).
        var isComplete: Bool {
            figures.first { $0.placeholder == NoticePattern.progressMeasure }.map { $0.annex >= ExactDecimal(100) } ?? false
        }
    }

    struct ProblemList {
        var wording: Template.Notice.ProblemList
        var heading: String
        var table: RuleTable
        var schedule: ExactDecimal
        /// In the template's unit order.
        var behind: [ScheduleRules.BehindUnit]
        var registry: UnitRegistry?
    }

    struct Attachment {
        var order: Int
        var title: String
    }

    var sentences: [Sentence] = []
    var problemLists: [ProblemList] = []
    var attachments: [Attachment] = []
    /// Every table with a `notice` section, for finding which indicator a wrong figure belongs to.
    var tables: [RuleTable] = []

    /// Binds the first reading of each template that has a `notice` section.
    /// - Throws: `NoticeError` when no template has a `notice` block, or a sentence's indicator or
    ///   its 全市 figure is missing.
    init(readings: [TableReading], library: TemplateLibrary) throws {
        var seen: Set<String> = []
        for reading in readings where reading.template.kind == .table {
            guard let notice = reading.template.notice, seen.insert(reading.template.id).inserted else { continue }
            let table = RuleTable(reading)
            tables.append(table)
            attachments.append(Attachment(order: notice.attachment.order, title: Self.fill(notice.attachment.title, period: reading.period)))
            for section in notice.sections {
                for wording in section.sentences {
                    sentences.append(try Self.bind(wording, order: section.order, heading: section.heading, table: table))
                }
            }
            if let problems = notice.problems, let (schedule, units) = ScheduleRules.behindUnits(table) {
                let rank = Dictionary(reading.template.rows?.order?.enumerated().map { ($1, $0) } ?? [], uniquingKeysWith: { a, _ in a })
                for wording in problems.lists {
                    let behind = units.filter { RuleTable.normalizedPath($0.column.indicator) == RuleTable.normalizedPath(wording.indicator) }
                        .sorted { (rank[$0.row.key.unit] ?? Int.max) < (rank[$1.row.key.unit] ?? Int.max) }
                    problemLists.append(ProblemList(wording: wording, heading: problems.heading, table: table, schedule: schedule,
                                                    behind: behind, registry: library.registry(for: reading.template)))
                }
            }
        }
        // Stable: within one order, a template's own order is kept.
        sentences = sentences.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element)
        problemLists = problemLists.enumerated().sorted { ($0.element.wording.order, $0.offset) < ($1.element.wording.order, $1.offset) }.map(\.element)
        attachments.sort { $0.order < $1.order }
        guard !sentences.isEmpty else {
            throw NoticeError("这些附件的模板都没有 notice 部分，无法起草或核对通报（需要就业培训一、二和社会保险一、二等月报附件）。")
        }
    }

    static func bind(_ wording: Template.Notice.Sentence, order: Int, heading: [String], table: RuleTable) throws -> Sentence {
        let pattern = NoticePattern.parse(wording.text)
        guard let total = table.rows.first(where: \.isTotal) else {
            throw NoticeError("\(table.file) 的\(table.template.name)没有\(table.template.rows?.totals?.first ?? "全市")行，无法写通报。")
        }
        var figures: [Figure] = []
        for case .figure(let name) in pattern {
            let measure = name == NoticePattern.singleColumn ? "" : name
            guard let column = table.column(indicator: wording.indicator, measure: measure) else {
                throw NoticeError("模板 \(table.template.id) 的 notice 句子引用了表中没有的列：\(wording.indicator) \(measure)。")
            }
            guard let value = total.cells[column.index]?.decimal else {
                throw NoticeError("\(table.file) \(table.sheet) 的\(total.key.unit) \(RuleTable.label(column)) 没有数值（\(cellName(table, total, column))），无法写入通报。")
            }
            let scale = wording.scale?[name]
            let stated = scale.map { Self.scaled(value, $0) } ?? value
            let text = scale.map { stated.formatted(places: $0.places) } ?? RuleTable.show(value, places: column.formatPlaces)
            figures.append(Figure(placeholder: name, column: column, cell: cellName(table, total, column), annex: value,
                                  scale: scale, stated: stated, text: text))
        }
        return Sentence(order: order, heading: heading, wording: wording, pattern: pattern, table: table, figures: figures)
    }

    /// 115363.5 万元 → 11.54 亿元: divided and rounded half up to the scale's places.
    static func scaled(_ value: ExactDecimal, _ scale: Template.Notice.Scale) -> ExactDecimal {
        value.divided(by: ExactDecimal(scale.divisor), places: scale.places) ?? value
    }

    /// The same division cut off instead of rounded (115363.5 万元 → 11.53), the slip `notice-rounding` names.
    static func truncated(_ value: ExactDecimal, _ scale: Template.Notice.Scale) -> ExactDecimal {
        let exact = value.divided(by: ExactDecimal(scale.divisor), places: scale.places + 12) ?? value
        return ExactDecimal(significand: exact.significand / ExactDecimal.power(exact.scale - scale.places), scale: scale.places)
    }

    /// `就业培训一!C7`, the annex cell a notice finding points to.
    static func cellName(_ table: RuleTable, _ row: RuleTable.Row, _ column: RuleTable.Column) -> String {
        "\(table.sheet)!\(row.cells[column.index]?.extra["cell"] ?? "")"
    }

    /// `{year}`, `{month}` of a `YYYY-MM` period (month without a leading zero: 1-7 月).
    static func fill(_ text: String, period: String) -> String {
        let parts = period.split(separator: "-")
        let month = parts.count > 1 ? String(Int(parts[1]) ?? 0) : ""
        return text.replacingOccurrences(of: "{year}", with: String(parts.first ?? ""))
            .replacingOccurrences(of: "{month}", with: month)
    }
}

/// A `notice` sentence pattern split into its literal text and placeholders.
enum NoticePattern {
    enum Piece {
        case literal(String)
        case figure(String)
        /// `{全部完成}`.
        case completed
    }

    /// The placeholder of a single-level column (零就业家庭就业安置率).
    static let singleColumn = "值"
    static let completedPlaceholder = "全部完成"
    /// Decides whether a sentence adds its `completed` phrase.
    static let progressMeasure = "占全年任务"

    static func parse(_ text: String) -> [Piece] {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            if open > rest.startIndex { pieces.append(.literal(String(rest[..<open]))) }
            let name = String(rest[rest.index(after: open)..<close])
            pieces.append(name == completedPlaceholder ? .completed : .figure(name))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.literal(String(rest))) }
        return pieces
    }
}

/// A notice cannot be drafted from these annexes (a template's `notice` names a missing column,
/// a 全市 figure is missing). The message says which file and cell.
public struct NoticeError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
