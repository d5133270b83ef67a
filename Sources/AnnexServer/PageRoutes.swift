import Hummingbird

/// The workbench page, compiled in (the server works offline): `GET /`, `/workbench.css`, `/workbench.js`.
struct PageRoutes {
    /// Only the page's own files; no inline script, no other site.
    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in Self.page(WorkbenchPage.html, type: "text/html; charset=utf-8") }
        router.get("/workbench.css") { _, _ in Self.page(WorkbenchPage.css, type: "text/css; charset=utf-8") }
        router.get("/workbench.js") { _, _ in Self.page(WorkbenchPage.script, type: "text/javascript; charset=utf-8") }
    }

    private static func page(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [
            .contentType: type,
            .cacheControl: "no-cache",
            .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            .init("Referrer-Policy")!: "no-referrer",
        ], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
