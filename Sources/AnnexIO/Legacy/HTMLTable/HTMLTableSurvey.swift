#if canImport(Glibc)
import Glibc
#endif

/// The first pass over an HTML document: how many tables it holds, each one's `<caption>`, and the
/// page `<title>`, from which the sheet names are made (`HTMLTableSheetSource`).
final class HTMLTableSurvey: HTMLEventHandler {
    /// The caption of each table in the order of their start tags (nil when it has none).
    private(set) var captions: [String?] = []
    private(set) var title: String?
    private var openTables: [Int] = []
    private var capturing: Target?
    private let text = HTMLCellText(limit: 1024)

    private enum Target { case caption(Int), title }

    func startElement(_ name: UnsafePointer<UInt8>, attributes: HTMLAttributes) throws {
        if strcmp(name, "table") == 0 {
            guard openTables.count < HTMLTableRowReader.maximumNesting else { return }
            openTables.append(captions.count)
            captions.append(nil)
        } else if strcmp(name, "caption") == 0, let table = openTables.last, captions[table] == nil {
            begin(.caption(table))
        } else if strcmp(name, "title") == 0, openTables.isEmpty, title == nil {
            begin(.title)
        } else if strcmp(name, "br") == 0, capturing != nil {
            text.lineBreak()
        }
    }

    func endElement(_ name: UnsafePointer<UInt8>) throws {
        if strcmp(name, "table") == 0 {
            end()
            _ = openTables.popLast()
        } else if strcmp(name, "caption") == 0 || strcmp(name, "title") == 0 {
            end()
        }
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
