import AnnexCore

/// `annex archive list`: the listing as text for people or JSON for programs.
public enum ArchiveListingReport {
    public static func text(_ listing: Archive.Listing) -> String {
        guard !listing.files.isEmpty else { return "档案库是空的。\n" }
        var out = ""
        for period in listing.periods {
            let replaced = period.replacedVersions > 0 ? "，另有 \(period.replacedVersions) 个被替换的版本" : ""
            out += "\(period.template) \(period.period)：\(period.units.count) 个单位，\(period.files.count) 个文件\(replaced)\n"
            out += "  单位：\(period.units.joined(separator: "、"))\n"
        }
        out += "文件（\(listing.files.count) 个）：\n"
        for file in listing.files {
            out += "  \(file.path)  \(file.bytes) 字节  SHA-256 \(file.sha256.prefix(12))…  存入于 \(file.addedAt)\n"
        }
        return out
    }

    public static func json(_ listing: Archive.Listing) -> String {
        func string(_ text: String) -> String {
            var bytes: [UInt8] = []
            JSONString.append(text, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        func strings(_ list: [String]) -> String { "[" + list.map(string).joined(separator: ", ") + "]" }
        let periods = listing.periods.map { period in
            "{\"template\": \(string(period.template)), \"period\": \(string(period.period)), \"units\": \(strings(period.units)), "
                + "\"files\": \(strings(period.files)), \"replaced_versions\": \(period.replacedVersions)}"
        }
        let files = listing.files.map { file in
            "{\"path\": \(string(file.path)), \"sha256\": \(string(file.sha256)), \"bytes\": \(file.bytes), \"added_at\": \(string(file.addedAt))}"
        }
        return "{\"periods\": [\n  " + periods.joined(separator: ",\n  ") + "\n], \"files\": [\n  "
            + files.joined(separator: ",\n  ") + "\n]}\n"
    }
}
