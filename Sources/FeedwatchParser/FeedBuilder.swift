import FeedwatchCore
import Foundation

/// Builds a ``FeedDocument`` from the SAX events of an RSS, RDF or Atom document, one item at a time.
///
/// The root element decides the format; each open element gets a ``Role`` from its parent's role and its own
/// name, so a `<title>` inside `<image>` or `<source>` never becomes the feed's or the item's title. Text is
/// gathered only inside fields the contract reports, into one reused byte buffer, and each finished item is handed
/// to `onItem` and forgotten: memory follows one item, not the document.
final class FeedBuilder: XMLEventHandler {
    struct Limits {
        var maxDepth: Int
        var maxFieldBytes: Int
        var maxEntityExpansion: Int
    }

    enum PersonOwner { case feed, item }

    enum Role {
        case rssRoot, rdfRoot, atomFeed
        case channel
        case item
        case entry
        case person(PersonOwner)
        case mediaGroup
        case field(FeedField, TextMode)
        /// An element inside a field (inline XHTML or HTML), serialized back into the field's text.
        case markup(name: String?)
        case ignored
    }

    private struct Frame {
        var role: Role
        /// `xml:base` in effect here, else the document's URL.
        var base: String?
        /// The element's local name, to match end tags that libxml2 pairs with the wrong element.
        var name: String
    }

    private let limits: Limits
    private let onItem: (FeedItem) -> Void
    private let documentBase: String?
    /// Set when the rest of the document must be skipped (a limit was hit, or it is not a feed); the parser
    /// checks it after every event.
    private(set) var wantsToStop = false
    private var frames: [Frame] = []
    /// Namespaces met so far, by the URI pointer libxml2 interns: a short list searched in order costs less than
    /// hashing on every element.
    private var namespaces: [(UnsafeRawPointer, FeedNamespace)] = []

    private var format: FeedDocument.Format?
    private(set) var rejection: FeedParseError?
    private(set) var warnings: [String] = []
    private var markupProblemCount = 0
    private static let listedMarkupProblems = 10
    private var entityBytes = 0
    /// End events libxml2 will send for elements already closed here by ``endTagMismatched(writtenName:)``.
    private var endEventsToSkip = 0

    private var channel = ChannelDraft()
    private var sawChannel = false
    private var item = ItemDraft()
    private var itemCount = 0
    private var personName: String?
    private var personEmail: String?

    /// The text of the field being read; one buffer reused for every field. It grows on every piece of text, so
    /// it skips the runtime's exclusivity check: a builder serves one parse on one thread, and libxml2 never calls
    /// back into it while a callback runs.
    @exclusivity(unchecked) private var capture: [UInt8] = []
    private var captureMode: TextMode?
    private var captureHasMarkup = false
    private var captureTruncated = false

    init(baseURL: String?, limits: Limits, onItem: @escaping (FeedItem) -> Void) {
        self.documentBase = baseURL
        self.limits = limits
        self.onItem = onItem
    }

    /// The feed's own fields (items went to `onItem`), or why the document is not a feed.
    func finish(encoding: String?) throws(FeedParseError) -> FeedDocument {
        if let rejection { throw rejection }
        closeAll()
        guard let format else { throw FeedParseError.notAFeed("no XML element was found") }
        if format == .rss10 || format == .rss09, !sawChannel, itemCount == 0 {
            throw FeedParseError.notAFeed("the RDF document has no RSS channel or items")
        }
        return FeedDocument(
            format: format, encoding: encoding, title: channel.title, link: channel.link ?? channel.alternateLink,
            subtitle: channel.subtitle, language: channel.language, updated: channel.updated, items: [],
            warnings: warnings, refreshHint: channel.refreshHint)
    }

    // MARK: - Events

