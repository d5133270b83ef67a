import AnnexIO
import Foundation

/// `POST /api/check`: `annex check --format json --annotate ../out/annotated FILES…`; the findings,
/// one zip of the marked copies, and the files that could not be used (the others are still checked).
struct CheckJob: WorkbenchJob {
    static let annotatedName = "标注副本.zip"

    func arguments(for form: UploadForm, in folder: JobFolder, shared: [String]) throws -> [String] {
        try requireFiles(form)
        var arguments = ["check", "--format", "json", "--annotate", "../out/annotated"]
        if let template = form.field("template") { arguments += ["--template", template] }
        return arguments + shared + ["--"] + form.files.map(\.storedName)
    }

    func answer(_ outcome: JobProcess.Outcome, form: UploadForm, folder: JobFolder,
                publish: ([String: String]) async -> [String: String]) async throws -> [String: Any] {
        // Exit 2 with findings on stdout: some files were unusable, the others were checked.
        guard outcome.status == 0 || outcome.status == 1 || (outcome.status == 2 && !outcome.stdout.isEmpty),
              let findings = try? JSONSerialization.jsonObject(with: outcome.stdout) else {
            throw failure(outcome, form: form)
        }
        var answer: [String: Any] = ["findings": findings, "errors": fileErrors(outcome.messages, form: form)]
        let copies = folder.output + "/annotated"
        if let names = try? FileManager.default.contentsOfDirectory(atPath: copies), !names.isEmpty {
            let zip = folder.output + "/" + Self.annotatedName
            try Self.zip(names.sorted().map { (name: $0, path: copies + "/" + $0) }, to: zip)
            answer["annotated"] = await publish([Self.annotatedName: zip])[Self.annotatedName]
        }
        return answer
    }

    /// `annex: FILE：reason` (FILE possibly followed by `，sheet，cell`) → `{"file", "error"}`,
    /// the file recognised among the uploads' names (longest first: a name may contain `，`).
    func fileErrors(_ messages: [String], form: UploadForm) -> [[String: String]] {
        let names = form.files.map(\.storedName).sorted { $0.count > $1.count }
        return messages.compactMap { line in
            guard line.hasPrefix("annex: ") else { return nil }
            let message = String(line.dropFirst(7))
            let file = names.first { message.hasPrefix($0) } ?? ""
            var reason = Substring(message.dropFirst(file.count))
            if reason.first == "：" { reason = reason.dropFirst() }
            return ["file": file, "error": file.isEmpty ? message : String(reason.hasPrefix("，") ? reason.dropFirst() : reason)]
        }
    }

    static func zip(_ files: [(name: String, path: String)], to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw ApiError(.internalServerError, "无法写出标注副本的压缩包")
        }
        defer { try? handle.close() }
        let writer = ZipWriter { bytes in handle.write(Data(bytes)) }
        for file in files {
            guard let bytes = FileManager.default.contents(atPath: file.path) else { continue }
            try writer.addEntry(file.name, Array(bytes))
        }
        try writer.finish()
    }
}
