internal import CLibXML2

/// Receives the SAX events of one document, in order.
///
/// Pointers passed to these methods are valid only during the call.
protocol XMLEventHandler: AnyObject {
    /// Whether parsing should end now; checked after each event.
    var wantsToStop: Bool { get }
    func startElement(_ element: XMLElementStart)
    func characters(_ text: UnsafeBufferPointer<UInt8>)
    func endElement()
    /// A message from libxml2 about malformed markup, already trimmed, with its line.
    func markupProblem(_ message: String, line: Int)
    /// An end tag that does not match the open element. libxml2 reports this just before ending the open element
    /// in its place; the handler may close the element the tag names instead and skip that next end event.
    func endTagMismatched(writtenName: String)
    /// A reference to an external entity, which is never loaded.
    func externalEntitySkipped(_ name: String)
    /// libxml2's own amplification guard stopped an entity expansion (it halts the parse).
    func entityExpansionRefused()
    /// The running total of bytes produced by entity references, checked against the expansion budget.
    func entityReferenced(contentLength: Int) -> Bool
}

/// One start tag as libxml2 reports it through SAX2, namespaces resolved.
struct XMLElementStart {
    let localName: UnsafePointer<UInt8>
    let namespaceURI: UnsafePointer<UInt8>?
    fileprivate let attributeCount: Int
    fileprivate let attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?

    /// The value of the attribute `name` in `namespace` (`nil` for an unprefixed attribute).
    func attribute(_ name: StaticString, namespace: StaticString? = nil) -> String? {
        guard let attributes else { return nil }
        for index in 0..<attributeCount {
            let base = attributes + index * 5
            guard let localName = base[0], XMLNames.equal(localName, name) else { continue }
            switch (namespace, base[2]) {
            case (nil, nil): break
            case (let expected?, let actual?) where XMLNames.equal(actual, expected): break
            default: continue
            }
            guard let start = base[3], let end = base[4] else { return "" }
            return String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
        }
        return nil
    }
}

/// Comparisons of libxml2's NUL-terminated names without building Swift strings.
enum XMLNames {
    static func equal(_ name: UnsafePointer<UInt8>, _ expected: StaticString) -> Bool {
        expected.withUTF8Buffer { bytes in
            for (index, byte) in bytes.enumerated() where name[index] != byte { return false }
            return name[bytes.count] == 0
        }
    }

    static func string(_ name: UnsafePointer<UInt8>) -> String { String(cString: name) }
}

/// Owns one libxml2 push parser (SAX2) and feeds it UTF-8 chunks.
///
/// SAX rather than a tree or `xmlTextReader`: events arrive as bytes with lengths, nothing is kept once an item
/// ends, and there is no per-node tree to build and free. The parser context is the SAX `ctx` libxml2's own
/// DTD handlers expect, so this object travels in the context's `_private` field.
///
/// Options: recovery (keep going through broken markup), `XML_PARSE_NONET`, and `XML_PARSE_IGNORE_ENC` because the
/// bytes were already transcoded to UTF-8 by ``InputDecoder``. Never `XML_PARSE_NOENT` (expands entities, loads
/// external ones), `XML_PARSE_DTDLOAD` or `XML_PARSE_HUGE` (lifts the built-in amplification and depth limits).
final class XMLPushParser {
    private let context: xmlParserCtxtPtr
    private let handler: any XMLEventHandler
    private(set) var isStopped = false
    private var hasEnded = false

    private static let libraryReady: Void = xmlInitParser()

