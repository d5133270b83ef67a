import AnnexCore
import ArgumentParser
import Foundation

struct Templates: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "列出可用的模板（附件格式）。",
        discussion: """
        内置模板编译在程序中（来自仓库的 templates/ 目录），复制到任何位置都能用；环境变量 ANNEX_TEMPLATES
        和 --templates DIR 指定的目录再加入用户自己的模板（同 id 的替换内置模板）。
        文件格式见 templates/README.md：新增一种格式只需新增一个 JSON 文件，不用改代码。
        """)

    @Flag(name: .long, help: "以 JSON 输出（id、name、kind、period、columns、source）。")
    var json = false

    @OptionGroup var templates: TemplateOptions

    func run() throws {
        let library = try templates.library()
        let output = StandardOutput()
        if json {
            try output.write(Array(TemplateListing.json(library)))
        } else {
            for template in library.templates {
                let shape = template.kind == .table ? "\(template.valueColumns.count) 列" : "表单"
                try output.write("\(template.id)\t\(template.name)\t\(template.period == .month ? "月报" : "年度")\t\(shape)\n")
            }
        }
        try output.flush()
    }
}
