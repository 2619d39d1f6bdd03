import Glibc
internal import CLibXML2

/// HTML (feed descriptions, `content:encoded`, Atom `type="html"`, JSON Feed `content_html`) as the
/// plain text the contract asks for, read with libxml2's forgiving HTML parser rather than patterns.
enum HTMLText {
    /// The words of `html`: text kept, entities decoded, block elements and `<br>` turned into a
    /// space (`<p>Astana</p><p>Summit</p>` is "Astana Summit"), `script`, `style`, `noscript`,
    /// `template` and comments dropped, white space collapsed and trimmed.
    ///
    /// libxml2 reports the document as SAX events and the text is collected as they arrive: no tree
    /// is built (a fifth fewer instructions than building and walking one, measured with callgrind),
    /// and nothing here recurses, so nesting depth costs no stack. libxml2 itself stops reading at
    /// 256 levels of nesting; the text before that point is kept.
    ///
    /// - Returns: the text, or `nil` when there is none.
    static func plainText(fromHTML html: String) -> String? {
        var html = html
        return html.withUTF8 { plainText(fromHTML: $0) }
    }

    /// `plainText(fromHTML:)` for HTML held as UTF-8 bytes, as the feed parser holds its fields.
    static func plainText(fromHTML html: UnsafeBufferPointer<UInt8>) -> String? {
        if let text = SimpleMarkupText.plainText(html) { return text }
        // Text without markup (it was declined for a control character or a non-character) is only collapsed.
        guard html.contains(UInt8(ascii: "<")) || html.contains(UInt8(ascii: "&")) else {
            var text = CollapsedTextBuilder(capacity: html.count)
            text.append(html)
            return text.finish()
        }
        return libxml2PlainText(html)
    }

    /// What `plainText(fromHTML:)` gives for markup `SimpleMarkupText` declines: libxml2's reading.
    static func libxml2PlainText(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let start = bytes.baseAddress, let size = Int32(exactly: bytes.count), size > 0 else { return nil }
        guard let parser = threadParser() else { return nil }
        // Reset after every parse, successful or not: the next field starts from a clean context, and
        // the copy of this field's bytes that libxml2 holds is released now rather than at the next call.
        defer { htmlCtxtReset(parser) }
        // The same input a memory parser context starts with: a private copy of the bytes, no encoding named.
        let buffer = start.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
            xmlParserInputBufferCreateMem(characters, size, XML_CHAR_ENCODING_NONE)
        }
        guard let buffer else { return nil }
        guard let input = xmlNewIOInputStream(parser, buffer, XML_CHAR_ENCODING_NONE) else {
            xmlFreeParserInputBuffer(buffer)
            return nil
        }
        _ = inputPush(parser, input)
        _ = htmlCtxtUseOptions(parser, parseOptions)
        // Swift strings are UTF-8. Saying so through the context's charset, rather than by naming
        // an encoding, spares libxml2 a UTF-8 to UTF-8 conversion pass (a tenth of the time).
        // htmlCtxtReset forgets it, so it is set for every parse.
        parser.pointee.charset = Int32(XML_CHAR_ENCODING_UTF8.rawValue)
        var collector = TextCollector()
        withUnsafeMutablePointer(to: &collector) { collectorPointer in
            parser.pointee.userData = UnsafeMutableRawPointer(collectorPointer)
            _ = htmlParseDocument(parser)
            parser.pointee.userData = nil
        }
        return collector.text.finish()
    }

    /// This thread's HTML parser context, made on first use and reused for every later field: creating
    /// one (its dictionary, stacks and SAX handler) cost as much as parsing a typical description.
    /// Parsing is synchronous and never re-enters `plainText`, so one context per thread is never
    /// shared. It is freed when the thread ends, and replaced once its dictionary of element and
    /// attribute names grows past `maximumRememberedNames` (markup inventing names would grow it forever).
    private static func threadParser() -> htmlParserCtxtPtr? {
        _ = libxml2Initialized
        if let stored = pthread_getspecific(parserKey) {
            let parser = stored.assumingMemoryBound(to: htmlParserCtxt.self)
            if xmlDictSize(parser.pointee.dict) <= maximumRememberedNames { return parser }
            _ = pthread_setspecific(parserKey, nil)
            htmlFreeParserCtxt(parser)
        }
        guard let parser = htmlNewParserCtxt() else { return nil }
        parser.pointee.sax.pointee = makeEventHandler()
        _ = pthread_setspecific(parserKey, parser)
        return parser
    }

    private static let maximumRememberedNames: Int32 = 4_096

    /// The thread-specific slot holding each thread's context; its destructor frees the context at thread exit.
    private static let parserKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { stored in
            if let stored { htmlFreeParserCtxt(stored.assumingMemoryBound(to: htmlParserCtxt.self)) }
        }
        precondition(status == 0, "pthread_key_create failed (\(status)): no thread-specific slot for HTMLText")
        return key
    }()

    /// libxml2 wants `xmlInitParser` before parsers run on several threads at once. FeedParser calls it
    /// too; the call is idempotent, and Swift runs this initializer once, whichever caller comes first.
    private static let libxml2Initialized: Void = xmlInitParser()

    /// Makes sure `xmlInitParser` ran, for callers of libxml2's HTML tables.
    static func initializeLibxml2() {
        _ = libxml2Initialized
    }

    /// Recover from broken markup silently, never touch the network, ignore any `<meta charset>`
    /// inside the fragment (the text is already UTF-8) and add no default doctype. Blank text is
    /// kept (no `HTML_PARSE_NOBLANKS`): the space in `<b>a</b> <i>b</i>` separates two words.
    private static let parseOptions = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)

    /// The SAX events that matter for text; comments, processing instructions and the document
    /// events have no handler, so they are skipped and no tree is built. Built once per thread's
    /// context: the C struct is not `Sendable`, so it cannot be a shared constant.
    private static func makeEventHandler() -> htmlSAXHandler {
        var handler = htmlSAXHandler()
        handler.startElement = { context, name, _ in
            TextCollector.from(context)?.pointee.enter(ElementRole(name: name))
        }
        handler.endElement = { context, name in
            TextCollector.from(context)?.pointee.leave(ElementRole(name: name))
        }
        let characters: charactersSAXFunc = { context, characters, length in
            guard let characters, length > 0 else { return }
            TextCollector.from(context)?.pointee.append(UnsafeBufferPointer(start: characters, count: Int(length)))
        }
        handler.characters = characters
        // Script and style content arrives as CDATA; it is dropped by the collector like any dropped text.
        handler.cdataBlock = characters
        handler.ignorableWhitespace = characters
        return handler
    }
}

