import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The spreadsheet files under a list of paths, as `annex normalize` and `annex merge` take them:
/// folders walked recursively, `.xlsx`, `.xlsm`, `.xls` and `.csv` files taken (any case), hidden files and folders
/// (`.name`) left out, Excel's lock files (`~$name.xlsx`) left out with a note. A file named on the
/// command line is taken whatever its extension (its content decides how it is opened), unless it
/// is a lock file. The list is sorted by path (UTF-8 byte order) and each file appears once, however
/// it was reached (same device and inode).
public struct FileWalk: Sendable {
    /// A file left out, and why (shown in the report).
    public struct Skipped: Sendable, Hashable {
        public var file: String
        public var reason: String
    }

    public var files: [String] = []
    public var skipped: [Skipped] = []
    /// Folders that could not be listed: (folder, why).
    public var unreadable: [Skipped] = []

    /// The extensions taken from folders.
    public static let extensions = [".xlsx", ".xlsm", ".xls", ".csv"]

    /// Walks `paths`. A path that does not exist is an error (the command line cannot be used);
    /// `excluding` names files never to take (the command's own output and report).
    public init(_ paths: [String], excluding: [String] = []) throws {
        let excluded = Set(excluding.compactMap(FileWalk.identity))
        var seen = Set<FileIdentity>()
        var visitedFolders = Set<FileIdentity>()
        var found: [String] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw AnnexError(file: path, reason: "找不到这个文件或目录（\(String(cString: strerror(errno))))）")
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walk(folder: path, into: &found, visited: &visitedFolders)
            } else if FileWalk.isLockFile(path) {
                skipped.append(Skipped(file: path, reason: FileWalk.lockFileNote))
            } else {
                found.append(path)
            }
        }
        found.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for file in found {
            guard let identity = FileWalk.identity(file) else {
                files.append(file)  // unreadable metadata: let the reader say why
                continue
            }
            if excluded.contains(identity) { continue }
            if seen.insert(identity).inserted { files.append(file) }
        }
        skipped.sort { $0.file.utf8.lexicographicallyPrecedes($1.file.utf8) }
    }

    static let lockFileNote = "Excel 锁定文件（~$ 开头，文件在 Excel 中打开时生成），不是报表，已跳过"

    /// `~$book.xlsx`: the owner file Excel keeps while a workbook is open.
    public static func isLockFile(_ path: String) -> Bool {
        (path.split(separator: "/").last.map(String.init) ?? path).hasPrefix("~$")
    }

    private mutating func walk(folder: String, into found: inout [String], visited: inout Set<FileIdentity>) {
        // Following links to folders is allowed; a folder already walked (a link cycle) is not walked again.
        guard let identity = FileWalk.identity(folder), visited.insert(identity).inserted else { return }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            unreadable.append(Skipped(file: folder, reason: "无法列出目录中的文件"))
            return
        }
        let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !name.hasPrefix(".") {
            let path = base.isEmpty ? "/" + name : base + "/" + name
            var info = stat()
            guard stat(path, &info) == 0 else { continue }  // a dangling link
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                walk(folder: path, into: &found, visited: &visited)
            case S_IFREG:
                let lowered = name.lowercased()
                guard FileWalk.extensions.contains(where: { lowered.hasSuffix($0) }) else { continue }
                if name.hasPrefix("~$") {
                    skipped.append(Skipped(file: path, reason: FileWalk.lockFileNote))
                } else {
                    found.append(path)
                }
            default:
                continue
            }
        }
    }

    struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    static func identity(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
