/// The rules of performance-target forms (绩效目标表), instance by instance:
/// - `row-sum-mismatch`: a field against the sum of other fields (template `fieldSums`:
///   收入预算合计 = 财政拨款 + 其他经费), rounding tails as `info` (see `SumRules`);
/// - `not-a-number` (error): a number field that holds no number;
/// - `decimals` (warning): a number field with more decimals than the `decimals` rule allows;
/// - “无” (info, `marker-conflict`): the reason must be sent with the form.
enum FormRules {
    static func check(_ reading: TableReading) -> [Finding] {
        let template = reading.template
        let numberFields = Set((template.fields ?? []).filter { $0.type == "number" }.map(\.name))
        // Instances in reading order: a repeated form carries its key in `instance`.
        var order: [String] = []
        var instances: [String: [String: Observation]] = [:]
        var findings: [Finding] = []
        for observation in reading.observations {
            let key = observation.unit + "\u{1}" + (observation.extra["instance"] ?? "")
            if instances[key] == nil { order.append(key) }
            if observation.measure.isEmpty { instances[key, default: [:]][observation.indicator] = observation }
            if observation.status == .notCarriedOut {
                findings.append(finding(.markerConflict, .info, reading, observation, actual: observation.value,
                                        message: "\(name(observation)) 填“无”（未开展相关业务），请将未开展原因随表一并报送。"))
            }
            guard observation.measure.isEmpty, numberFields.contains(observation.indicator) else { continue }
            if observation.status == .invalid {
                findings.append(finding(.notANumber, .error, reading, observation, actual: observation.value,
                                        message: "\(name(observation)) “\(observation.value)”不是数字，请填写金额。"))
            } else if let places = template.rules.decimals?.places, let figure = observation.decimal,
                      figure.decimalPlaces > places {
                let rounded = figure.rounded(places: places).normalized
                findings.append(finding(.decimals, .warning, reading, observation, expected: rounded.description,
                                        actual: figure.description,
                                        message: "\(name(observation)) 为 \(figure)，有 \(figure.decimalPlaces) 位小数，最多保留 \(places) 位，请四舍五入为 \(rounded)。"))
            }
        }
        let formatPlaces = ValueColumn(column: 0, indicator: "", measure: "", format: template.formats.default).formatPlaces ?? 0
        for key in order {
            let fields = instances[key] ?? [:]
            for rule in template.rules.fieldSums ?? [] {
                guard let totalCell = fields[rule.total], let total = totalCell.decimal else { continue }
                let parts = rule.parts.map { fields[$0] }
                guard parts.allSatisfy({ $0 != nil && $0!.status != .invalid }) else { continue }
                let values = parts.map { $0!.addend ?? .zero }
                let comparison = SumRules.compare(total: total, parts: values, formatPlaces: formatPlaces)
                if comparison.isExact { continue }
                let terms = zip(rule.parts, values).map { "\($0.0) \(RuleTable.show($0.1, places: formatPlaces))" }
                    .joined(separator: " + ")
                findings.append(finding(
                    .rowSumMismatch, comparison.severity, reading, totalCell, expected: comparison.sum.description,
                    actual: total.description,
                    message: SumRules.message(what: name(totalCell), total: RuleTable.show(total, places: formatPlaces),
                                              sumText: "\(terms) = \(RuleTable.show(comparison.sum, places: formatPlaces))",
                                              comparison: comparison, fix: "请核对该项与各分项")))
            }
        }
        return findings
    }

    static func name(_ observation: Observation) -> String {
        let instance = observation.extra["instance"].map { "“\($0)” " } ?? ""
        return instance + observation.indicator
    }

    static func finding(_ rule: Finding.Rule, _ severity: Finding.Severity, _ reading: TableReading,
                        _ observation: Observation, expected: String = "", actual: String = "",
                        message: String) -> Finding {
        Finding(rule: rule, severity: severity, file: reading.file, sheet: reading.sheet,
                cell: observation.extra["cell"] ?? "", unit: observation.unit, indicator: observation.indicator,
                measure: observation.measure, expected: expected, actual: actual, message: message)
    }
}