    init(handler: any XMLEventHandler) {
        _ = Self.libraryReady
        self.handler = handler
        var sax = xmlSAXHandler()
        xmlSAXVersion(&sax, 2)
        // Unused SAX1 and tree-building callbacks would otherwise build a DOM we never read.
        sax.startElement = nil
        sax.endElement = nil
        sax.startElementNs = { context, localName, _, namespaceURI, _, _, attributeCount, _, attributes in
            guard let localName else { return }
            XMLPushParser.withOwner(of: context) { parser in
                parser.handler.startElement(
                    XMLElementStart(
                        localName: localName, namespaceURI: namespaceURI, attributeCount: Int(attributeCount),
                        attributes: attributes))
                parser.stopIfAsked()
            }
        }
        sax.endElementNs = { context, _, _, _ in
            XMLPushParser.withOwner(of: context) { $0.handler.endElement() }
        }
        sax.characters = { context, bytes, length in
            guard let bytes else { return }
            XMLPushParser.withOwner(of: context) { parser in
                parser.handler.characters(UnsafeBufferPointer(start: bytes, count: Int(length)))
            }
        }
        sax.cdataBlock = sax.characters
        sax.ignorableWhitespace = sax.characters
        sax.comment = nil
        sax.processingInstruction = nil
        // External entities and DTDs are never fetched, whatever the document asks for.
        sax.resolveEntity = { _, _, _ in nil }
        sax.externalSubset = { _, _, _, _ in }
        sax.getEntity = { context, name in
            guard let entity = xmlSAX2GetEntity(context, name) else { return nil }
            return XMLPushParser.withOwner(of: context) { parser in
                // Only internal entities are expanded; an external one is reported as undefined instead of loaded.
                guard entity.pointee.etype == XML_INTERNAL_GENERAL_ENTITY else {
                    parser.handler.externalEntitySkipped(name.map { String(cString: $0) } ?? "")
                    return nil
                }
                guard parser.handler.entityReferenced(contentLength: Int(entity.pointee.length)) else {
                    parser.stopIfAsked()
                    return nil
                }
                return entity
            }
        }
        sax.serror = { context, error in
            guard let error else { return }
            XMLPushParser.withOwner(of: context) { parser in
                if error.pointee.code == Int32(XML_ERR_ENTITY_LOOP.rawValue) {
                    parser.handler.entityExpansionRefused()
                    parser.stopIfAsked()
                    return
                }
                let message = error.pointee.message.map { String(cString: $0) } ?? "malformed markup"
                parser.handler.markupProblem(message.trimmingWhitespace(), line: Int(error.pointee.line))
                if error.pointee.code == Int32(XML_ERR_TAG_NAME_MISMATCH.rawValue), let written = error.pointee.str2 {
                    parser.handler.endTagMismatched(writtenName: String(cString: written))
                }
                parser.stopIfAsked()
            }
        }
        context = xmlCreatePushParserCtxt(&sax, nil, nil, 0, nil)
        let options =
            Int32(XML_PARSE_RECOVER.rawValue) | Int32(XML_PARSE_NONET.rawValue)
            | Int32(XML_PARSE_IGNORE_ENC.rawValue) | Int32(XML_PARSE_NOWARNING.rawValue)
        xmlCtxtUseOptions(context, options)
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        if let document = context.pointee.myDoc {
            xmlFreeDoc(document)
            context.pointee.myDoc = nil
        }
        xmlFreeParserCtxt(context)
    }

    /// Runs `body` with the parser that owns `context`, unless it has stopped. The parser outlives every
    /// callback (it owns the context that makes them), so none takes a reference of its own: they run for
    /// every tag and every piece of text.
    private static func withOwner<Result>(
        of context: UnsafeMutableRawPointer?, _ body: (XMLPushParser) -> Result?
    ) -> Result? {
        guard let context else { return nil }
        let parserContext = context.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let raw = parserContext.pointee._private else { return nil }
        return Unmanaged<XMLPushParser>.fromOpaque(raw)._withUnsafeGuaranteedRef { parser in
            parser.isStopped ? nil : body(parser)
        }
    }

    /// Hands libxml2 the next UTF-8 bytes; `isLast` ends the document, and later calls do nothing.
    func feed(_ bytes: UnsafeBufferPointer<UInt8>, isLast: Bool) {
        guard !isStopped, !hasEnded else { return }
        hasEnded = isLast
        bytes.withMemoryRebound(to: CChar.self) { chars in
            _ = xmlParseChunk(context, chars.baseAddress, Int32(chars.count), isLast ? 1 : 0)
        }
    }

    private func stopIfAsked() {
        if handler.wantsToStop { stop() }
    }

    /// Ends parsing now: no further events are delivered.
    func stop() {
        guard !isStopped else { return }
        isStopped = true
        xmlStopParser(context)
    }
}

extension String {
    /// Without leading and trailing ASCII whitespace (libxml2 messages end in a newline).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