    func startElement(_ element: XMLElementStart) {
        guard frames.count < limits.maxDepth else {
            warnings.append("limit: elements nest deeper than \(limits.maxDepth) levels; the rest was skipped")
            wantsToStop = true
            return
        }
        let parentBase = frames.last?.base ?? documentBase
        var base = parentBase
        if let declared = element.attribute("base", namespace: "http://www.w3.org/XML/1998/namespace") {
            base =
                Self.isPlainWebURL(declared)
                ? declared : URLResolver.resolve(declared, against: parentBase) ?? parentBase
        }
        let name = XMLNames.string(element.localName)
        guard let parent = frames.last else {
            frames.append(Frame(role: rootRole(element, name: name), base: base, name: name))
            return
        }
        let role: Role
        switch parent.role {
        case .field, .markup:
            role = .markup(name: openMarkup(name))
        case .ignored:
            role = .ignored
        default:
            role = childRole(element, name: name, parent: parent.role, base: base)
        }
        if case .field(_, let mode) = role { beginCapture(mode) }
        frames.append(Frame(role: role, base: base, name: name))
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) {
        guard let mode = captureMode else { return }
        // Beside child elements, text is character data, not HTML source: escape it when writing markup.
        if mode == .xhtml || (captureHasMarkup && mode != .plain && mode != .verbatim) {
            appendEscaped(text)
        } else {
            append(text)
        }
    }

    func endElement() {
        if endEventsToSkip > 0 {
            endEventsToSkip -= 1
            return
        }
        close()
    }

    /// libxml2's recovery closes the innermost element for any end tag, so one stray `<b>` in a title would
    /// swallow the rest of the feed. Closing up to the element the tag names keeps the damage local; a tag
    /// naming no open element closes nothing.
    func endTagMismatched(writtenName: String) {
        endEventsToSkip += 1
        let localName = writtenName.split(separator: ":").last.map(String.init) ?? writtenName
        guard let index = frames.lastIndex(where: { $0.name == localName }) else { return }
        while frames.count > index { close() }
    }

    /// Ends every element still open, so a truncated document keeps its last item.
    private func closeAll() {
        while !frames.isEmpty { close() }
    }

    private func close() {
        guard let frame = frames.popLast() else { return }
        switch frame.role {
        case .field(let field, let mode):
            finishField(field, text: capturedText(mode), base: frame.base)
            captureMode = nil
        case .markup(let name?):
            appendTag(name, closing: true)
        case .person(let owner):
            finishPerson(owner)
        case .item, .entry:
            let finished = item.item(inheritingAuthors: isEntry(frame.role) ? channel.authors : [])
            itemCount += 1
            item = ItemDraft()
            onItem(finished)
        default:
            return
        }
    }

    func markupProblem(_ message: String, line: Int) {
        markupProblemCount += 1
        if markupProblemCount <= Self.listedMarkupProblems {
            warnings.append("xml: line \(line): \(message)")
        } else if markupProblemCount == Self.listedMarkupProblems + 1 {
            warnings.append("xml: more markup problems were found and are not listed")
        }
    }

    func entityReferenced(contentLength: Int) -> Bool {
        entityBytes += contentLength
        guard entityBytes > limits.maxEntityExpansion else { return true }
        refuseEntityExpansion("expand to more than \(ByteCount.describe(limits.maxEntityExpansion))")
        return false
    }

    func externalEntitySkipped(_ name: String) {
        guard !skippedExternalEntities.contains(name) else { return }
        skippedExternalEntities.insert(name)
        warnings.append("xml: the external entity &\(name); was not loaded")
    }

    private var skippedExternalEntities: Set<String> = []

    func entityExpansionRefused() {
        refuseEntityExpansion("refer to each other in a loop or expand out of proportion")
    }

    private var refusedEntityExpansion = false

    private func refuseEntityExpansion(_ reason: String) {
        guard !refusedEntityExpansion else { return }
        refusedEntityExpansion = true
        warnings.append("limit: entity references \(reason); the rest of the document was skipped")
        wantsToStop = true
    }

    // MARK: - Roles

    private func namespace(of element: XMLElementStart) -> FeedNamespace {
        guard let uri = element.namespaceURI else { return .none }
        let key = UnsafeRawPointer(uri)
        for (known, namespace) in namespaces where known == key { return namespace }
        let resolved = FeedNamespace(uri: XMLNames.string(uri))
        if namespaces.count < Self.rememberedNamespaces { namespaces.append((key, resolved)) }
        return resolved
    }

