import AnnexArchive
import AnnexCore
import ArgumentParser

/// `--archive DB` of check, merge and normalize.
struct ArchiveOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite 档案库：按上月数据核对本月完成（环比）和目标任务；merge、normalize 还把读到的报表存入。", valueName: "DB"))
    var archive: String?

    /// The archive; `creating` for commands that store (merge, normalize), not for check.
    func open(creating: Bool) throws -> Archive? {
        try archive.map { try Archive(path: $0, creating: creating) }
    }
}
