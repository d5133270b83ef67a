/// `annex check --notice`: compares a written 通报 with its annexes. Each statistics sentence is
/// found by its template wording and its figures compared with the 全市 cells (`notice-mismatch`,
/// or `notice-rounding` for a figure cut off instead of rounded); the 存在的问题 lists are compared
/// with the units behind the schedule (`ProblemListChecker`).
public struct NoticeChecker {
    let binding: NoticeBinding
    let file: String
    let text: FoldedText

    public static func check(notice: String, file: String, readings: [TableReading], library: TemplateLibrary) throws -> [Finding] {
        let checker = NoticeChecker(binding: try NoticeBinding(readings: readings, library: library), file: file, text: FoldedText(notice))
        return checker.sentenceFindings() + ProblemListChecker(notice: checker).findings()
    }

    /// Where 存在的问题 begins: the statistics sentences are searched before it.
    var problemsStart: Int? {
        binding.problemLists.first.flatMap { text.find(FoldedText.folded($0.heading)) }
    }

    static let sentenceEnds: Set<Character> = ["。", ";"]

    func sentenceFindings() -> [Finding] {
        let end = problemsStart ?? text.count
        var findings: [Finding] = []
        var cursor = 0
        for sentence in binding.sentences {
            guard case .literal(let lead)? = sentence.pattern.first else { continue }
            let anchor = FoldedText.folded(lead)
            // In order first, so the second 在职参保人数 is the one after 机关事业单位养老保险.
            guard let at = text.find(anchor, from: cursor, before: end) ?? text.find(anchor, before: end) else {
                findings.append(finding(.noticeMismatch, sentence, figure: nil, expected: sentence.text, actual: "",
                                        message: "通报中没有找到\(name(sentence))的句子，应为“\(sentence.text)”，请补上。"))
                continue
            }
            let stop = text.firstIndex(of: Self.sentenceEnds, from: at + anchor.count, before: end)
            cursor = stop
            let quote = text.original(at..<min(stop + 1, text.count))
            findings += compare(sentence, written: text.numbers(in: at + anchor.count..<stop), quote: quote)
        }
        return findings
    }

    func compare(_ sentence: NoticeBinding.Sentence, written: [ExactDecimal], quote: String) -> [Finding] {
        var findings: [Finding] = []
        var wrong: [(figure: NoticeBinding.Figure, written: ExactDecimal)] = []
        for (index, figure) in sentence.figures.enumerated() {
            guard index < written.count else {
                findings.append(finding(.noticeMismatch, sentence, figure: figure, expected: figure.text, actual: "",
                                        message: "“\(quote)”中缺少\(name(sentence))的\(measureName(figure))，附件 \(figure.cell) 为 \(figure.annex.description)，应写 \(figure.text)，请补上。"))
                continue
            }
            let value = written[index]
            if value == figure.stated { continue }
            if let scale = figure.scale, value == NoticeBinding.truncated(figure.annex, scale) {
                findings.append(finding(.noticeRounding, sentence, figure: figure, expected: figure.text, actual: value.description,
                                        message: "“\(quote)”中\(name(sentence))的\(measureName(figure))写为 \(value)，是附件 \(figure.cell) 的 \(figure.annex) ÷ \(scale.divisor) 截去尾数的结果；四舍五入保留 \(scale.places) 位应写 \(figure.text)。"))
                continue
            }
            wrong.append((figure, value))
        }
        guard !wrong.isEmpty else { return findings }

        let owners = wrong.map { otherIndicators(quoting: $0.written, like: $0.figure, in: sentence) }
        let common = owners.dropFirst().reduce(owners[0]) { $0.filter($1.contains) }
        if let other = common.first {
            let writtenText = wrong.map { $0.written.description }.joined(separator: "、")
            let expectedText = wrong.map { "\($0.figure.text)（\($0.figure.cell)）" }.joined(separator: "、")
            findings.append(finding(.noticeMismatch, sentence, figure: wrong[0].figure,
                                    expected: wrong.map(\.figure.text).joined(separator: "、"), actual: writtenText,
                                    message: "“\(quote)”引用的是\(other)的数字（\(writtenText)），\(name(sentence))按附件应为 \(expectedText)，请改正。"))
            return findings
        }
        for ((figure, value), others) in zip(wrong, owners) {
            let note = others.isEmpty ? "" : "（\(value) 是\(others.joined(separator: "、"))的数字）"
            let scaleNote = figure.scale.map { "，÷ \($0.divisor) 四舍五入保留 \($0.places) 位" } ?? ""
            findings.append(finding(.noticeMismatch, sentence, figure: figure, expected: figure.text, actual: value.description,
                                    message: "“\(quote)”中\(name(sentence))的\(measureName(figure))写为 \(value)\(note)，附件 \(figure.cell) 为 \(figure.annex)\(scaleNote)，应写 \(figure.text)，请改正。"))
        }
        return findings
    }

    /// The indicators of the annexes whose 全市 figure of the same measure, stated the same way,
    /// is `value`: the sentence quotes another indicator's figures.
    func otherIndicators(quoting value: ExactDecimal, like figure: NoticeBinding.Figure, in sentence: NoticeBinding.Sentence) -> [String] {
        var names: [String] = []
        for table in binding.tables {
            guard let total = table.rows.first(where: \.isTotal) else { continue }
            for column in table.columns where column.measure == figure.column.measure && column.indicator != figure.column.indicator {
                guard let annex = total.cells[column.index]?.decimal else { continue }
                let stated = figure.scale.map { NoticeBinding.scaled(annex, $0) } ?? annex
                if stated == value && !names.contains(column.indicator) { names.append(column.indicator) }
            }
        }
        return names
    }

    func name(_ sentence: NoticeBinding.Sentence) -> String { sentence.wording.indicator }

    func measureName(_ figure: NoticeBinding.Figure) -> String {
        figure.column.measure.isEmpty ? "数值" : figure.column.measure
    }

    func finding(_ rule: Finding.Rule, _ sentence: NoticeBinding.Sentence, figure: NoticeBinding.Figure?,
                 expected: String, actual: String, message: String) -> Finding {
        Finding(rule: rule, severity: rule == .noticeRounding ? .warning : .error, file: file, sheet: "", cell: "",
                unit: sentence.table.rows.first(where: \.isTotal)?.key.unit ?? "", indicator: figure?.column.indicator ?? sentence.wording.indicator,
                measure: figure?.column.measure ?? "", expected: expected, actual: actual, message: message)
    }
}