    /// A feed declares a handful of namespaces; only a hostile document declares more, and it pays for them.
    private static let rememberedNamespaces = 32

    private func rootRole(_ element: XMLElementStart, name: String) -> Role {
        let space = namespace(of: element)
        switch (name, space) {
        case ("rss", .none):
            let version = element.attribute("version") ?? ""
            format = version.hasPrefix("2") ? .rss20 : .rss09
            return .rssRoot
        case ("RDF", .rdf):
            format = .rss10
            return .rdfRoot
        case ("feed", .atom10):
            format = .atom10
            channel.language = element.attribute("lang", namespace: "http://www.w3.org/XML/1998/namespace")
            return .atomFeed
        case ("feed", .atom03), ("feed", .none):
            format = .atom03
            channel.language = element.attribute("lang", namespace: "http://www.w3.org/XML/1998/namespace")
            return .atomFeed
        default:
            reject(rootElement: name)
            return .ignored
        }
    }

    private func reject(rootElement name: String) {
        let reason =
            switch name.lowercased() {
            case "html": "the document is an HTML page"
            case "opml": "the document is OPML, a list of feeds"
            case "channel": "the document is CDF (Channel Definition Format)"
            default: "the root element is <\(name)>, not <rss>, <rdf:RDF> or <feed>"
            }
        rejection = .notAFeed(reason)
        wantsToStop = true
    }