/// The text gathered from SAX events, and how many dropped elements (`script`…) are open.
private struct TextCollector {
    var text = CollapsedTextBuilder()
    var droppedDepth = 0

    static func from(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<TextCollector>? {
        context?.assumingMemoryBound(to: TextCollector.self)
    }

    mutating func enter(_ role: ElementRole) {
        switch role {
        case .dropped: droppedDepth += 1
        case .block: text.breakWord()
        case .inline: break
        }
    }

    /// libxml2 closes every element it opened (implied ends included), so the depth count stays balanced.
    mutating func leave(_ role: ElementRole) {
        switch role {
        case .dropped: droppedDepth = max(0, droppedDepth - 1)
        case .block: text.breakWord()
        case .inline: break
        }
    }

    mutating func append(_ characters: UnsafeBufferPointer<UInt8>) {
        if droppedDepth == 0 { text.append(characters) }
    }
}

/// What an HTML element means for the text inside it.
enum ElementRole {
    /// Its text runs on with its neighbours' (`b`, `a`, `span`, unknown elements).
    case inline
    /// It starts and ends a word (`p`, `div`, `br`, `li`, `td`, headings…).
    case block
    /// Its content is not text for a reader (`script`, `style`, `noscript`, `template`).
    case dropped

    init(name: UnsafePointer<xmlChar>?) {
        guard let name, let key = ElementRole.key(of: name) else {
            self = .inline
            return
        }
        self = ElementRole.roles[key] ?? .inline
    }

    /// An element name packed six bits a character (a–z, 0–9), so looking it up builds no `String`;
    /// `nil` for names longer than ten characters or with other characters, which are never block elements.
    private static func key(of name: UnsafePointer<xmlChar>) -> UInt64? {
        var key: UInt64 = 0
        var index = 0
        while name[index] != 0 {
            guard index < 10 else { return nil }
            let character = name[index] | 0x20
            switch character {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): key = key << 6 | UInt64(character - UInt8(ascii: "a") + 1)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): key = key << 6 | UInt64(character - UInt8(ascii: "0") + 27)
            default: return nil
            }
            index += 1
        }
        return key
    }

    private static let roles: [UInt64: ElementRole] = {
        var roles: [UInt64: ElementRole] = [:]
        let blocks = [
            "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details",
            "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frame",
            "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "iframe", "legend", "li",
            "main", "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td",
            "tfoot", "th", "thead", "title", "tr", "ul", "audio", "video", "object",
        ]
        for name in blocks { roles[key(ofASCII: name)] = .block }
        for name in ["script", "style", "noscript", "template"] { roles[key(ofASCII: name)] = .dropped }
        return roles
    }()

    /// The role of the element named `name` (lower-case ASCII).
    init(asciiName name: String) {
        self = ElementRole.roles[ElementRole.key(ofASCII: name)] ?? .inline
    }

    private static func key(ofASCII name: String) -> UInt64 {
        let terminated = Array(name.utf8) + [0]
        return key(of: terminated) ?? 0
    }
}
