/// Makes feed links absolute, as the contract requires, by RFC 3986 section 5.2 reference resolution.
///
/// Written out rather than left to Foundation's `URL(string:relativeTo:)`, which rejects references
/// with spaces or non-ASCII characters that feeds do contain, and whose results for dot segments
/// (`../../../g`) have differed between platforms and Foundation versions. It works on UTF-8 bytes,
/// since every delimiter is ASCII and it runs for every link of every item.
enum URLResolver {
    /// `reference` resolved against `base`, as an absolute URL string.
    ///
    /// Leading and trailing white space is trimmed, and tabs and line breaks inside are removed (feeds
    /// wrap long links); an absolute reference with an authority (`https://…`) gets its dot segments
    /// removed, any other absolute reference (`mailto:`, `urn:`, `tel:`) is kept as written.
    ///
    /// - Returns: the absolute URL, or `nil` when `reference` is relative and there is no absolute `base`.
    static func resolve(_ reference: String, against base: String?) -> String? {
        let reference = URIReference(reference)
        if let scheme = reference.scheme {
            guard reference.authority != nil, URIReference.hasDotSegments(reference.path) else { return reference.text }
            return compose(
                scheme: scheme, authority: reference.authority, directory: nil, path: reference.path,
                query: reference.query, fragment: reference.fragment)
        }
        guard let base = base.map(URIReference.init), let scheme = base.scheme else { return nil }
        if reference.authority != nil {
            return compose(
                scheme: scheme, authority: reference.authority, directory: nil, path: reference.path,
                query: reference.query, fragment: reference.fragment)
        }
        if reference.path.isEmpty {
            return compose(
                scheme: scheme, authority: base.authority, directory: nil, path: base.path,
                query: reference.query ?? base.query, fragment: reference.fragment, removingDotSegments: false)
        }
        // Section 5.2.3: a relative path goes after the base path's last slash.
        var directory: ArraySlice<UInt8>?
        if reference.path.first != UInt8(ascii: "/") {
            if base.authority != nil && base.path.isEmpty {
                directory = URIReference.slash
            } else if let lastSlash = base.path.lastIndex(of: UInt8(ascii: "/")) {
                directory = base.path[...lastSlash]
            }
        }
        return compose(
            scheme: scheme, authority: base.authority, directory: directory, path: reference.path,
            query: reference.query, fragment: reference.fragment)
    }

    /// Section 5.3: the components joined back into one string, the path's dot segments removed.
    private static func compose(
        scheme: ArraySlice<UInt8>, authority: ArraySlice<UInt8>?, directory: ArraySlice<UInt8>?,
        path: ArraySlice<UInt8>, query: ArraySlice<UInt8>?, fragment: ArraySlice<UInt8>?,
        removingDotSegments: Bool = true
    ) -> String {
        var target: [UInt8] = []
        target.reserveCapacity(
            scheme.count + (authority?.count ?? 0) + (directory?.count ?? 0) + path.count + (query?.count ?? 0)
                + (fragment?.count ?? 0) + 5)
        target += scheme
        target.append(UInt8(ascii: ":"))
        if let authority {
            target += URIReference.slash
            target += URIReference.slash
            target += authority
        }
        let pathStart = target.count
        if let directory { target += directory }
        target += path
        if removingDotSegments { removeDotSegments(in: &target, from: pathStart) }
        if let query {
            target.append(UInt8(ascii: "?"))
            target += query
        }
        if let fragment {
            target.append(UInt8(ascii: "#"))
            target += fragment
        }
        return String(decoding: target, as: UTF8.self)
    }

