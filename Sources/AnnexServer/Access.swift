import Foundation
import Hummingbird

/// Who may use the API. With a token (`--token` / `ANNEX_TOKEN`) every `/api` request but
/// `session` and `login` carries it, as `Authorization: Bearer T` or the `annex_token` cookie that
/// `POST /api/login` sets. A POST from a page of another site (its `Origin` is not the Host it
/// was sent to) is refused whatever it carries: a browser adds the cookie to such requests too.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?

    static var cookieName: String { "annex_token" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .post, let origin = request.headers[.origin], !Self.sameOrigin(origin, host: request.head.authority) {
            throw ApiError(.forbidden, "拒绝来自其他网站（\(origin)）的请求：请直接在工作台页面中操作")
        }
        let path = request.uri.path
        if path.hasPrefix("/api/"), path != "/api/session", path != "/api/login", !authenticated(request) {
            throw ApiError(.unauthorized, "需要口令：请在工作台页面输入口令，或在请求中加 Authorization: Bearer 口令")
        }
        return try await next(request, context)
    }

    func authenticated(_ request: Request) -> Bool {
        guard let token else { return true }
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer "),
           Self.constantTimeEqual(String(authorization.dropFirst(7)), token) {
            return true
        }
        if let cookie = request.cookies[Self.cookieName], let value = cookie.value.removingPercentEncoding,
           Self.constantTimeEqual(value, token) {
            return true
        }
        return false
    }

    static func cookieValue(_ token: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return token.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// `Origin: http://host:port` names the same site as `Host: host:port`.
    static func sameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host, let url = URL(string: origin), let originHost = url.host else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        let bracketed = originHost.contains(":") ? url.port.map { "[\(originHost)]:\($0)" } ?? "[\(originHost)]" : originAuthority
        return host.lowercased() == originAuthority.lowercased() || host.lowercased() == bracketed.lowercased()
    }

    /// Compares every byte whatever the first difference, so the time taken tells nothing about the token.
    static func constantTimeEqual(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<b.count {
            difference |= (index < a.count ? a[index] : 0) ^ b[index]
        }
        return difference == 0
    }
}

/// `GET /api/session` and `POST /api/login`: how the page learns whether to ask for the token,
/// and trades it for an HttpOnly cookie.
struct SessionRoutes {
    let access: AccessMiddleware<BasicRequestContext>

    func add(to router: Router<BasicRequestContext>) {
        router.get("/api/session") { request, _ in
            JSONAnswer.response(try JSONAnswer.encode([
                "tokenRequired": access.token != nil,
                "authenticated": access.authenticated(request),
            ]))
        }
        router.post("/api/login") { request, _ in
            let body = try await request.body.collect(upTo: 64 << 10)
            guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                  let given = object["token"] as? String else {
                throw ApiError.badInput("登录请求应为 JSON：{\"token\": \"口令\"}")
            }
            guard let token = access.token else { return Response(status: .noContent) }
            guard AccessMiddleware<BasicRequestContext>.constantTimeEqual(given, token) else {
                throw ApiError(.unauthorized, "口令不对")
            }
            // The cookie holds the token itself (percent-encoded, as a cookie value allows few
            // characters): nothing to store on the server, nothing lost at restart.
            let cookie = try Cookie.validated(name: AccessMiddleware<BasicRequestContext>.cookieName,
                                              value: AccessMiddleware<BasicRequestContext>.cookieValue(given),
                                              path: "/", httpOnly: true, sameSite: .strict)
            return Response(status: .noContent, headers: [.setCookie: cookie.description])
        }
    }
}
