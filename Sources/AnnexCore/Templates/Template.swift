/// One annex layout, loaded from `templates/<id>.json` (format: templates/README.md). The same
/// model reads returns in the layout and renders the official annex. A template does not change
/// once loaded (its fields are constants), so what reading derives from it is worked out once
/// (`prepared`).
public struct Template: Decodable, Sendable {
    public enum Kind: String, Decodable, Sendable { case table, form }
    public enum PeriodKind: String, Decodable, Sendable { case month, year }

    public let id: String
    public let name: String
    public let source: String?
    public let kind: Kind
    public let period: PeriodKind
    public let lines: [Line]
    public let header: Header?
    public let keyColumns: [KeyColumn]
    public let rows: Rows?
    public let codes: CodeScheme?
    public let formats: Formats
    public let footnotes: [String]
    public let rules: Rules
    /// How the monthly 通报 words this layout's figures (templates/README.md, "Notice block").
    public let notice: Notice?
    /// A table whose figures are the annual targets of other layouts' indicators, for `--targets`
    /// (templates/README.md, "Target tables").
    public let annualTargets: AnnualTargetsTable?
    // Forms (kind == .form).
    public let width: Int?
    public let `repeat`: Bool?
    public let instanceKey: String?
    public let unitFrom: UnitFrom?
    public let fields: [FormField]?
    public let cells: [FixedCell]?
    public let indicatorTable: IndicatorTable?

    /// The fields of the template file (`prepared` is derived, not read).
    private enum CodingKeys: String, CodingKey {
        case id, name, source, kind, period, lines, header, keyColumns, rows, codes, formats, footnotes, rules, notice, annualTargets
        case width, `repeat`, instanceKey, unitFrom, fields, cells, indicatorTable
    }

    private let preparation = Preparation()

    /// What recognising and reading a sheet need from the template, worked out on first use and shared
    /// by the template's copies: a batch matches thousands of sheets against every template, and parsing
    /// the header ranges, folding their texts and compiling the line patterns each time cost more than
    /// the matching itself.
    var prepared: Prepared { preparation.prepared(self) }

    public struct Line: Decodable, Sendable {
        /// `title`, `period`, `units`, `department` or `note`.
        public var role: String
        /// With `{year}`, `{month}`, `{deptCode}`, `{deptName}` placeholders.
        public var text: String
    }

    public struct Header: Decodable, Sendable {
        public var rows: Int
        public var cells: [HeaderCell]
        /// The column-number row printed under the header of budget tables (`**`, `1`, `2` …): not data.
        public var numberRow: [String]?
    }

    public struct HeaderCell: Decodable, Sendable {
        /// A1 range relative to the header block's top-left cell.
        public var range: String
        public var text: String
        /// Draw the diagonal of a 项目/单位 corner cell.
        public var corner: Bool?
    }

    public struct KeyColumn: Decodable, Sendable {
        public enum Role: String, Decodable, Sendable { case unit, code, name }
        public var column: String
        public var role: Role
    }

    public struct Rows: Decodable, Sendable {
        /// `units` (default, a fixed order from a registry) or `codes` (budget classification codes).
        public var kind: String?
        public var registry: String?
        public var order: [String]?
        public var totals: [String]?
    }

    /// How budget classification codes are printed (类/款/项): digits per level and, per level,
    /// whether the code column shows the full code or only that level's segment.
    public struct CodeScheme: Decodable, Sendable {
        public var scheme: String
        public var segments: [Int]
        public var printed: [String]
    }

    public struct Formats: Decodable, Sendable {
        public var `default`: String
        public var byMeasure: [String: String]?
        public var byIndicator: [String: String]?
    }

    public struct Rules: Decodable, Sendable {
        public struct Markers: Decodable, Sendable {
            public var notAssigned: [String]
            public var notCarriedOut: [String]
        }
        public struct Decimals: Decodable, Sendable {
            public var places: Int
            public var measures: [String]?
            public var indicators: [String]?
        }
        public struct Ratio: Decodable, Sendable {
            public var result: String
            public var numerator: String
            public var denominator: String
            public var scale: Int?
        }
        public struct RowSum: Decodable, Sendable {
            public var total: String
            public var parts: [String]
            public var measures: [String]?
        }
        public struct Selection: Decodable, Sendable {
            public var measures: [String]?
            public var indicators: [String]?
        }
        public struct BehindSchedule: Decodable, Sendable {
            public var measure: String
        }
        /// Month on month with an archive: `flow` (本月完成) is this month's `runningTotal` (累计完成)
        /// minus last month's; `targets` (目标任务) stay the same within a year. `yearStart`: `zero` when
        /// the running total starts again each January (January's flow is its running total), `carried`
        /// when it is a stock carried over (January compares with December of the year before).
        public struct MonthOnMonth: Decodable, Sendable {
            public enum YearStart: String, Decodable, Sendable { case zero, carried }
            public var flow: String
            public var runningTotal: String
            public var yearStart: YearStart
            public var targets: [String]?
        }
        public struct CrossTable: Decodable, Sendable {
            public var template: String
            public var indicator: String
            public var measures: [String]
        }
        public struct FieldSum: Decodable, Sendable {
            public var total: String
            public var parts: [String]
        }

