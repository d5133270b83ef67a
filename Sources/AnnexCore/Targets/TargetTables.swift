extension Template.AnnualTargetsTable {
    /// A figure of this table as the 目标任务 of the layout indicator its column states: multiplied
    /// exactly by the column's factor, its row under the layouts' unit name. Nil for a column that
    /// states no layout's target (rates, indicators no layout prints).
    func target(_ observation: Observation) -> Observation? {
        let key = TextFolding.matchKey(observation.indicator)
        guard let column = columns.first(where: { TextFolding.matchKey($0.column) == key }) else { return nil }
        var target = observation
        target.template = column.template
        target.unit = units?[observation.unit] ?? observation.unit
        target.indicator = column.indicator
        target.measure = AnnualTargets.targetMeasure
        if let figure = observation.decimal {
            target.value = (figure * ExactDecimal(column.factor ?? 1)).normalized.description
        }
        return target
    }
}
