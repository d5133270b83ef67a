import AnnexIO
import Foundation

/// `POST /api/normalize`: `annex normalize PATHS… -o ../out/dataset.csv --report ../out/report.json`;
/// a `.zip` counts as its files, unpacked into a folder of the same name (the walk then takes its
/// spreadsheets only, as for a folder).
struct NormalizeJob: WorkbenchJob {
    static let datasetName = "dataset.csv"
    static let reportName = "report.json"

    func arguments(for form: UploadForm, in folder: JobFolder, shared: [String]) throws -> [String] {
        try requireFiles(form)
        var paths: [String] = []
        var names = UploadNames()
        for file in form.files { _ = names.claim(file.storedName) }
        for file in form.files {
            if file.storedName.lowercased().hasSuffix(".zip") {
                let stem = String(file.storedName.dropLast(4))
                let target = names.claim(stem.isEmpty ? "压缩包" : stem)
                try ZipUpload.unpack(folder.input + "/" + file.storedName, into: folder.input + "/" + target, displayName: file.storedName)
                try? FileManager.default.removeItem(atPath: folder.input + "/" + file.storedName)
                paths.append(target)
            } else {
                paths.append(file.storedName)
            }
        }
        return ["normalize", "-o", "../out/" + Self.datasetName, "--report", "../out/" + Self.reportName]
            + shared + ["--"] + paths
    }

    func answer(_ outcome: JobProcess.Outcome, form: UploadForm, folder: JobFolder,
                publish: ([String: String]) async -> [String: String]) async throws -> [String: Any] {
        let reportPath = folder.output + "/" + Self.reportName
        guard outcome.status != nil, var report = readJSON(reportPath) as? [String: Any] else { throw failure(outcome, form: form) }
        // The command saw `../out/dataset.csv`; the user sees the download's name.
        if let output = report["output"] as? String, !output.isEmpty { report["output"] = Self.datasetName }
        let dataset = folder.output + "/" + Self.datasetName
        var files = [Self.reportName: reportPath]
        if FileManager.default.fileExists(atPath: dataset) { files[Self.datasetName] = dataset }
        let urls = await publish(files)
        var answer: [String: Any] = ["report": report, "reportFile": urls[Self.reportName] ?? ""]
        if let url = urls[Self.datasetName] { answer["dataset"] = url }
        return answer
    }
}