        public var markers: Markers?
        public var decimals: Decimals?
        public var ratios: [Ratio]?
        public var rowSums: [RowSum]?
        public var columnTotals: Bool?
        public var nonAdditive: Selection?
        public var behindSchedule: BehindSchedule?
        public var monthOnMonth: MonthOnMonth?
        public var crossTable: [CrossTable]?
        public var hierarchy: Bool?
        public var fieldSums: [FieldSum]?
    }

    /// How a table that states annual targets in its own wording (年度全省就业工作目标任务分解表: a
    /// row per city, figures in 万人) gives the 目标任务 of the monthly layouts' indicators.
    public struct AnnualTargetsTable: Decodable, Sendable {
        /// Rows that are a unit of those layouts under another name (canonical names of this table's
        /// registry → of theirs: 南昌, the whole city, is their 全市). Other rows keep their names.
        public var units: [String: String]?
        public var columns: [Column]

        public struct Column: Decodable, Sendable {
            /// This table's column (its indicator path).
            public var column: String
            /// The layout and indicator path whose 目标任务 the column states.
            public var template: String
            public var indicator: String
            /// The figure × factor is the target in the layout's unit (万人 → 人: 10000); default 1.
            public var factor: Int?
        }
    }

    public struct UnitFrom: Decodable, Sendable {
        public var field: String
        public var pattern: String
    }

    public struct FormField: Decodable, Sendable {
        public var label: String
        public var name: String
        public var range: String
        public var valueRange: String
        /// `right` (default) or `below`.
        public var direction: String?
        /// `text` or `number`.
        public var type: String
        public var format: String?
    }

    public struct FixedCell: Decodable, Sendable {
        public var range: String
        public var text: String
    }

    public struct IndicatorTable: Decodable, Sendable {
        public var header: [String]
        public var levels: Int
        public var range: String
    }

    /// The 通报's wording for this layout: its statistics sentences under their headings, its
    /// 存在的问题 lists, and its line in the 附件 list. `order` places the pieces of all layouts
    /// in one notice (就业培训一 and 二 share the heading 一、就业与再就业).
    public struct Notice: Decodable, Sendable {
        public var attachment: Attachment
        public var sections: [Section]
        public var problems: Problems?

        public struct Attachment: Decodable, Sendable {
            public var order: Int
            /// With `{year}` and `{month}`.
            public var title: String
        }

        public struct Section: Decodable, Sendable {
            public var order: Int
            /// The heading path (`["三、社会保障", "（一）养老保险"]`); consecutive sections with the
            /// same path form one paragraph.
            public var heading: [String]
            public var sentences: [Sentence]
        }

        public struct Sentence: Decodable, Sendable {
            /// The 全市 figures come from this indicator's columns (header path, ` / `-joined).
            public var indicator: String
            /// `{累计完成}`, `{占全年任务}` name measures, `{值}` a single-level column;
            /// `{全部完成}` is `completed` when 占全年任务 reaches 100, else nothing.
            public var text: String
            public var completed: String?
            /// Measures the text states in another unit than the table (万元 → 亿元).
            public var scale: [String: Scale]?
        }

        public struct Scale: Decodable, Sendable {
            public var divisor: Int
            public var places: Int
        }

        public struct Problems: Decodable, Sendable {
            /// `存在的问题`, numbered after the statistics headings.
            public var heading: String
            public var lists: [ProblemList]
        }

        public struct ProblemList: Decodable, Sendable {
            public var order: Int
            /// Lists with the same group share one numbered paragraph (（四）新增创业担保贷款 …).
            public var group: String
            public var indicator: String
            /// The indicator as the list names it (`城镇新增就业人数`).
            public var label: String
            /// The clause after the units (`未能按照进度完成目标任务`).
            public var ending: String
        }
    }
}
