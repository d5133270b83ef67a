import Foundation

/// Runs a job from its received upload to its answer: waits for a place in the queue, runs the
/// `annex` child process, turns its output into the answer and publishes the result files.
/// Tells what happens as `JobEvent`s; removes the job folder unless results were published.
struct JobRunner: Sendable {
    let queue: JobQueue
    let results: ResultStore
    let process: JobProcess
    /// Options every job's command takes (`--templates`, `--archive`).
    let sharedArguments: [String]

    /// The answer as JSON, or the error to give.
    func run(_ job: some WorkbenchJob, form: UploadForm, folder: JobFolder,
             events: @escaping @Sendable (JobEvent) -> Void) async -> Result<Data, ApiError> {
        var published = false
        defer { if !published { folder.remove() } }
        do {
            let shared = sharedArguments
            let outcome = try await queue.run(place: { events(.queued($0)) }) {
                // Inside the queue: preparing may unpack a large zip.
                let arguments = try job.arguments(for: form, in: folder, shared: shared)
                return try await process.run(arguments, in: folder.input, stdoutFile: folder.path + "/stdout",
                                      progress: { events(.progress(done: $0, total: $1)) })
            }
            if outcome.timedOut {
                throw ApiError(.internalServerError, "处理 \(fileList(form)) 超过了时间上限（\(Int(process.timeout)) 秒），已终止")
            }
            guard outcome.status != nil else {
                throw ApiError(.internalServerError, "处理 \(fileList(form)) 时读取程序意外终止（文件可能已损坏），其他请求不受影响")
            }
            let answer = try await job.answer(outcome, form: form, folder: folder) { files in
                published = true
                let token = await results.publish(folder, files: files)
                return files.keys.reduce(into: [:]) { urls, name in urls[name] = ResultRoutes.url(token: token, name: name) }
            }
            return .success(try JSONAnswer.encode(answer))
        } catch let error as ApiError {
            return .failure(error)
        } catch is CancellationError {
            return .failure(ApiError(.serviceUnavailable, "服务正在停止，\(fileList(form)) 未处理"))
        } catch {
            return .failure(ApiError(.internalServerError, "处理 \(fileList(form)) 时出错（\(error)）"))
        }
    }

    private func fileList(_ form: UploadForm) -> String {
        let names = form.files.map(\.storedName)
        return names.count <= 3 ? names.joined(separator: "、") : names.prefix(3).joined(separator: "、") + " 等 \(names.count) 个文件"
    }
}

/// What a streamed answer (`Accept: application/x-ndjson`) tells, one JSON line each.
enum JobEvent: Sendable {
    /// Waiting, with this many jobs ahead.
    case queued(Int)
    case progress(done: Int, total: Int)
    case result(Data)
    case error(ApiError)

    var line: Data {
        switch self {
        case .queued(let ahead): return Data("{\"queued\":\(ahead)}\n".utf8)
        case .progress(let done, let total): return Data("{\"progress\":{\"done\":\(done),\"total\":\(total)}}\n".utf8)
        case .result(let answer): return Data("{\"result\":".utf8) + answer + Data("}\n".utf8)
        case .error(let error):
            let object: [String: Any] = ["error": error.message, "status": Int(error.status.code)]
            return ((try? JSONAnswer.encode(object)) ?? Data()) + Data("\n".utf8)
        }
    }
}
