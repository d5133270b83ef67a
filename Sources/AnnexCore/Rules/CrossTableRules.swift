/// `cross-table-mismatch` (error): figures printed in two annexes must agree when the files are
/// checked together (机关事业单位养老保险 in 社会保险一 and 社会保险二; template `crossTable`). Only
/// tables of the same period are compared; a blank on either side is not compared. The finding is
/// placed on the declaring table's cell; `expected` is the other table's figure.
enum CrossTableRules {
    static func check(_ tables: [RuleTable]) -> [Finding] {
        var findings: [Finding] = []
        for table in tables {
            for rule in table.template.rules.crossTable ?? [] {
                for other in tables where other.template.id == rule.template && other.reading.period == table.reading.period
                    && !(other.file == table.file && other.sheet == table.sheet) {
                    findings += compare(table, other, rule: rule)
                }
            }
        }
        return findings
    }

    static func compare(_ table: RuleTable, _ other: RuleTable, rule: Template.Rules.CrossTable) -> [Finding] {
        var otherRows: [String: RuleTable.Row] = [:]
        for row in other.rows where otherRows[row.key.unit] == nil {
            if case .unknown = row.key.resolution { continue }
            otherRows[row.key.unit] = row
        }
        var findings: [Finding] = []
        for measure in rule.measures {
            guard let column = table.column(indicator: rule.indicator, measure: measure),
                  let otherColumn = other.column(indicator: rule.indicator, measure: measure) else { continue }
            for row in table.rows {
                if case .unknown = row.key.resolution { continue }
                guard let otherRow = otherRows[row.key.unit],
                      let mine = row.cells[column.index], let theirs = otherRow.cells[otherColumn.index],
                      mine.status != .empty, theirs.status != .empty, mine.status != .invalid, theirs.status != .invalid
                else { continue }
                let same: Bool
                if let a = mine.decimal, let b = theirs.decimal { same = a == b } else { same = mine.status == theirs.status }
                if same { continue }
                let otherCell = theirs.extra["cell"] ?? ""
                let otherPlace = other.file == table.file ? "\(other.sheet)!\(otherCell)" : "\(other.file) \(other.sheet)!\(otherCell)"
                findings.append(table.finding(
                    .crossTableMismatch, .error, row: row, column: column, expected: theirs.value, actual: mine.value,
                    message: "\(row.key.unit) \(RuleTable.label(column)) 为 \(show(mine, column))，而\(other.template.name)（\(otherPlace)）为 \(show(theirs, otherColumn))，两表同一指标应一致，请核对后统一。"))
            }
        }
        return findings
    }

    static func show(_ cell: Observation, _ column: RuleTable.Column) -> String {
        cell.decimal.map { RuleTable.show($0, column) } ?? "“\(cell.value)”"
    }
}
