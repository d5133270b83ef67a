/// Compares the 存在的问题 lists of a written 通报 with the units behind the schedule: a unit listed
/// twice, a percentage without its unit, a unit behind schedule left out, a unit listed that is not
/// behind, a percentage that differs from the annex (seed 000 has the first three).
struct ProblemListChecker {
    let notice: NoticeChecker

    /// One `单位 百分比` of a list as written.
    struct Item {
        var unit: String
        var percent: ExactDecimal?
        var quote: String
    }

    static let listEnds: Set<Character> = [",", "。", ";"]

    func findings() -> [Finding] {
        let text = notice.text
        let lists = notice.binding.problemLists
        guard let first = lists.first else { return [] }
        guard let start = notice.problemsStart else {
            return lists.filter { !$0.behind.isEmpty }.map { list in
                finding(list, unit: "", expected: units(list.behind), actual: "",
                        message: "通报中没有“\(first.heading)”部分；\(list.wording.label)低于时序进度 \(list.schedule)% 的单位有 \(units(list.behind))，请补上。")
            }
        }
        let end = text.find(FoldedText.folded("附件"), from: start) ?? text.count
        var findings: [Finding] = []
        var cursor = start
        for list in lists {
            let label = FoldedText.folded(list.wording.label)
            guard let at = text.find(label, from: cursor, before: end) else {
                if !list.behind.isEmpty {
                    findings.append(finding(list, unit: "", expected: units(list.behind), actual: "",
                                            message: "“\(first.heading)”中没有\(list.wording.label)的列表；低于时序进度 \(list.schedule)% 的单位有 \(units(list.behind))，请补上。"))
                }
                continue
            }
            var position = at + label.count
            while position < end, text.characters[position] == ":" { position += 1 }
            let stop = text.firstIndex(of: Self.listEnds, from: position, before: end)
            cursor = stop
            findings += compare(items(position..<stop), with: list)
        }
        return findings
    }

    /// The list split at `、`: each item's unit name before its trailing number and `%`.
    func items(_ range: Range<Int>) -> [Item] {
        let text = notice.text
        var items: [Item] = []
        var start = range.lowerBound
        for index in range.lowerBound...range.upperBound where index == range.upperBound || text.characters[index] == "、" {
            defer { start = index + 1 }
            guard index > start else { continue }
            var numberStart = index
            if text.characters[numberStart - 1] == "%" { numberStart -= 1 }
            let numberEnd = numberStart
            while numberStart > start, text.characters[numberStart - 1].isASCII,
                  text.characters[numberStart - 1].isNumber || text.characters[numberStart - 1] == "." { numberStart -= 1 }
            items.append(Item(unit: text.folded(start..<numberStart), percent: ExactDecimal(text.folded(numberStart..<numberEnd)),
                              quote: text.original(start..<index)))
        }
        return items
    }

    func compare(_ items: [Item], with list: NoticeBinding.ProblemList) -> [Finding] {
        var findings: [Finding] = []
        var listed: Set<String> = []
        let label = list.wording.label
        for item in items where !item.unit.isEmpty {
            let resolution = list.registry?.resolve(item.unit)
            if case .unknown? = resolution {
                findings.append(finding(list, unit: item.unit, expected: "", actual: item.quote,
                                        message: "“\(label)”的列表中“\(item.unit)”不是单位名录中的单位，请核对。"))
                continue
            }
            let unit = resolution?.name ?? item.unit
            guard listed.insert(unit).inserted else {
                findings.append(finding(list, unit: unit, expected: "", actual: item.quote,
                                        message: "“\(label)”的列表把\(unit)列了两次（\(item.quote)），请删去重复的一处。"))
                continue
            }
            if let behind = list.behind.first(where: { $0.row.key.unit == unit }) {
                if let percent = item.percent, percent != behind.value {
                    findings.append(finding(list, unit: unit, expected: show(behind), actual: item.quote,
                                            message: "“\(label)”的列表写“\(item.quote)”，附件 \(cell(list, behind.row)) 为 \(show(behind))，请改正。"))
                }
            } else if let row = list.table.rows.first(where: { $0.key.unit == unit && !$0.isTotal }) {
                let value = progressColumn(list).flatMap { row.cells[$0.index]?.decimal }
                let shown = value.map { "\($0.formatted(places: 2))%" } ?? "无数值"
                findings.append(finding(list, unit: unit, expected: "", actual: item.quote,
                                        message: "“\(label)”的列表列出了\(unit)，但附件 \(cell(list, row)) 为 \(shown)，不低于时序进度 \(list.schedule)%，请删去。"))
            }
        }
        for item in items where item.unit.isEmpty {
            // A percentage without its unit: the unit it belongs to is the unlisted one with that value.
            if let behind = list.behind.first(where: { !listed.contains($0.row.key.unit) && item.percent == $0.value }) {
                listed.insert(behind.row.key.unit)
                findings.append(finding(list, unit: behind.row.key.unit, expected: show(behind), actual: item.quote,
                                        message: "“\(label)”的列表中 \(item.quote) 前没有单位名称；附件 \(cell(list, behind.row)) 是\(show(behind))，请补上单位名称。"))
            } else {
                findings.append(finding(list, unit: "", expected: "", actual: item.quote,
                                        message: "“\(label)”的列表中 \(item.quote) 前没有单位名称，附件中也没有未列出的单位是这个数，请核对。"))
            }
        }
        for behind in list.behind where !listed.contains(behind.row.key.unit) {
            findings.append(finding(list, unit: behind.row.key.unit, expected: show(behind), actual: "",
                                    message: "“\(label)”的列表漏了\(show(behind))（附件 \(cell(list, behind.row))），低于时序进度 \(list.schedule)%，请补上。"))
        }
        return findings
    }

    func progressColumn(_ list: NoticeBinding.ProblemList) -> RuleTable.Column? {
        list.table.template.rules.behindSchedule.flatMap { list.table.column(indicator: list.wording.indicator, measure: $0.measure) }
    }

    func cell(_ list: NoticeBinding.ProblemList, _ row: RuleTable.Row) -> String {
        progressColumn(list).map { NoticeBinding.cellName(list.table, row, $0) } ?? list.table.sheet
    }

    /// `湾里管理局 0.00%`.
    func show(_ unit: ScheduleRules.BehindUnit) -> String {
        "\(unit.row.key.unit) \(unit.value.formatted(places: 2))%"
    }

    func units(_ behind: [ScheduleRules.BehindUnit]) -> String {
        behind.map(show).joined(separator: "、")
    }

    func finding(_ list: NoticeBinding.ProblemList, unit: String, expected: String, actual: String, message: String) -> Finding {
        Finding(rule: .noticeMismatch, severity: .error, file: notice.file, sheet: "", cell: "", unit: unit,
                indicator: list.wording.indicator, measure: list.table.template.rules.behindSchedule?.measure ?? "",
                expected: expected, actual: actual, message: message)
    }
}
