import AnnexCore
import Foundation
import Hummingbird

/// `GET /api/templates` (what `annex templates --json` prints), `GET /api/templates/{id}/layout`
/// (the layout's title lines and header, as cells to draw as an HTML table) and
/// `GET /api/templates/{id}/blank?period=YYYY-MM&unit=…` (the blank return of `annex write --blank`).
/// In process: the library only reads template files, nothing a user uploaded.
struct TemplateRoutes {
    let templateDirectories: [String]
    /// Where a blank return is written before it is sent.
    let workspace: Workspace

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
        router.get("/api/templates/{id}/blank") { request, context in
            let id = context.parameters.get("id") ?? ""
            let library = try library()
            guard let template = library.templates.first(where: { $0.id == id }) else {
                throw ApiError(.notFound, "没有模板 \(id)（见 /api/templates）")
            }
            let query = request.uri.queryParameters
            let period = query.get("period") ?? ""
            guard period.wholeMatch(of: /\d{4}(-(0[1-9]|1[0-2]))?/) != nil else {
                throw ApiError.badInput("统计期应为 YYYY-MM 或 YYYY（如 2023-08），而不是“\(period)”")
            }
            let units = query.getAll("unit").map { $0.removingPercentEncoding ?? $0 }.filter { !$0.isEmpty }
            let name = "\(period)-空白-\(template.name).xlsx"
            let data = try blankReturn(template, period: period, units: units, library: library)
            return Response(status: .ok, headers: [
                .contentType: ResultRoutes.contentType(name),
                .contentDisposition: ResultRoutes.disposition(name),
                .cacheControl: "no-store",
            ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    /// The blank return written by the same writer `annex write --blank` uses, into a private folder
    /// that is removed at once: a blank is a few kilobytes, so it is answered from memory.
    private func blankReturn(_ template: Template, period: String, units: [String], library: TemplateLibrary) throws -> Data {
        let sheet: Sheet
        do {
            sheet = try BlankReturn.sheet(template: template, period: period, units: units, library: library)
        } catch let error as AnnexError {
            throw ApiError.badInput(error.reason)
        }
        let folder = try Workspace.makeTemporaryFolder(in: workspace.path, prefix: "blank-")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/blank.xlsx"
        let properties = DocumentProperties(title: sheet.cells.first?.value.text, creator: "annex",
                                            custom: DocumentProperties.annex(template: template.id, period: period))
        try XLSXWriter.write(Workbook(sheets: [sheet], properties: properties), to: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ApiError(.internalServerError, "无法读取刚写出的空白报表")
        }
        return data
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
            "period": template.period == .month ? "\(year)-\(month)" : year,
            "id": template.id, "name": template.name, "rows": rows, "columns": columns,
            // The unit rows a blank return can be made for (none: codes or a form).
            "units": template.kind == .table ? template.rows?.order ?? [] : [],
            "merged": merged.map(\.description),
            "cells": cells.map { ["ref": $0.reference.description, "value": $0.value.text] },
        ]
    }
}