    private func childRole(_ element: XMLElementStart, name: String, parent: Role, base: String?) -> Role {
        let space = namespace(of: element)
        switch parent {
        case .rssRoot:
            guard space.isRSS else { return .ignored }
            switch name {
            case "channel":
                sawChannel = true
                return .channel
            case "item": return .item
            default: return .ignored
            }
        case .rdfRoot:
            guard space.isRSS else { return .ignored }
            if space == .rss090 { format = .rss09 }
            switch name {
            case "channel":
                sawChannel = true
                return .channel
            case "item":
                item.rdfAbout = element.attribute("about", namespace: "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
                return .item
            default: return .ignored
            }
        case .channel:
            return channelRole(name, space, element, base: base)
        case .atomFeed:
            return atomFeedRole(name, space, element, base: base)
        case .item, .entry, .mediaGroup:
            return itemRole(name, space, element, base: base)
        case .person:
            guard space.isAtom || (space == .none && format == .atom03) else { return .ignored }
            switch name {
            case "name": return .field(.personName, .plain)
            case "email": return .field(.personEmail, .verbatim)
            default: return .ignored
            }
        case .field, .markup, .ignored:
            return .ignored
        }
    }

    private func channelRole(
        _ name: String, _ space: FeedNamespace, _ element: XMLElementStart, base: String?
    ) -> Role {
        switch space {
        case .none, .rss10, .rss090:
            switch name {
            case "title": return .field(.feedTitle, .maybeHTML)
            case "link": return .field(.feedLink, .verbatim)
            case "description": return .field(.feedSubtitle, .maybeHTML)
            case "language": return .field(.feedLanguage, .verbatim)
            case "lastBuildDate": return .field(.feedLastBuildDate, .verbatim)
            case "pubDate": return .field(.feedPubDate, .verbatim)
            case "ttl": return .field(.feedTimeToLive, .verbatim)
            case "item": return .item
            default: return .ignored
            }
        case .dublinCore:
            switch name {
            case "date": return .field(.feedDCDate, .verbatim)
            case "language": return .field(.feedLanguage, .verbatim)
            default: return .ignored
            }
        case .syndication:
            switch name {
            case "updatePeriod": return .field(.feedUpdatePeriod, .verbatim)
            case "updateFrequency": return .field(.feedUpdateFrequency, .verbatim)
            default: return .ignored
            }
        case .atom10:
            switch name {
            case "link":
                if channel.alternateLink == nil { channel.alternateLink = alternateLink(element, base: base) }
                return .ignored
            case "updated": return .field(.feedAtomUpdated, .verbatim)
            default: return .ignored
            }
        default:
            return .ignored
        }
    }

    private func atomFeedRole(
        _ name: String, _ space: FeedNamespace, _ element: XMLElementStart, base: String?
    ) -> Role {
        guard space.isAtom || (space == .none && format == .atom03) else { return .ignored }
        switch name {
        case "title": return .field(.feedTitle, atomTextMode(element))
        case "subtitle", "tagline": return .field(.feedSubtitle, atomTextMode(element))
        case "link":
            if channel.alternateLink == nil { channel.alternateLink = alternateLink(element, base: base) }
            return .ignored
        case "updated", "modified": return .field(.feedAtomUpdated, .verbatim)
        case "author": return .person(.feed)
        case "entry": return .entry
        default: return .ignored
        }
    }

    private func itemRole(_ name: String, _ space: FeedNamespace, _ element: XMLElementStart, base: String?) -> Role {
        switch space {
        case .none, .rss10, .rss090:
            if format == .atom03 && space == .none { return atomEntryRole(name, element, base: base) }
            switch name {
            case "title": return .field(.itemTitle, .maybeHTML)
            case "link": return .field(.itemLink, .verbatim)
            case "description": return .field(.itemSummary, .maybeHTML)
            case "guid":
                item.guidIsPermaLink = element.attribute("isPermaLink")?.lowercased() != "false"
                return .field(.itemGuid, .verbatim)
            case "pubDate": return .field(.itemPubDate, .verbatim)
            case "author": return .field(.itemAuthorAddress, .plain)
            case "category": return .field(.itemCategory, .maybeHTML)
            default: return .ignored
            }
        case .atom10, .atom03:
            return atomEntryRole(name, element, base: base)
        case .dublinCore:
            switch name {
            case "creator", "contributor": return .field(.itemCreator, .plain)
            case "date": return .field(.itemDCDate, .verbatim)
            case "subject": return .field(.itemCategory, .plain)
            default: return .ignored
            }
        case .dublinCoreTerms:
            switch name {
            case "modified": return .field(.itemUpdated, .verbatim)
            case "issued", "created": return .field(.itemPublished, .verbatim)
            default: return .ignored
            }
        case .content:
            return name == "encoded" ? .field(.itemContent, .html) : .ignored
        case .media:
            switch name {
            case "title": return .field(.mediaTitle, element.attribute("type") == "html" ? .html : .plain)
            case "description":
                return .field(.mediaDescription, element.attribute("type") == "html" ? .html : .plain)
            case "group", "content": return .mediaGroup
            default: return .ignored
            }
        default:
            return .ignored
        }
    }

    private func atomEntryRole(_ name: String, _ element: XMLElementStart, base: String?) -> Role {
        switch name {
        case "id": return .field(.itemID, .verbatim)
        case "title": return .field(.itemTitle, atomTextMode(element))
        case "link":
            if item.alternateLink == nil { item.alternateLink = alternateLink(element, base: base) }
            return .ignored
        case "published", "issued": return .field(.itemPublished, .verbatim)
        case "updated", "modified": return .field(.itemUpdated, .verbatim)
        case "summary": return .field(.itemSummary, atomTextMode(element))
        case "content":
            guard element.attribute("src") == nil else { return .ignored }
            return .field(.itemContent, atomTextMode(element))
        case "author": return .person(.item)
        case "category":
            if let category = (element.attribute("label") ?? element.attribute("term")).flatMap(PlainText.collapse) {
                item.addCategory(category)
            }
            return .ignored
        default: return .ignored
        }
    }

    /// Atom 1.0 `type` (`text`, `html`, `xhtml`), or Atom 0.3 MIME type with `mode="escaped"` meaning HTML source.
    private func atomTextMode(_ element: XMLElementStart) -> TextMode {
        let mode = TextMode(atomType: element.attribute("type"))
        if format == .atom03, mode == .xhtml, element.attribute("mode") == "escaped" { return .html }
        return mode
    }

    /// The absolute `href` of an Atom link that points to the page itself (`rel="alternate"`, or no `rel`).
    private func alternateLink(_ element: XMLElementStart, base: String?) -> String? {
        let relation = element.attribute("rel")?.lowercased() ?? "alternate"
        guard relation == "alternate" || relation == "http://www.iana.org/assignments/relation/alternate",
            let href = element.attribute("href")?.trimmingWhitespace(), !href.isEmpty
        else { return nil }
        return Self.webLink(href, base: base)
    }

    /// Whether `text` is an absolute http(s) URL that resolution would leave as it is: no white space or
    /// non-ASCII to clean, no dot segment to remove. Most feed links are; skipping the resolver for them is most
    /// of the cost of links.
    private static func isPlainWebURL(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            let scheme = bytes.starts(with: "https://".utf8) ? 8 : bytes.starts(with: "http://".utf8) ? 7 : 0
            guard scheme > 0, bytes.count > scheme else { return false }
            var previous: UInt8 = 0
            for byte in bytes[scheme...] {
                if byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\\") { return false }
                if byte == UInt8(ascii: ".") && previous == UInt8(ascii: "/") { return false }
                previous = byte
            }
            return true
        }
    }

