/// Makes feed links absolute, as the contract requires, by RFC 3986 section 5.2 reference resolution.
///
/// Written out rather than left to Foundation's `URL(string:relativeTo:)`, which rejects references
/// with spaces or non-ASCII characters that feeds do contain, and whose results for dot segments
/// (`../../../g`) have differed between platforms and Foundation versions.
enum URLResolver {
    /// `reference` resolved against `base`, as an absolute URL string.
    ///
    /// Leading and trailing white space is trimmed, and tabs and line breaks inside are removed (feeds
    /// wrap long links); an absolute reference with an authority (`https://…`) gets its dot segments
    /// removed, any other absolute reference (`mailto:`, `urn:`, `tel:`) is kept as written.
    ///
    /// - Returns: the absolute URL, or `nil` when `reference` is relative and there is no absolute `base`.
    static func resolve(_ reference: String, against base: String?) -> String? {
        let reference = URIParts(cleaning: reference)
        if reference.scheme != nil {
            guard let authority = reference.authority else { return reference.recomposed }
            return URIParts(
                scheme: reference.scheme, authority: authority, path: removeDotSegments(reference.path),
                query: reference.query, fragment: reference.fragment
            ).recomposed
        }
        guard let base = base.map(URIParts.init(cleaning:)), base.scheme != nil else { return nil }

        var target = URIParts(scheme: base.scheme, fragment: reference.fragment)
        if let authority = reference.authority {
            target.authority = authority
            target.path = removeDotSegments(reference.path)
            target.query = reference.query
        } else {
            target.authority = base.authority
            if reference.path.isEmpty {
                target.path = base.path
                target.query = reference.query ?? base.query
            } else {
                let path = reference.path.hasPrefix("/") ? reference.path : merge(base: base, with: reference.path)
                target.path = removeDotSegments(path)
                target.query = reference.query
            }
        }
        return target.recomposed
    }

    /// Section 5.2.3: the reference's path appended to the base path's directory.
    private static func merge(base: URIParts, with path: Substring) -> Substring {
        if base.authority != nil && base.path.isEmpty { return "/" + path }
        guard let lastSlash = base.path.lastIndex(of: "/") else { return path }
        return base.path[...lastSlash] + path
    }

    /// Section 5.2.4: `.` and `..` segments interpreted and removed (`/a/b/../c/./d` is `/a/c/d`);
    /// `..` never climbs above the root.
    static func removeDotSegments(_ path: Substring) -> Substring {
        guard path.contains(".") else { return path }
        let isAbsolute = path.hasPrefix("/")
        var segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if isAbsolute { segments.removeFirst() }
        var output: [Substring] = []
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case ".":
                if isLast { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        return Substring((isAbsolute ? "/" : "") + output.joined(separator: "/"))
    }
}

/// The five components of a URI reference (RFC 3986 section 3 and appendix B); `nil` means absent,
/// which differs from empty (`?` with nothing after it is an empty query).
private struct URIParts {
    var scheme: Substring?
    var authority: Substring?
    var path: Substring = ""
    var query: Substring?
    var fragment: Substring?

    init(
        scheme: Substring? = nil, authority: Substring? = nil, path: Substring = "", query: Substring? = nil,
        fragment: Substring? = nil
    ) {
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
        self.fragment = fragment
    }

    /// Splits `text` after trimming its white space and dropping tabs and line breaks inside it.
    init(cleaning text: String) {
        var rest = URIParts.cleaned(text)
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: question)...]
            rest = rest[..<question]
        }
        if let colon = rest.firstIndex(of: ":"), URIParts.isScheme(rest[..<colon]) {
            scheme = rest[..<colon]
            rest = rest[rest.index(after: colon)...]
        }
        if rest.hasPrefix("//") {
            let afterSlashes = rest.index(rest.startIndex, offsetBy: 2)
            let pathStart = rest[afterSlashes...].firstIndex(of: "/") ?? rest.endIndex
            authority = rest[afterSlashes..<pathStart]
            rest = rest[pathStart...]
        }
        path = rest
    }

    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`; a colon after anything else is part of a path.
    private static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z")
        else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte | 0x20 {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            default: byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            }
        }
    }

    private static func cleaned(_ text: String) -> Substring {
        let isBreak: (Character) -> Bool = { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        var trimmed = Substring(text)
        while let first = trimmed.first, first.isWhitespace { trimmed.removeFirst() }
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        return trimmed.contains(where: isBreak) ? Substring(trimmed.filter { !isBreak($0) }) : trimmed
    }

    /// Section 5.3: the components joined back into one string.
    var recomposed: String {
        var result = ""
        if let scheme { result += scheme + ":" }
        if let authority { result += "//" + authority }
        result += path
        if let query { result += "?" + query }
        if let fragment { result += "#" + fragment }
        return result
    }
}
