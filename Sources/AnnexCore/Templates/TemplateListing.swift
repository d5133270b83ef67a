import Foundation

/// `annex templates --json`: one entry per template (id, name, kind, period, columns, source),
/// pretty-printed with sorted keys; shared by the CLI and `GET /api/templates`.
public enum TemplateListing {
    public static func json(_ library: TemplateLibrary) throws -> Data {
        var entries: [[String: Any]] = []
        for template in library.templates {
            entries.append(["id": template.id, "name": template.name, "kind": template.kind.rawValue,
                            "period": template.period.rawValue, "columns": template.valueColumns.count,
                            "source": template.source ?? ""])
        }
        return try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            + Data([0x0A])
    }
}
