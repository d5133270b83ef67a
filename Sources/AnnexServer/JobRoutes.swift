import Foundation
import Hummingbird

/// `POST /api/check`, `/api/merge`, `/api/normalize`: receive the upload, run the job, answer once
/// with JSON, or, for `Accept: application/x-ndjson`, stream `{"queued":N}`, `{"progress":…}` and
/// finally `{"result":…}` or `{"error":…,"status":…}`, one per line.
struct JobRoutes {
    let runner: JobRunner
    let workspace: Workspace
    let maxUploadBytes: Int

    func add(to router: Router<BasicRequestContext>) {
        router.post("/api/check") { request, _ in try await handle(request, CheckJob()) }
        router.post("/api/merge") { request, _ in try await handle(request, MergeJob()) }
        router.post("/api/normalize") { request, _ in try await handle(request, NormalizeJob()) }
    }

    private func handle(_ request: Request, _ job: some WorkbenchJob) async throws -> Response {
        let folder = try workspace.makeJobFolder()
        let form: UploadForm
        do {
            form = try await UploadForm.receive(request, into: folder, maxBytes: maxUploadBytes)
        } catch {
            folder.remove()
            throw error
        }
        guard request.headers[.accept]?.contains("application/x-ndjson") == true else {
            switch await runner.run(job, form: form, folder: folder, events: { _ in }) {
            case .success(let answer): return JSONAnswer.response(answer)
            case .failure(let error): throw error
            }
        }
        let runner = self.runner
        let body = ResponseBody { writer in
            let (events, sink) = AsyncStream<JobEvent>.makeStream()
            // The job runs beside the writer; closing the stream ends the writer's loop.
            async let finished: Void = {
                let outcome = await runner.run(job, form: form, folder: folder, events: { sink.yield($0) })
                switch outcome {
                case .success(let answer): sink.yield(.result(answer))
                case .failure(let error): sink.yield(.error(error))
                }
                sink.finish()
            }()
            for await event in events {
                try await writer.write(ByteBuffer(bytes: event.line))
            }
            await finished
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson; charset=utf-8", .cacheControl: "no-cache"],
                        body: body)
    }
}
