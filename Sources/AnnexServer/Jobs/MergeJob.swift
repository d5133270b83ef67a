import Foundation

/// `POST /api/merge`: `annex merge FILES… --template T -o ../out/附件.xlsx --report ../out/report.json`;
/// the report, the findings on the merged annex, and the annex when one was written (a conflict
/// or no usable return writes none, but still a report).
struct MergeJob: WorkbenchJob {
    static let annexName = "附件.xlsx"

    func arguments(for form: UploadForm, in folder: JobFolder, shared: [String]) throws -> [String] {
        try requireFiles(form)
        guard let template = form.field("template") else { throw ApiError.badInput("请选择附件的模板（表单字段 template）") }
        var arguments = ["merge", "--template", template, "-o", "../out/" + Self.annexName, "--report", "../out/report.json"]
        if let period = form.field("period") { arguments += ["--period", period] }
        // `prefer` names an upload as the user knows it; the command sees its stored name.
        for preferred in form.fields["prefer", default: []] where !preferred.isEmpty {
            guard let file = form.files.first(where: { $0.displayName == preferred || $0.storedName == preferred
                || $0.storedName == UploadNames.baseName(preferred) }) else {
                throw ApiError.badInput("优先采用的文件 \(preferred) 不在上传的文件中")
            }
            arguments += ["--prefer", file.storedName]
        }
        return arguments + shared + ["--"] + form.files.map(\.storedName)
    }

    func answer(_ outcome: JobProcess.Outcome, form: UploadForm, folder: JobFolder,
                publish: ([String: String]) async -> [String: String]) async throws -> [String: Any] {
        guard outcome.status != nil, var report = readJSON(folder.output + "/report.json") as? [String: Any] else {
            throw failure(outcome, form: form)
        }
        // The command saw `../out/附件.xlsx`; the user sees the download's name.
        if report["output"] != nil { report["output"] = Self.annexName }
        var answer: [String: Any] = ["report": report, "findings": report["findings"] ?? [Any]()]
        let annex = folder.output + "/" + Self.annexName
        if outcome.status != 2, FileManager.default.fileExists(atPath: annex) {
            answer["annex"] = await publish([Self.annexName: annex])[Self.annexName]
        }
        return answer
    }
}
