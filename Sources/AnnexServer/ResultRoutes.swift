import Foundation
import Hummingbird

/// `GET /api/results/<token>/<name>`: a finished job's file, under its Chinese name.
struct ResultRoutes {
    let results: ResultStore

    static func url(token: String, name: String) -> String {
        "/api/results/\(token)/" + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? name)
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/api/results/{token}/{name}") { request, context in
            guard let token = context.parameters.get("token"),
                  let name = context.parameters.get("name")?.removingPercentEncoding,
                  let path = await results.file(token: token, name: name) else {
                throw ApiError.notFound
            }
            // Streamed from disk in chunks: a normalized dataset can be large.
            let body = try await FileIO().loadFile(path: path, context: context)
            return Response(status: .ok, headers: [
                .contentType: Self.contentType(name),
                .contentDisposition: Self.disposition(name),
                .cacheControl: "no-store",
            ], body: body)
        }
    }

    /// RFC 6266 with RFC 5987's `filename*` for the Chinese name, and an ASCII fallback.
    static func disposition(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" })
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "!#$&+-.^_`|~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    static func contentType(_ name: String) -> String {
        switch UploadNames.extensionOf(name).lowercased() {
        case ".xlsx": return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case ".zip": return "application/zip"
        case ".csv": return "text/csv; charset=utf-8"
        case ".json": return "application/json; charset=utf-8"
        default: return "application/octet-stream"
        }
    }
}
