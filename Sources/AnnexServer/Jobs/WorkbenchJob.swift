import Foundation

/// One kind of job the workbench runs (check, merge, normalize): the `annex` command line it runs
/// in the job's `in/` folder, and how the command's output becomes the answer.
protocol WorkbenchJob: Sendable {
    /// Prepares the uploads (e.g. unpacks zips) and answers the arguments, `shared` (the server's
    /// `--templates` and `--archive`) among them; throws `ApiError` (400) for a form that cannot be used.
    func arguments(for form: UploadForm, in folder: JobFolder, shared: [String]) throws -> [String]

    /// The answer's JSON object from the finished command; `publish` makes result URLs of files
    /// in `out/` (download name → path). Throws `ApiError` when the command could not do its job.
    func answer(_ outcome: JobProcess.Outcome, form: UploadForm, folder: JobFolder,
                publish: ([String: String]) async -> [String: String]) async throws -> [String: Any]
}

extension WorkbenchJob {
    func requireFiles(_ form: UploadForm) throws {
        if form.files.isEmpty { throw ApiError.badInput("请选择至少一个文件（表单字段 files）") }
    }

    /// The command's messages as one error, each line without the `annex: ` prefix.
    func failure(_ outcome: JobProcess.Outcome, form: UploadForm) -> ApiError {
        let text = outcome.messages.map { $0.hasPrefix("annex: ") ? String($0.dropFirst(7)) : $0 }.joined(separator: "\n")
        return .badInput(text.isEmpty ? "无法处理上传的文件：\(form.files.map(\.storedName).joined(separator: "、"))" : text)
    }

    /// A JSON file the command wrote, nil when it wrote none.
    func readJSON(_ path: String) -> Any? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONSerialization.jsonObject(with: data)
    }
}