    /// Section 5.2.4 in place on the path at the end of `bytes`: `.` and `..` segments interpreted and
    /// removed (`/a/b/../c/./d` is `/a/c/d`), `..` never climbing above the root.
    ///
    /// Segments are copied down over the ones removed; the write position never passes the read position,
    /// because every segment written was read together with its separator.
    static func removeDotSegments(in bytes: inout [UInt8], from start: Int) {
        guard URIReference.hasDotSegments(bytes[start...]) else { return }
        let slash = UInt8(ascii: "/")
        let isAbsolute = bytes[start] == slash
        let outputStart = isAbsolute ? start + 1 : start
        var write = outputStart
        var read = outputStart
        var segmentCount = 0
        let end = bytes.count
        while read <= end {
            var segmentEnd = read
            while segmentEnd < end && bytes[segmentEnd] != slash { segmentEnd += 1 }
            let isLast = segmentEnd == end
            let length = segmentEnd - read
            let isDot = length == 1 && bytes[read] == UInt8(ascii: ".")
            let isDotDot = length == 2 && bytes[read] == UInt8(ascii: ".") && bytes[read + 1] == UInt8(ascii: ".")
            if isDotDot && segmentCount > 0 {
                var lastSegmentStart = write
                while lastSegmentStart > outputStart && bytes[lastSegmentStart - 1] != slash { lastSegmentStart -= 1 }
                write = segmentCount == 1 ? outputStart : lastSegmentStart - 1
                segmentCount -= 1
            }
            if isDot || isDotDot {
                // A trailing `.` or `..` leaves the path ending in a slash: `/a/b/..` is `/a/`.
                if isLast {
                    if segmentCount > 0 {
                        bytes[write] = slash
                        write += 1
                    }
                    segmentCount += 1
                }
            } else {
                if segmentCount > 0 {
                    bytes[write] = slash
                    write += 1
                }
                for index in read..<segmentEnd {
                    bytes[write] = bytes[index]
                    write += 1
                }
                segmentCount += 1
            }
            read = segmentEnd + 1
        }
        bytes.removeSubrange(write...)
    }
}

/// A URI reference split into its five components (RFC 3986 section 3 and appendix B); `nil` means
/// absent, which differs from empty (`?` with nothing after it is an empty query).
private struct URIReference {
    static let slash: ArraySlice<UInt8> = [UInt8(ascii: "/")]

    /// The reference after trimming, as a string.
    let text: String
    let scheme: ArraySlice<UInt8>?
    let authority: ArraySlice<UInt8>?
    let path: ArraySlice<UInt8>
    let query: ArraySlice<UInt8>?
    let fragment: ArraySlice<UInt8>?

    /// Splits `text` after trimming white space at its ends and dropping tabs and line breaks inside it.
    init(_ text: String) {
        let bytes = URIReference.cleaned(text)
        self.text = bytes.count == text.utf8.count ? text : String(decoding: bytes, as: UTF8.self)

        var rest = bytes[...]
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) {
            fragment = rest[(hash + 1)...]
            rest = rest[..<hash]
        } else {
            fragment = nil
        }
        if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
            query = rest[(question + 1)...]
            rest = rest[..<question]
        } else {
            query = nil
        }
        if let colon = rest.firstIndex(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "/") }),
            bytes[colon] == UInt8(ascii: ":"), URIReference.isScheme(rest[..<colon])
        {
            scheme = rest[..<colon]
            rest = rest[(colon + 1)...]
        } else {
            scheme = nil
        }
        if rest.count >= 2, rest[rest.startIndex] == UInt8(ascii: "/"), rest[rest.startIndex + 1] == UInt8(ascii: "/") {
            let authorityStart = rest.startIndex + 2
            let pathStart = rest[authorityStart...].firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            authority = rest[authorityStart..<pathStart]
            rest = rest[pathStart...]
        } else {
            authority = nil
        }
        path = rest
    }

    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`; a colon after anything else belongs to a path.
    private static func isScheme(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, isLetter(first) else { return false }
        return bytes.allSatisfy { byte in
            isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    /// True when a segment of `path` is `.` or `..`, the only case in which section 5.2.4 changes a path.
    static func hasDotSegments(_ path: ArraySlice<UInt8>) -> Bool {
        var segmentStart = path.startIndex
        var index = path.startIndex
        while index <= path.endIndex {
            if index == path.endIndex || path[index] == UInt8(ascii: "/") {
                let length = index - segmentStart
                if length == 1 && path[segmentStart] == UInt8(ascii: ".") { return true }
                if length == 2 && path[segmentStart] == UInt8(ascii: ".") && path[segmentStart + 1] == UInt8(ascii: ".")
                {
                    return true
                }
                segmentStart = index + 1
            }
            index += 1
        }
        return false
    }

    private static func cleaned(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { bytes in
            var start = 0
            var end = bytes.count
            while start < end, case let length = UnicodeSpace.length(in: bytes, at: start), length > 0 {
                start += length
            }
            var index = start
            var lastNonSpaceEnd = start
            var hasBreaks = false
            while index < end {
                let length = UnicodeSpace.length(in: bytes, at: index)
                if length == 0 {
                    index += 1
                    lastNonSpaceEnd = index
                } else {
                    hasBreaks = hasBreaks || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D
                    index += length
                }
            }
            end = lastNonSpaceEnd
            let trimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard hasBreaks else { return Array(trimmed) }
            return trimmed.filter { $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        }
    }
}
