import AnnexCore
import ArgumentParser

/// Options shared by the commands that read spreadsheets.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "CSV 输入的编码：utf-8 或 gb18030（默认自动识别：BOM → UTF-8 → GB18030）。")
    var encoding: String?

    @Flag(name: .long, help: "解除 zip 炸弹防护上限（解压总量 8 GiB、压缩比 400:1），仅用于可信文件。")
    var noZipLimits = false

    func csvOptions() throws -> CSVReadOptions {
        var options = CSVReadOptions()
        if let encoding {
            guard let parsed = TextEncoding(name: encoding) else {
                throw ValidationError("--encoding 只能是 utf-8 或 gb18030，而不是“\(encoding)”")
            }
            options.encoding = parsed
        }
        return options
    }

    var zipLimits: ZipLimits { noZipLimits ? .unlimited : ZipLimits() }

    func open(_ path: String) throws -> SheetSource {
        try Spreadsheet.open(path: path, csv: try csvOptions(), zipLimits: zipLimits)
    }
}