    /// The absolute http(s) URL a link means; other schemes (`javascript:`, `mailto:`) are not links to an article.
    private static func webLink(_ text: String, base: String?) -> String? {
        if isPlainWebURL(text) { return text }
        guard let resolved = URLResolver.resolve(text, against: base) else { return nil }
        let lowered = resolved.prefix(8).lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://") ? resolved : nil
    }

    private func isEntry(_ role: Role) -> Bool {
        if case .entry = role { return true }
        return false
    }

    // MARK: - Field text

    private func beginCapture(_ mode: TextMode) {
        capture.removeAll(keepingCapacity: capture.capacity <= 1 << 16)
        captureMode = mode
        captureHasMarkup = false
        captureTruncated = false
    }

    /// Writes a start tag into the field being read when the field is markup; returns the name for its end tag.
    private func openMarkup(_ name: String) -> String? {
        guard let mode = captureMode, mode == .html || mode == .xhtml || mode == .maybeHTML else { return nil }
        captureHasMarkup = true
        appendTag(name, closing: false)
        return name
    }

    /// `<name>` or `</name>`, written into the field's bytes without building a String.
    private func appendTag(_ name: String, closing: Bool) {
        append(closing ? "</" : "<")
        append(name)
        append(">")
    }

    private func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let room = limits.maxFieldBytes - capture.count
        guard bytes.count <= room else {
            if room > 0 { capture.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<room])) }
            captureTruncated = true
            return
        }
        capture.append(contentsOf: bytes)
    }

    /// Text inside inline XHTML is character data; escaping it keeps "1 &lt; 2" from turning into a tag.
    private func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for (index, byte) in bytes.enumerated() {
            let replacement: String
            switch byte {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            default: continue
            }
            append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            append(replacement)
            start = index + 1
        }
        append(UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    private func capturedText(_ mode: TextMode) -> String? {
        switch mode {
        case .verbatim:
            // Identifiers, links and dates: trimmed of ASCII white space on the bytes, one String made.
            let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
            guard let first = capture.firstIndex(where: { !isSpace($0) }),
                let last = capture.lastIndex(where: { !isSpace($0) })
            else { return nil }
            return String(decoding: capture[first...last], as: UTF8.self)
        case .plain:
            return collapsedCapture()
        case .html, .xhtml:
            return capture.withUnsafeBufferPointer { HTMLText.plainText(fromHTML: $0) }
        case .maybeHTML:
            guard captureHasMarkup || Self.looksLikeHTML(capture) else { return collapsedCapture() }
            return capture.withUnsafeBufferPointer { HTMLText.plainText(fromHTML: $0) }
        }
    }

    /// The captured bytes as plain text, collapsed straight from the buffer (libxml2 hands over valid UTF-8).
    private func collapsedCapture() -> String? {
        var text = CollapsedTextBuilder(capacity: capture.count)
        capture.withUnsafeBufferPointer { text.append($0) }
        return text.finish()
    }

    /// A tag (`<p`, `</`, `<!`) or a reference (`&amp;`, `&#38;`) anywhere in the text.
    private static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        for index in bytes.indices.dropLast() {
            let next = bytes[index + 1]
            let isLetter = (next | 0x20) >= UInt8(ascii: "a") && (next | 0x20) <= UInt8(ascii: "z")
            switch bytes[index] {
            case UInt8(ascii: "<") where isLetter || next == UInt8(ascii: "/") || next == UInt8(ascii: "!"):
                return true
            case UInt8(ascii: "&") where isLetter || next == UInt8(ascii: "#"):
                return true
            default: continue
            }
        }
        return false
    }

    private func finishField(_ field: FeedField, text: String?, base: String?) {
        if captureTruncated {
            warnings.append(
                "limit: a <\(field.elementName)> \(whereabouts) was longer than "
                    + "\(ByteCount.describe(limits.maxFieldBytes)) and was cut")
        }
        guard let text else { return }
        switch field {
        case .feedTitle: channel.title = channel.title ?? text
        case .feedLink: channel.link = channel.link ?? Self.webLink(text, base: base)
        case .feedSubtitle: channel.subtitle = channel.subtitle ?? text
        case .feedLanguage: channel.language = channel.language ?? text
        case .feedLastBuildDate: channel.lastBuildDate = channel.lastBuildDate ?? date(text, field)
        case .feedPubDate: channel.pubDate = channel.pubDate ?? date(text, field)
        case .feedDCDate: channel.dcDate = channel.dcDate ?? date(text, field)
        case .feedAtomUpdated: channel.atomUpdated = channel.atomUpdated ?? date(text, field)
        case .feedTimeToLive: channel.timeToLiveMinutes = Int(text)
        case .feedUpdatePeriod: channel.updatePeriod = text
        case .feedUpdateFrequency: channel.updateFrequency = Int(text)
        case .itemTitle: item.title = item.title ?? text
        case .itemLink: item.link = item.link ?? Self.webLink(text, base: base)
        case .itemGuid:
            item.guid = item.guid ?? text
            // Only a guid that is already an absolute web address is a link; "item-4" is not a relative URL.
            if item.guidIsPermaLink { item.guidLink = item.guidLink ?? Self.webLink(text, base: nil) }
        case .itemID: item.atomID = item.atomID ?? text
        case .itemSummary: item.summary = item.summary ?? text
        case .itemContent: item.content = item.content ?? text
        case .itemPubDate: item.pubDate = item.pubDate ?? date(text, field)
        case .itemDCDate: item.dcDate = item.dcDate ?? date(text, field)
        case .itemPublished: item.published = item.published ?? date(text, field)
        case .itemUpdated: item.updated = item.updated ?? date(text, field)
        case .itemAuthorAddress: item.addAuthor(ItemDraft.personName(fromAddress: text))
        case .itemCreator: item.addAuthor(text)
        case .itemCategory: item.addCategory(text)
        case .mediaTitle: item.mediaTitle = item.mediaTitle ?? text
        case .mediaDescription: item.mediaDescription = item.mediaDescription ?? text
        case .personName: personName = personName ?? text
        case .personEmail: personEmail = personEmail ?? text
        }
    }

    private func finishPerson(_ owner: PersonOwner) {
        defer {
            personName = nil
            personEmail = nil
        }
        guard let person = personName ?? personEmail else { return }
        switch owner {
        case .feed: if !channel.authors.contains(person) { channel.authors.append(person) }
        case .item: item.addAuthor(person)
        }
    }

    /// "of item 3" or "of the feed", for warnings.
    private var whereabouts: String {
        frames.contains(where: {
            switch $0.role {
            case .item, .entry: true
            default: false
            }
        })
            ? "of item \(itemCount + 1)" : "of the feed"
    }

    private func date(_ text: String, _ field: FeedField) -> Date? {
        if let parsed = FeedDate.parse(text) { return parsed }
        warnings.append("date: cannot read <\(field.elementName)> \"\(text.prefix(80))\" \(whereabouts)")
        return nil
    }
}
