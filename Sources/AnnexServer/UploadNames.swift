/// Turns the file name a browser sends (a display name the user chose, never trusted as a path)
/// into a safe name inside the job folder, and keeps the names of one job distinct.
struct UploadNames {
    private var taken = Set<String>()

    /// The last component of `raw` (`/`, `\` and drive letters all separate), without NUL, control
    /// characters or leading dots; "上传文件" when nothing usable is left. The extension is kept.
    static func baseName(_ raw: String) -> String {
        let lastComponent = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(String.UnicodeScalarView(lastComponent.unicodeScalars.filter { scalar in
            !(scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || scalar == ":")
        }))
        var name = Substring(cleaned)
        while name.first == "." || name.first == " " { name = name.dropFirst() }
        while name.last == " " { name = name.dropLast() }
        // Linux allows 255 bytes per component; keep the extension when shortening.
        var result = String(name)
        if result.utf8.count > 200 {
            let ext = extensionOf(result)
            var stem = String(result.dropLast(ext.count))
            while stem.utf8.count + ext.utf8.count > 200 { stem.removeLast() }
            result = stem + ext
        }
        return result.isEmpty ? "上传文件" : result
    }

    /// A relative path from a zip member name: each component cleaned like a base name, `..` and
    /// `.` dropped. Nil for folders and for hidden members (`.name`, `__MACOSX/`), which a folder
    /// walk would leave out too.
    static func relativePath(_ raw: String) -> [String]? {
        let parts = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).map(String.init)
        guard let last = parts.last, !raw.hasSuffix("/"), !raw.hasSuffix("\\") else { return nil }
        var components: [String] = []
        for part in parts where part != "." && part != ".." {
            if part.hasPrefix(".") || part == "__MACOSX" { return nil }
            components.append(baseName(part))
        }
        return components.isEmpty || last.isEmpty ? nil : components
    }

    /// `name`, or `name (2).ext`, `name (3).ext`… when an earlier upload of the job has it.
    mutating func claim(_ name: String) -> String {
        var candidate = name
        var number = 2
        while taken.contains(candidate.lowercased()) {
            let ext = Self.extensionOf(name)
            candidate = "\(name.dropLast(ext.count)) (\(number))\(ext)"
            number += 1
        }
        taken.insert(candidate.lowercased())
        return candidate
    }

    /// `.xlsx` of `a.b.xlsx`; empty without a dot (or for a name that is only an extension).
    static func extensionOf(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[dot...])
    }
}
