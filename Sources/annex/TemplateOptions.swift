import AnnexCore
import ArgumentParser

/// `--templates DIR`: the user's own layouts, added to the built-in ones.
struct TemplateOptions: ParsableArguments {
    @Option(name: .customLong("templates"), help: ArgumentHelp("再加载这个目录中的模板（可重复）；同 id 覆盖内置模板。", valueName: "DIR"))
    var directories: [String] = []

    func library() throws -> TemplateLibrary {
        try TemplateLibrary.standard(extra: directories)
    }
}
