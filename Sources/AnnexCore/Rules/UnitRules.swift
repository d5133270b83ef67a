/// The row keys against the template's unit registry and row order:
/// - `unknown-unit` (error): a name neither canonical nor an alias (南昌市 where 南昌县 is meant);
///   an alias or former name is accepted and reported as `info` (红谷滩新区 → 红谷滩区);
/// - `duplicate-unit` (error): the same unit or code on two rows;
/// - `missing-unit` (warning): a unit of the template's row order without a row. Only for tables that
///   hold at least half of the order: a district's own return with its single row is not incomplete.
enum UnitRules {
    static func check(_ table: RuleTable) -> [Finding] {
        var findings: [Finding] = []
        let registryName = table.template.rows?.registry ?? ""
        let order = table.template.rows?.order ?? []
        let present = Set(table.rows.compactMap { row -> String? in
            if case .unknown = row.key.resolution { return nil }
            return row.key.unit
        })
        let missing = order.filter { !present.contains($0) }
        let reportMissing = !order.isEmpty && present.intersection(order).count * 2 >= order.count

        var firstRow: [String: TableReading.RowKey] = [:]
        for row in table.rows {
            switch row.key.resolution {
            case .unknown(let name)?:
                let hint = reportMissing && !missing.isEmpty ? "（本表缺少：\(missing.joined(separator: "、"))）" : ""
                findings.append(table.finding(
                    .unknownUnit, .error, row: row, expected: reportMissing ? missing.joined(separator: "、") : "",
                    actual: row.key.written,
                    message: "单位“\(name)”不在单位名录 \(registryName) 中，请改为规范名称\(hint)。"))
            case .alias(let canonical, let written)?:
                findings.append(table.finding(
                    .unknownUnit, .info, row: row, expected: canonical, actual: written,
                    message: "“\(written)”是“\(canonical)”的别称或旧称，已按\(canonical)读取，建议改用规范名称。"))
            default:
                break
            }
            if row.key.unit.isEmpty { continue }
            if let first = firstRow[row.key.unit] {
                findings.append(table.finding(
                    .duplicateUnit, .error, row: row, expected: "", actual: row.key.written,
                    message: "\(table.isCodeTable ? "科目" : "单位")“\(row.key.unit)”重复出现（第一次在 \(first.cell)），请删除或合并重复的行。"))
            } else {
                firstRow[row.key.unit] = row.key
            }
        }
        if reportMissing {
            for unit in missing {
                findings.append(Finding(
                    rule: .missingUnit, severity: .warning, file: table.file, sheet: table.sheet, unit: unit,
                    expected: unit, message: "本表缺少单位“\(unit)”的行，请补报该单位的数据。"))
            }
        }
        return findings
    }
}
