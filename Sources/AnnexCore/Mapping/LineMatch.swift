import Foundation

/// Matches the lines above a header (title, period, department) against a template's `lines`,
/// reading the placeholders: `{year}`, `{month}`, `{deptCode}`, `{deptName}`.
struct LineMatch {
    /// Whether the template's title line was found (tells apart layouts with the same header,
    /// such as 一般公共预算支出表 and 政府性基金预算支出表).
    var titleFound = false
    var values: [String: String] = [:]

    static let placeholders = ["year": "([0-9]{4})", "month": "([0-9]{1,2})", "deptCode": "([0-9]+)", "deptName": "(.+)"]

    /// A template line as a pattern over a row's text (`TextFolding.matchKey`), its placeholders as
    /// capture groups in the order they appear.
    struct Pattern {
        let role: String
        let regex: NSRegularExpression
        let names: [String]

        init?(_ line: Template.Line) {
            let key = TextFolding.matchKey(line.text)
            var pattern = NSRegularExpression.escapedPattern(for: key)
            let ordered = LineMatch.placeholders.keys.compactMap { name in key.range(of: "{\(name.lowercased())}").map { (name, $0.lowerBound) } }
                .sorted { $0.1 < $1.1 }
            for (name, _) in ordered {
                pattern = pattern.replacingOccurrences(of: "\\{\(name.lowercased())\\}", with: LineMatch.placeholders[name]!)
            }
            guard let regex = try? NSRegularExpression(pattern: "^" + pattern + "$") else { return nil }
            role = line.role
            self.regex = regex
            names = ordered.map(\.0)
        }
    }

    init(template: Template, grid: GridIndex, above: Int) {
        var texts: [String] = []
        for row in 0..<max(0, above) { texts += grid.rowTexts(row).map(TextFolding.matchKey) }
        for line in template.prepared.lines {
            for text in texts {
                guard let found = line.regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { continue }
                if line.role == "title" { titleFound = true }
                for (index, name) in line.names.enumerated() {
                    if let range = Range(found.range(at: index + 1), in: text), values[name] == nil {
                        values[name] = String(text[range])
                    }
                }
                break
            }
        }
    }
}
