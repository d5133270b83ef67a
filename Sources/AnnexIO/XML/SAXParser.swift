import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// An element or attribute name as libxml2 hands it over: NUL-terminated UTF-8, valid only during
/// the callback. Compared without building Strings, because sheets have millions of elements.
public struct XMLName {
    public let localName: UnsafePointer<UInt8>
    public let namespace: UnsafePointer<UInt8>?

    /// True when the local name is `name` (any namespace).
    @inline(__always)
    public func `is`(_ name: StaticString) -> Bool {
        strcmp(localName, name.utf8Start) == 0
    }

    public var localNameString: String { String(cString: localName) }
    public var namespaceString: String? { namespace.map { String(cString: $0) } }
}

/// The attributes of one start tag, as (local name, namespace, value) without copies.
public struct XMLAttributes {
    let base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    public let count: Int

    /// The value of the attribute whose local name is `name` (any namespace), as raw bytes.
    @inline(__always)
    public func bytes(_ name: StaticString) -> UnsafeRawBufferPointer? {
        guard let base else { return nil }
        for index in 0..<count {
            let field = base + index * 5
            if strcmp(field[0]!, name.utf8Start) == 0 {
                return UnsafeRawBufferPointer(start: field[3], count: field[4]! - field[3]!)
            }
        }
        return nil
    }

