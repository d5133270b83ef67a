import Foundation
import PackagePlugin

/// Compiles the package's `templates/` folder (every `*.json`, registries included) into the target
/// as Swift source, so that an installed `annex` binary finds its built-in layouts anywhere: SwiftPM
/// resources land in a `*.resources` folder beside the build products and a copied binary loses them
/// (ENGINEERING-NOTES.md). `templates/` stays the data files the layouts are edited in.
@main
struct EmbedTemplates: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "templates")
        let files = (FileManager.default.subpaths(atPath: folder.path) ?? [])
            .filter { $0.hasSuffix(".json") }
            .sorted()
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltInTemplateFiles.swift")
        return [.buildCommand(
            displayName: "Embedding \(files.count) template files",
            executable: try context.tool(named: "EmbedFiles").url,
            arguments: [output.path, folder.path] + files,
            inputFiles: files.map { folder.appending(path: $0) },
            outputFiles: [output])]
    }
}
