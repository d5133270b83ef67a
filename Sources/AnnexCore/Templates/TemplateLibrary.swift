import Foundation

/// The templates and registries in force: the built-in ones plus any folder given with `--templates`.
public struct TemplateLibrary: Sendable {
    public private(set) var templates: [Template] = []
    public private(set) var registries: [String: UnitRegistry] = [:]

    public init() {}

    /// Loads every `*.json` of each folder (and `registries/*.json` below it). A later folder's
    /// template replaces an earlier one with the same id.
    public static func load(directories: [String]) throws -> TemplateLibrary {
        var library = TemplateLibrary()
        for directory in directories {
            try library.add(directory: directory)
        }
        return library
    }

    /// The built-in layouts, compiled into the binary from the package's `templates/` folder.
    public static func builtIn() throws -> TemplateLibrary {
        var library = TemplateLibrary()
        for file in BuiltInTemplateFiles.files {
            try library.add(json: Data(file.text.utf8), path: "templates/" + file.path)
        }
        return library
    }

    /// The built-in layouts, then `$ANNEX_TEMPLATES` and the user's folders, each adding layouts or
    /// replacing those with the same id.
    public static func standard(extra: [String] = []) throws -> TemplateLibrary {
        var library = try builtIn()
        var folders = extra
        if let configured = ProcessInfo.processInfo.environment["ANNEX_TEMPLATES"], !configured.isEmpty {
            folders.insert(configured, at: 0)
        }
        for folder in folders {
            try library.add(directory: folder)
        }
        return library
    }

    mutating func add(directory: String) throws {
        let url = URL(fileURLWithPath: directory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw AnnexError(file: directory, reason: "无法读取模板目录")
        }
        for name in names.sorted() where name.hasSuffix(".json") {
            let file = url.appendingPathComponent(name)
            try add(json: try Self.contents(of: file), path: file.path)
        }
        let registryFolder = url.appendingPathComponent("registries")
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: registryFolder.path)) ?? []).sorted()
        where name.hasSuffix(".json") {
            let file = registryFolder.appendingPathComponent(name)
            try add(json: try Self.contents(of: file), path: file.path)
        }
    }

    /// Adds one template or registry file: a registry when it sits in a `registries` folder.
    mutating func add(json: Data, path: String) throws {
        let decoder = JSONDecoder()
        let parts = path.split(separator: "/")
        if parts.dropLast().last == "registries" {
            do {
                let registry = try decoder.decode(UnitRegistry.self, from: json)
                registries[registry.id] = registry
            } catch {
                throw AnnexError(file: path, reason: "单位名录无法解析：\(Self.describe(error))")
            }
            return
        }
        let template: Template
        do {
            template = try decoder.decode(Template.self, from: json)
        } catch {
            throw AnnexError(file: path, reason: "模板无法解析：\(Self.describe(error))")
        }
        guard template.id + ".json" == parts.last.map(String.init) else {
            throw AnnexError(file: path, reason: "模板 id“\(template.id)”与文件名不一致")
        }
        templates.removeAll { $0.id == template.id }
        templates.append(template)
    }

    private static func contents(of file: URL) throws -> Data {
        do {
            return try Data(contentsOf: file)
        } catch {
            throw AnnexError(file: file.path, reason: "无法读取（\(error.localizedDescription)）")
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
