internal import CLibXML2

/// HTML (feed descriptions, `content:encoded`, Atom `type="html"`, JSON Feed `content_html`) as the
/// plain text the contract asks for, read with libxml2's forgiving HTML parser rather than patterns.
enum HTMLText {
    /// The words of `html`: text kept, entities decoded, block elements and `<br>` turned into a
    /// space (`<p>Astana</p><p>Summit</p>` is "Astana Summit"), `script`, `style`, `noscript`,
    /// `template` and comments dropped, white space collapsed and trimmed.
    ///
    /// - Returns: the text, or `nil` when there is none.
    static func plainText(fromHTML html: String) -> String? {
        if !html.utf8.contains(UInt8(ascii: "<")) && !html.utf8.contains(UInt8(ascii: "&")) {
            return PlainText.collapse(html)
        }
        var html = html
        return html.withUTF8 { bytes -> String? in
            guard let start = bytes.baseAddress, let size = Int32(exactly: bytes.count) else { return nil }
            let document = start.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
                htmlReadMemory(characters, size, nil, "UTF-8", parseOptions)
            }
            guard let document else { return nil }
            defer { xmlFreeDoc(document) }
            return collectText(under: document)
        }
    }

    /// Recover from broken markup silently, never touch the network, ignore any `<meta charset>`
    /// inside the fragment (the text is already UTF-8) and add no default doctype. Blank text nodes
    /// are kept (no `HTML_PARSE_NOBLANKS`): the space in `<b>a</b> <i>b</i>` separates two words.
    private static let parseOptions = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue | HTML_PARSE_COMPACT.rawValue
            | HTML_PARSE_IGNORE_ENC.rawValue)

    /// Walks the tree in document order with parent and sibling links instead of recursion, so a
    /// document nested ten thousand levels deep costs no stack.
    private static func collectText(under document: htmlDocPtr) -> String? {
        var text = CollapsedTextBuilder()
        var cursor = document.pointee.children
        while let node = cursor {
            var descend = false
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                let role = ElementRole(name: node.pointee.name)
                if role == .block { text.breakWord() }
                descend = role != .dropped && node.pointee.children != nil
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content {
                    text.append(UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                }
            default:
                break
            }
            if descend {
                cursor = node.pointee.children
                continue
            }
            cursor = nil
            var current = node
            while true {
                if let next = current.pointee.next {
                    cursor = next
                    break
                }
                guard let parent = current.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { break }
                if ElementRole(name: parent.pointee.name) == .block { text.breakWord() }
                current = parent
            }
        }
        return text.finish()
    }
}

/// What an HTML element means for the text inside it.
private enum ElementRole {
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

    private static func key(ofASCII name: String) -> UInt64 {
        let terminated = Array(name.utf8) + [0]
        return key(of: terminated) ?? 0
    }
}
