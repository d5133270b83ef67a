import AnnexCore
import Foundation
import Hummingbird

/// `GET /api/templates` (what `annex templates --json` prints) and `GET /api/templates/{id}/layout`
/// (the layout's title lines and header, as cells to draw as an HTML table). In process: the
/// library only reads template files, nothing a user uploaded.
struct TemplateRoutes {
    let templateDirectories: [String]

    func add(to router: Router<BasicRequestContext>) {
        router.get("/api/templates") { _, _ in
            JSONAnswer.response(try TemplateListing.json(library()))
        }
        router.get("/api/templates/{id}/layout") { _, context in
            let id = context.parameters.get("id") ?? ""
            let library = try library()
            guard let template = library.templates.first(where: { $0.id == id }) else {
                throw ApiError(.notFound, "没有模板 \(id)（见 /api/templates）")
            }
            return JSONAnswer.response(try JSONAnswer.encode(try Self.layout(template)))
        }
    }

    private func library() throws -> TemplateLibrary {
        do {
            return try TemplateLibrary.standard(extra: templateDirectories)
        } catch {
            throw ApiError(.internalServerError, "无法加载模板：\(error)")
        }
    }

    /// The template rendered with no data by the same renderer `annex write` uses, its title dated
    /// this month (or year): a table keeps its rows down to the header's last (the rows a printed
    /// page repeats), a form all its rows.
    static func layout(_ template: Template, now: Date = Date()) throws -> [String: Any] {
        let today = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Asia/Shanghai")!, from: now)
        let year = String(today.year ?? 2000), month = String(format: "%02d", today.month ?? 1)
        let sheet = template.kind == .table
            ? try TableRenderer.render([], template: template,
                                       options: .init(period: template.period == .month ? "\(year)-\(month)" : year))
            : try FormRenderer.render([], template: template)
        let lastRow = template.kind == .table ? sheet.layout.page?.repeatRows?.upperBound : nil
        let cells = sheet.cells.filter { lastRow == nil || $0.reference.row <= lastRow! }
        let merged = sheet.merged.filter { lastRow == nil || $0.last.row <= lastRow! }
        let rows = (cells.map(\.reference.row) + merged.map(\.last.row)).max().map { $0 + 1 } ?? 0
        let columns = (cells.map(\.reference.column) + merged.map(\.last.column)).max().map { $0 + 1 } ?? 0
        return [
            "id": template.id, "name": template.name, "rows": rows, "columns": columns,
            "merged": merged.map(\.description),
            "cells": cells.map { ["ref": $0.reference.description, "value": $0.value.text] },
        ]
    }
}
