import Foundation
import Hummingbird

/// An answer that went wrong: `{"error": "…"}` in Chinese with its status (SPEC.md: 400 unusable
/// input, 401 missing or wrong token, 403 a foreign page, 404, 413 too large).
struct ApiError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    static func badInput(_ message: String) -> ApiError { ApiError(.badRequest, message) }
    static func tooLarge(limit: Int) -> ApiError {
        ApiError(.contentTooLarge, "上传的文件太大：一次最多 \(limit >> 20) MB（可用 --max-upload-mb 调整）")
    }
    static let notFound = ApiError(.notFound, "没有这个地址，或结果已过期（结果保留一小时）")

    var json: Data {
        (try? JSONSerialization.data(withJSONObject: ["error": message], options: [.withoutEscapingSlashes])) ?? Data()
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONAnswer.response(json, status: status)
    }
}

/// Every error leaves the server as `ApiError` JSON: a router's 404, Hummingbird's own errors and
/// anything unforeseen (logged, answered without details) alike. The server keeps serving.
struct ErrorJSONMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ApiError {
            throw error
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: throw ApiError.notFound
            case .contentTooLarge: throw ApiError(.contentTooLarge, "上传的内容太大")
            case .methodNotAllowed: throw ApiError(.methodNotAllowed, "这个地址不接受 \(request.method.rawValue) 请求")
            default: throw ApiError(error.status, error.body ?? "请求无法处理（\(error.status.code)）")
            }
        } catch {
            context.logger.error("request failed", metadata: ["uri": "\(request.uri)", "error": "\(error)"])
            throw ApiError(.internalServerError, "服务器内部错误，请重试；如再次出现请告知管理员")
        }
    }
}

/// JSON bodies with the right content type.
enum JSONAnswer {
    static func response(_ json: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }

    static func encode(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
