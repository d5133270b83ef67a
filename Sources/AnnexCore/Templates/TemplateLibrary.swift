import Foundation

/// The templates and registries in force: the built-in ones plus any folder given with `--templates`.
public struct TemplateLibrary: Sendable {
    public private(set) var templates: [Template] = []
    public private(set) var registries: [String: UnitRegistry] = [:]

    public init() {}

    /// Loads every `*.json` of each folder (and `registries/*.json` below it). A later folder's
    /// template replaces a built-in one with the same id.
    public static func load(directories: [String]) throws -> TemplateLibrary {
        var library = TemplateLibrary()
        for directory in directories {
            try library.add(directory: directory)
        }
        return library
    }

    /// The built-in templates: `$ANNEX_TEMPLATES`, else the `templates/` folder of the package the
    /// binary was built in or run from (found by walking up from the executable and the working directory).
    public static func builtInDirectory() -> String? {
        if let configured = ProcessInfo.processInfo.environment["ANNEX_TEMPLATES"], !configured.isEmpty {
            return configured
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let starts = [executable.deletingLastPathComponent(), URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        for start in starts {
            var folder = start
            for _ in 0..<8 {
                let candidate = folder.appendingPathComponent("templates")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("employment-training-1.json").path) {
                    return candidate.path
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// The built-in templates plus the user's folders.
    public static func standard(extra: [String] = []) throws -> TemplateLibrary {
        guard let builtIn = builtInDirectory() else {
            throw AnnexError(file: "templates", reason: "找不到内置模板目录；请设置环境变量 ANNEX_TEMPLATES 指向仓库中的 templates 目录")
        }
        return try load(directories: [builtIn] + extra)
    }

    mutating func add(directory: String) throws {
        let url = URL(fileURLWithPath: directory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw AnnexError(file: directory, reason: "无法读取模板目录")
        }
        let decoder = JSONDecoder()
        for name in names.sorted() where name.hasSuffix(".json") {
            let file = url.appendingPathComponent(name)
            let template: Template
            do {
                template = try decoder.decode(Template.self, from: try Data(contentsOf: file))
            } catch {
                throw AnnexError(file: file.path, reason: "模板无法解析：\(Self.describe(error))")
            }
            guard template.id + ".json" == name else {
                throw AnnexError(file: file.path, reason: "模板 id“\(template.id)”与文件名不一致")
            }
            templates.removeAll { $0.id == template.id }
            templates.append(template)
        }
        let registryFolder = url.appendingPathComponent("registries")
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: registryFolder.path)) ?? []).sorted()
        where name.hasSuffix(".json") {
            let file = registryFolder.appendingPathComponent(name)
            do {
                let registry = try decoder.decode(UnitRegistry.self, from: try Data(contentsOf: file))
                registries[registry.id] = registry
            } catch {
                throw AnnexError(file: file.path, reason: "单位名录无法解析：\(Self.describe(error))")
            }
        }
    }

    public func template(_ id: String) throws -> Template {
        guard let template = templates.first(where: { $0.id == id }) else {
            throw AnnexError(file: id, reason: "没有这个模板；现有模板：\(templates.map(\.id).joined(separator: "、"))")
        }
        return template
    }

    public func registry(for template: Template) -> UnitRegistry? {
        template.rows?.registry.flatMap { registries[$0] }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "缺少字段“\(key.stringValue)”（位置：\(context.codingPath.map(\.stringValue).joined(separator: "."))）"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            return "\(context.debugDescription)（位置：\(context.codingPath.map(\.stringValue).joined(separator: "."))）"
        default:
            return "\(error)"
        }
    }
}
