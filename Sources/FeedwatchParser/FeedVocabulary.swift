/// The XML namespaces feeds are written in, recognised by their URIs.
enum FeedNamespace: Equatable {
    case none
    case atom10
    case atom03
    case rss10
    case rss090
    case rdf
    case dublinCore
    case dublinCoreTerms
    case content
    case syndication
    case media
    case xhtml
    case other

    init(uri: String) {
        switch uri {
        case "": self = .none
        case "http://www.w3.org/2005/Atom": self = .atom10
        case "http://purl.org/atom/ns#", "http://purl.org/atom/ns#draft-ietf-atompub-format-08": self = .atom03
        case "http://purl.org/rss/1.0/": self = .rss10
        case "http://my.netscape.com/rdf/simple/0.9/": self = .rss090
        case "http://www.w3.org/1999/02/22-rdf-syntax-ns#": self = .rdf
        case "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/elements/1.0/": self = .dublinCore
        case "http://purl.org/dc/terms/": self = .dublinCoreTerms
        case "http://purl.org/rss/1.0/modules/content/": self = .content
        case "http://purl.org/rss/1.0/modules/syndication/": self = .syndication
        case "http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss": self = .media
        case "http://www.w3.org/1999/xhtml": self = .xhtml
        default: self = .other
        }
    }

    /// Namespaces in which `<feed>`, `<entry>` and their children are Atom.
    var isAtom: Bool { self == .atom10 || self == .atom03 }
    /// Namespaces in which `<channel>` and `<item>` are RSS (plain RSS has none).
    var isRSS: Bool { self == .none || self == .rss10 || self == .rss090 }
}

/// How the text of a field is turned into the contract's plain text.
enum TextMode {
    /// Identifiers, links, dates, numbers: trimmed, otherwise as written.
    case verbatim
    /// A text construct: literal, whitespace collapsed (`1 < 2` stays `1 < 2`).
    case plain
    /// HTML source (escaped or CDATA), turned into text by libxml2's HTML parser.
    case html
    /// Inline XHTML: child elements are serialized back to markup, text is escaped, then read as HTML.
    case xhtml
    /// RSS text that may or may not be HTML: read as HTML only when it contains a tag or a reference.
    case maybeHTML

    /// The mode an Atom text construct's `type` (Atom 1.0) or MIME type (Atom 0.3) asks for.
    init(atomType: String?) {
        guard let type = atomType?.lowercased() else { self = .plain; return }
        if type == "xhtml" || type.contains("xhtml") {
            self = .xhtml
        } else if type == "html" || type.contains("html") {
            self = .html
        } else {
            self = .plain
        }
    }
}

/// Where a field's text goes once its element ends.
enum FeedField {
    case feedTitle, feedLink, feedSubtitle, feedLanguage
    case feedLastBuildDate, feedPubDate, feedDCDate, feedAtomUpdated
    case feedTimeToLive, feedUpdatePeriod, feedUpdateFrequency
    case itemTitle, itemLink, itemGuid, itemID, itemSummary, itemContent
    case itemPubDate, itemDCDate, itemPublished, itemUpdated
    case itemAuthorAddress, itemCreator, itemCategory
    case mediaTitle, mediaDescription
    case personName, personEmail

    /// The element's name as a feed writes it, for warnings.
    var elementName: String {
        switch self {
        case .feedTitle, .itemTitle: "title"
        case .feedLink, .itemLink: "link"
        case .feedSubtitle: "subtitle"
        case .feedLanguage: "language"
        case .feedLastBuildDate: "lastBuildDate"
        case .feedPubDate, .itemPubDate: "pubDate"
        case .feedDCDate, .itemDCDate: "dc:date"
        case .feedAtomUpdated, .itemUpdated: "updated"
        case .feedTimeToLive: "ttl"
        case .feedUpdatePeriod: "sy:updatePeriod"
        case .feedUpdateFrequency: "sy:updateFrequency"
        case .itemGuid: "guid"
        case .itemID: "id"
        case .itemSummary: "summary"
        case .itemContent: "content"
        case .itemPublished: "published"
        case .itemAuthorAddress: "author"
        case .itemCreator: "dc:creator"
        case .itemCategory: "category"
        case .mediaTitle: "media:title"
        case .mediaDescription: "media:description"
        case .personName: "name"
        case .personEmail: "email"
        }
    }
}
