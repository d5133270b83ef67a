#if canImport(Glibc)
import Glibc
#endif

/// The first pass over an HTML document: how many tables it holds, each one's `<caption>`, and the
/// page `<title>`, from which the sheet names are made (`HTMLTableSheetSource`); and the CSS of its
/// `<style>` blocks, for the number formats of Excel's export (`HTMLClassFormats`).
final class HTMLTableSurvey: HTMLEventHandler {
    /// The caption of each table in the order of their start tags (nil when it has none).
    private(set) var captions: [String?] = []
    private(set) var title: String?
    /// The text of every `<style>` block, up to `maximumCSS` bytes.
    private(set) var css: [UInt8] = []
    private var inStyle = false
    /// Excel's export of a large sheet has a few hundred classes; beyond this, styles are ignored.
    static let maximumCSS = 4 << 20
    private var openTables: [Int] = []
    private var capturing: Target?
    private let text = HTMLCellText(limit: 1024)
    private let file: String

    init(file: String) { self.file = file }

    private enum Target { case caption(Int), title }

    func startElement(_ name: UnsafePointer<UInt8>, attributes: HTMLAttributes) throws {
        if strcmp(name, "table") == 0 {
            guard openTables.count < HTMLTableRowReader.maximumNesting else {
                throw AnnexError(file: file, reason: "表格嵌套超过 \(HTMLTableRowReader.maximumNesting) 层，无法读取")
            }
            openTables.append(captions.count)
            captions.append(nil)
        } else if strcmp(name, "caption") == 0, let table = openTables.last, captions[table] == nil {
            begin(.caption(table))
        } else if strcmp(name, "title") == 0, openTables.isEmpty, title == nil {
            begin(.title)
        } else if strcmp(name, "br") == 0, capturing != nil {
            text.lineBreak()
        } else if strcmp(name, "style") == 0 {
            inStyle = true
        }
    }

    func endElement(_ name: UnsafePointer<UInt8>) throws {
        if strcmp(name, "table") == 0 {
            end()
            _ = openTables.popLast()
        } else if strcmp(name, "caption") == 0 || strcmp(name, "title") == 0 {
            end()
        } else if strcmp(name, "style") == 0 {
            inStyle = false
        }
    }

    func rawText(_ bytes: UnsafeRawBufferPointer) throws {
        if inStyle, css.count + bytes.count <= Self.maximumCSS { css += bytes }
    }

    func characters(_ bytes: UnsafeRawBufferPointer) throws {
        if capturing != nil { text.append(bytes) }
    }

    private func begin(_ target: Target) {
        end()
        capturing = target
        text.reset()
    }

    private func end() {
        guard let target = capturing else { return }
        capturing = nil
        let value = text.finishedOnOneLine()
        guard !value.isEmpty else { return }
        switch target {
        case .caption(let table): captions[table] = value
        case .title: title = value
        }
    }
}
