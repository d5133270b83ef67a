import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// The attributes of one HTML start tag as libxml2 gives them: name/value pairs, names lowercased,
/// entities in values decoded; a value is nil for an attribute written without one (`x:num`).
struct HTMLAttributes {
    let pairs: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?

    /// Whether the attribute is present, and its value if it has one.
    func value(_ name: StaticString) -> (present: Bool, value: String?) {
        guard let pairs else { return (false, nil) }
        var index = 0
        while let attribute = pairs[index] {
            if strcmp(attribute, name.utf8Start) == 0 {
                return (true, pairs[index + 1].map { String(cString: $0) })
            }
            index += 2
        }
        return (false, nil)
    }
}

/// Receives the parse events. Throwing stops the parse; `HTMLPushParser.feed` rethrows the error.
protocol HTMLEventHandler: AnyObject {
    /// `name` is the lowercased tag name, NUL-terminated, valid during the call.
    func startElement(_ name: UnsafePointer<UInt8>, attributes: HTMLAttributes) throws
    func endElement(_ name: UnsafePointer<UInt8>) throws
    /// Text with entities decoded (`&nbsp;` is U+00A0), in UTF-8, whole characters.
    func characters(_ bytes: UnsafeRawBufferPointer) throws
    /// The raw content of `<style>` and `<script>`, which is never cell text.
    func rawText(_ bytes: UnsafeRawBufferPointer) throws
}

extension HTMLEventHandler {
    func rawText(_ bytes: UnsafeRawBufferPointer) throws {}
}

/// libxml2's HTML push parser, fed UTF-8: it repairs what browsers repair (unclosed `<td>`, `<tr>`,
/// stray end tags, missing `<html>`/`<body>`), so every file gives a stream of events and nothing
/// is held but the open elements.
///
/// Options: `HTML_PARSE_NONET` (no network), `HTML_PARSE_IGNORE_ENC` (the text is already UTF-8;
/// the page's `<meta charset>` must not switch the decoder), `HTML_PARSE_RECOVER`. HTML is repaired,
/// never refused, so parse errors are swallowed by our own handler (libxml2 prints them to stderr
/// otherwise); the content of `<script>` and `<style>` comes as raw text, apart from cell text.
final class HTMLPushParser {
    private final class Context {
        let handler: HTMLEventHandler
        var failure: Error?
        var parser: htmlParserCtxtPtr?

        init(handler: HTMLEventHandler) { self.handler = handler }

        func fail(_ error: Error) {
            if failure == nil { failure = error }
            if let parser { xmlStopParser(parser) }
        }
    }

    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    private let context: Context
    private var parser: htmlParserCtxtPtr?
    private var handlerStorage = htmlSAXHandler()
    private let file: String

    init(handler: HTMLEventHandler, file: String) {
        _ = Self.initialized
        self.file = file
        context = Context(handler: handler)
        // SAX2 magic makes libxml2 send errors to `serror`; the HTML parser still calls the
        // SAX1-style element callbacks below.
        handlerStorage.initialized = UInt32(XML_SAX2_MAGIC)
        handlerStorage.startElement = { ctx, name, attributes in
            let context = Unmanaged<Context>.fromOpaque(ctx!).takeUnretainedValue()
            guard context.failure == nil, let name else { return }
            do {
                try context.handler.startElement(name, attributes: HTMLAttributes(pairs: attributes))
            } catch {
                context.fail(error)
            }
        }
        handlerStorage.endElement = { ctx, name in
            let context = Unmanaged<Context>.fromOpaque(ctx!).takeUnretainedValue()
            guard context.failure == nil, let name else { return }
            do {
                try context.handler.endElement(name)
            } catch {
                context.fail(error)
            }
        }
        let characters: charactersSAXFunc = { ctx, bytes, length in
            let context = Unmanaged<Context>.fromOpaque(ctx!).takeUnretainedValue()
            guard context.failure == nil, let bytes, length > 0 else { return }
            do {
                try context.handler.characters(UnsafeRawBufferPointer(start: bytes, count: Int(length)))
            } catch {
                context.fail(error)
            }
        }
        handlerStorage.characters = characters
        // White space that libxml2 judges ignorable still separates words inside a cell.
        handlerStorage.ignorableWhitespace = characters
        // Script and style text arrives here; without this handler it would come as characters.
        handlerStorage.cdataBlock = { ctx, bytes, length in
            let context = Unmanaged<Context>.fromOpaque(ctx!).takeUnretainedValue()
            guard context.failure == nil, let bytes, length > 0 else { return }
            do {
                try context.handler.rawText(UnsafeRawBufferPointer(start: bytes, count: Int(length)))
            } catch {
                context.fail(error)
            }
        }
        handlerStorage.serror = { _, _ in }
    }

    deinit {
        if let parser { htmlFreeParserCtxt(parser) }
    }

    /// Parses one more chunk of UTF-8; `final` after the last.
    func feed(_ chunk: UnsafeRawBufferPointer, final: Bool = false) throws {
        if parser == nil {
            let ctx = Unmanaged.passUnretained(context).toOpaque()
            parser = htmlCreatePushParserCtxt(&handlerStorage, ctx, nil, 0, nil, XML_CHAR_ENCODING_UTF8)
            guard let parser else { throw AnnexError(file: file, reason: "无法创建 HTML 解析器") }
            context.parser = parser
            let options = HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NODEFDTD.rawValue | HTML_PARSE_IGNORE_ENC.rawValue
            htmlCtxtUseOptions(parser, Int32(options))
        }
        var remaining = chunk
        // htmlParseChunk takes an Int32 size.
        repeat {
            let piece = UnsafeRawBufferPointer(rebasing: remaining.prefix(1 << 30))
            remaining = UnsafeRawBufferPointer(rebasing: remaining.dropFirst(piece.count))
            let last = final && remaining.isEmpty
            _ = piece.withMemoryRebound(to: CChar.self) { chars in
                htmlParseChunk(parser, chars.baseAddress, Int32(chars.count), last ? 1 : 0)
            }
            if let failure = context.failure { throw failure }
        } while !remaining.isEmpty
    }
}