    /// The value as a String.
    public func string(_ name: StaticString) -> String? {
        bytes(name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The value of the attribute with this local name in a namespace that satisfies `inNamespace`.
    public func string(_ name: StaticString, inNamespace: (String) -> Bool) -> String? {
        guard let base else { return nil }
        for index in 0..<count {
            let field = base + index * 5
            if strcmp(field[0]!, name.utf8Start) == 0, let ns = field[2], inNamespace(String(cString: ns)) {
                return String(decoding: UnsafeRawBufferPointer(start: field[3], count: field[4]! - field[3]!), as: UTF8.self)
            }
        }
        return nil
    }
}

/// Receives the parse events. Throwing stops the parse; the error is rethrown by `SAXParser`.
public protocol SAXHandler: AnyObject {
    func startElement(_ name: XMLName, attributes: XMLAttributes) throws
    func endElement(_ name: XMLName) throws
    func characters(_ bytes: UnsafeRawBufferPointer) throws
}

/// A push parser over libxml2's SAX2 interface: feed it the chunks a zip member inflates to.
///
/// Safety (SPEC.md "Limit ... XML entity expansion"): OOXML parts may not carry a DTD (ECMA-376
/// Part 2, M1.17), so any DOCTYPE stops the parse before an entity can be declared or expanded;
/// the network is off (`XML_PARSE_NONET`) and entities are never substituted (no `XML_PARSE_NOENT`).
/// Errors go to our structured handler, never to stderr.
public final class SAXParser {
    private final class Context {
        let handler: SAXHandler
        let file: String
        let partName: String
        var failure: Error?
        var parserError: String?
        var context: xmlParserCtxtPtr?

        init(handler: SAXHandler, file: String, partName: String) {
            self.handler = handler
            self.file = file
            self.partName = partName
        }

        /// Records the first failure and stops libxml2; `feed` rethrows it.
        func fail(_ error: Error) {
            if failure == nil { failure = error }
            if let context { xmlStopParser(context) }
        }

        func fail(reason: String) {
            fail(AnnexError(file: file, location: partName, reason: reason))
        }
    }

    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    private let context: Context
    private var parser: xmlParserCtxtPtr?
    private var handlerStorage = xmlSAXHandler()
    private var consumedAtCreation = 0
    private let file: String
    private let ignoringDeclaredEncoding: Bool

    /// - Parameters:
    ///   - file: the file, for messages.
    ///   - partName: the zip member, for messages.
    ///   - ignoringDeclaredEncoding: the bytes fed are UTF-8 whatever `<?xml encoding?>` says (the
    ///     caller decoded them: `XML_PARSE_IGNORE_ENC`).
    public init(handler: SAXHandler, file: String, partName: String, ignoringDeclaredEncoding: Bool = false) {
        _ = Self.initialized
        self.file = file
        self.ignoringDeclaredEncoding = ignoringDeclaredEncoding
        context = Context(handler: handler, file: file, partName: partName)
        handlerStorage.initialized = UInt32(XML_SAX2_MAGIC)
        handlerStorage.startElementNs = { ctx, localName, _, uri, _, _, attributeCount, _, attributes in
            let context = Unmanaged<Context>.fromOpaque(ctx!).takeUnretainedValue()
            guard context.failure == nil, let localName else { return }
            do {
                try context.handler.startElement(
                    XMLName(localName: localName, namespace: uri),
                    attributes: XMLAttributes(base: attributes, count: Int(attributeCount)))
            } catch {
                context.fail(error)
            }
        }
        handlerStorage.endElementNs = { ctx, localName, _, uri in
            let context = Unmanaged<Context>.fromOpaque(ctx!).takeUnretainedValue()
            guard context.failure == nil, let localName else { return }
            do {
                try context.handler.endElement(XMLName(localName: localName, namespace: uri))
            } catch {
                context.fail(error)
            }
        }
        let characters: charactersSAXFunc = { ctx, bytes, length in
            let context = Unmanaged<Context>.fromOpaque(ctx!).takeUnretainedValue()
            guard context.failure == nil else { return }
            do {
                try context.handler.characters(UnsafeRawBufferPointer(start: bytes, count: Int(length)))
            } catch {
                context.fail(error)
            }
        }
        handlerStorage.characters = characters
        handlerStorage.cdataBlock = characters
        handlerStorage.internalSubset = { ctx, _, _, _ in
            let context = Unmanaged<Context>.fromOpaque(ctx!).takeUnretainedValue()
            context.fail(reason: "XML 含有 DTD 声明（OOXML 不允许，表格文件也用不到），为防止实体注入和实体膨胀攻击拒绝读取")
        }
        handlerStorage.serror = { ctx, error in
            guard let ctx, let error else { return }
            let context = Unmanaged<Context>.fromOpaque(ctx).takeUnretainedValue()
            guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            if context.parserError == nil {
                let message = error.pointee.message.map { String(cString: $0) } ?? "未知错误"
                context.parserError = "XML 格式错误（第 \(error.pointee.line) 行）：\(message.trimmingNewlines())"
            }
        }
    }

    deinit {
        if let parser { xmlFreeParserCtxt(parser) }
    }

    /// Parses one more chunk; `final` after the last (an empty final chunk is fine).
    public func feed(_ chunk: UnsafeRawBufferPointer, final: Bool = false) throws {
        if parser == nil {
            // The first bytes let libxml2 detect UTF-16 from the BOM or the declaration.
            let ctx = Unmanaged.passUnretained(context).toOpaque()
            // libxml2 detects the encoding (a UTF-16 BOM or `<?xml` in UTF-16) from the bytes given
            // at creation, so the first four go there and the rest is parsed below.
            let head = min(4, chunk.count)
            parser = chunk.withMemoryRebound(to: CChar.self) { chars in
                xmlCreatePushParserCtxt(&handlerStorage, ctx, chars.baseAddress, Int32(head), nil)
            }
            guard let parser else { throw AnnexError(file: file, location: context.partName, reason: "无法创建 XML 解析器") }
            context.context = parser
            consumedAtCreation = head
            // NONET: no network; no NOENT/DTDLOAD: entities are never loaded or substituted.
            let ignoreEncoding = ignoringDeclaredEncoding ? XML_PARSE_IGNORE_ENC.rawValue : 0
            xmlCtxtUseOptions(parser, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | ignoreEncoding))
            // Encoding and I/O errors are raised without a parser context, so they bypass `serror` and
            // go to this thread's global handler, which prints to stderr: silence it (the parse
            // still fails, with the context's error).
            xmlSetStructuredErrorFunc(nil) { _, _ in }
        }
        let rest = UnsafeRawBufferPointer(rebasing: chunk[consumedAtCreation...])
        consumedAtCreation = 0
        let status = rest.withMemoryRebound(to: CChar.self) { chars in
            xmlParseChunk(parser, chars.baseAddress, Int32(chars.count), final ? 1 : 0)
        }
        if let failure = context.failure { throw failure }
        if status != 0 || context.parserError != nil {
            throw AnnexError(file: file, location: context.partName,
                             reason: context.parserError ?? "XML 格式错误（libxml2 错误码 \(status)）")
        }
    }

    /// Parses a whole document held in memory.
    public static func parse(_ bytes: [UInt8], handler: SAXHandler, file: String, partName: String) throws {
        let parser = SAXParser(handler: handler, file: file, partName: partName)
        try bytes.withUnsafeBytes { try parser.feed($0, final: true) }
    }

    /// Streams a zip member through a handler.
    public static func parse(_ entry: ZipEntry, in zip: ZipReader, handler: SAXHandler) throws {
        let parser = SAXParser(handler: handler, file: zip.path, partName: entry.name)
        try zip.stream(entry) { try parser.feed($0) }
        try parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), final: true)
    }
}

extension String {
    func trimmingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last.isNewline || last == " " { s.removeLast() }
        return String(s)
    }
}
