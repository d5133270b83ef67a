import Foundation

/// Matches the lines above a header (title, period, department) against a template's `lines`,
/// reading the placeholders: `{year}`, `{month}`, `{deptCode}`, `{deptName}`.
struct LineMatch {
    /// Whether the template's title line was found (tells apart layouts with the same header,
    /// such as 一般公共预算支出表 and 政府性基金预算支出表).
    var titleFound = false
    var values: [String: String] = [:]

    static let placeholders = ["year": "([0-9]{4})", "month": "([0-9]{1,2})", "deptCode": "([0-9]+)", "deptName": "(.+)"]

    init(template: Template, grid: GridIndex, above: Int) {
        var texts: [String] = []
        for row in 0..<max(0, above) { texts += grid.rowTexts(row).map(TextFolding.matchKey) }
        for line in template.lines {
            let key = TextFolding.matchKey(line.text)
            var pattern = NSRegularExpression.escapedPattern(for: key)
            var names: [String] = []
            // Placeholders in the order they appear in the line.
            let ordered = Self.placeholders.keys.compactMap { name in key.range(of: "{\(name.lowercased())}").map { (name, $0.lowerBound) } }
                .sorted { $0.1 < $1.1 }
            for (name, _) in ordered {
                pattern = pattern.replacingOccurrences(of: "\\{\(name.lowercased())\\}", with: Self.placeholders[name]!)
                names.append(name)
            }
            guard let regex = try? NSRegularExpression(pattern: "^" + pattern + "$") else { continue }
            for text in texts {
                guard let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { continue }
                if line.role == "title" { titleFound = true }
                for (index, name) in names.enumerated() {
                    if let range = Range(found.range(at: index + 1), in: text), values[name] == nil {
                        values[name] = String(text[range])
                    }
                }
                break
            }
        }
    }
}
