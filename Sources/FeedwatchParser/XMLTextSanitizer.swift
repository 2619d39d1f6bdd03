/// Makes decoded UTF-8 safe for libxml2 and rewrites what real feeds get wrong about XML text.
///
/// One pass over each chunk, before libxml2 sees it:
/// - bytes that are not UTF-8 become U+FFFD (libxml2 would otherwise stop at "Input is not proper UTF-8");
/// - C0 control characters XML forbids become spaces, U+FFFE/U+FFFF become U+FFFD;
/// - HTML named entities XML does not define (`&nbsp;`, `&mdash;`, `&eacute;`) become numeric references, because
///   feeds use them freely and libxml2 would drop them as undeclared;
/// - a bare `&` that starts no reference becomes `&#38;`, so "AT&T" keeps its "&";
/// - the five XML entities (`&amp;` …) become numeric references too: once libxml2 has seen one well-formedness
///   error it drops every entity reference that follows, but still expands numeric ones.
/// CDATA sections and comments pass through untouched: nothing in them is a reference.
struct XMLTextSanitizer {
    private enum Region {
        case markup
        case cdata
        case comment
    }

    private var region = Region.markup
    /// Bytes that were not UTF-8 and were replaced.
    private(set) var invalidByteCount = 0
    /// Bare `&` characters rewritten as `&amp;`.
    private(set) var bareAmpersandCount = 0

    /// Bytes that need a look, per region; every other byte is copied as it is. One table per region keeps
    /// the common bytes (`-` and `<` in markup, `<` in CDATA) on the fast path.
    private static let markupStops = stops(for: "&!")
    private static let cdataStops = stops(for: "]")
    private static let commentStops = stops(for: "-")

    private static func stops(for characters: StaticString) -> [Bool] {
        var table = (0...255).map { $0 < 0x20 || $0 >= 0x80 }
        characters.withUTF8Buffer { for byte in $0 { table[Int(byte)] = true } }
        for byte in [0x09, 0x0A, 0x0D] { table[byte] = false }
        return table
    }

    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Sanitizes as much of `input` as can be decided and appends it to `output`.
    ///
    /// - Parameters:
    ///   - input: UTF-8 (possibly broken) bytes.
    ///   - isLast: no more bytes follow; incomplete sequences at the end are then replaced, not kept back.
    ///   - output: where the clean bytes go.
    /// - Returns: how many bytes of `input` were consumed; the rest must be offered again with the next bytes.
    mutating func sanitize(_ input: UnsafeBufferPointer<UInt8>, isLast: Bool, into output: inout [UInt8]) -> Int {
        Self.markupStops.withUnsafeBufferPointer { markup in
            Self.cdataStops.withUnsafeBufferPointer { cdata in
                Self.commentStops.withUnsafeBufferPointer { comment in
                    sanitize(input, isLast: isLast, into: &output, stops: (markup, cdata, comment))
                }
            }
        }
    }

    private mutating func sanitize(
        _ input: UnsafeBufferPointer<UInt8>, isLast: Bool, into output: inout [UInt8],
        stops: (markup: UnsafeBufferPointer<Bool>, cdata: UnsafeBufferPointer<Bool>, comment: UnsafeBufferPointer<Bool>)
    ) -> Int {
        guard let base = input.baseAddress else { return 0 }
        let end = input.count
        var index = 0
        var copiedUpTo = 0
        func flush(upTo position: Int) {
            if position > copiedUpTo {
                output.append(contentsOf: UnsafeBufferPointer(start: base + copiedUpTo, count: position - copiedUpTo))
            }
        }
        while index < end {
            let (table, firstStop, secondStop): (UnsafeBufferPointer<Bool>, UInt8, UInt8) =
                switch region {
                case .markup: (stops.markup, UInt8(ascii: "&"), UInt8(ascii: "!"))
                case .cdata: (stops.cdata, UInt8(ascii: "]"), UInt8(ascii: "]"))
                case .comment: (stops.comment, UInt8(ascii: "-"), UInt8(ascii: "-"))
                }
            while index < end {
                // Eight bytes at a time while they are plain text (ASCII or two-byte characters) and none is one
                // of the region's stops.
                if index + 8 <= end {
                    let word = ByteWord(at: base + index)
                    let length = word.oneAndTwoByteTextLength
                    if length > 0, !word.has(firstStop), !word.has(secondStop) {
                        index += length
                        continue
                    }
                }
                let byte = base[index]
                if !table[Int(byte)] {
                    index += 1
                } else if byte >= 0xC2, byte <= 0xDF, index + 1 < end, base[index + 1] & 0xC0 == 0x80 {
                    // A two-byte character (Cyrillic, Latin with accents) is always valid and never a non-character.
                    index += 2
                } else {
                    break
                }
            }
            guard index < end else { break }
            let byte = base[index]
            switch region {
            case .cdata:
                if byte == UInt8(ascii: "]") {
                    guard index + 3 <= end else {
                        if isLast { index = end; continue }
                        flush(upTo: index)
                        return index
                    }
                    if base[index + 1] == UInt8(ascii: "]") && base[index + 2] == UInt8(ascii: ">") {
                        region = .markup
                        index += 3
                        continue
                    }
                    index += 1
                    continue
                }
            case .comment:
                if byte == UInt8(ascii: "-") {
                    guard index + 3 <= end else {
                        if isLast { index = end; continue }
                        flush(upTo: index)
                        return index
                    }
                    if base[index + 1] == UInt8(ascii: "-") && base[index + 2] == UInt8(ascii: ">") {
                        region = .markup
                        index += 3
                        continue
                    }
                    index += 1
                    continue
                }
            case .markup:
                if byte == UInt8(ascii: "!") {
                    // Only `<!` can open a CDATA section or a comment. `!` is the stop rather than `<`, which every
                    // tag has; a `<` that ends an input is held back, so the one before `!` is always in this input.
                    guard index > 0, base[index - 1] == UInt8(ascii: "<") else {
                        index += 1
                        continue
                    }
                    let open = index - 1
                    guard open + 9 <= end || isLast else {
                        flush(upTo: open)
                        return open
                    }
                    if Self.hasPrefix(base + open, end - open, "<![CDATA[") {
                        region = .cdata
                        index = open + 9
                    } else if Self.hasPrefix(base + open, end - open, "<!--") {
                        region = .comment
                        index = open + 4
                    } else {
                        index += 1
                    }
                    continue
                }
                if byte == UInt8(ascii: "&") {
                    switch Self.reference(at: index, in: base, end: end, isLast: isLast) {
                    case .undecided:
                        flush(upTo: index)
                        return index
                    case .keep:
                        index += 1
                    case .bare:
                        flush(upTo: index)
                        output.append(contentsOf: "&#38;".utf8)
                        bareAmpersandCount += 1
                        index += 1
                        copiedUpTo = index
                    case .named(let scalar, let length):
                        flush(upTo: index)
                        Self.appendCharacterReference(to: scalar, into: &output)
                        index += length
                        copiedUpTo = index
                    }
                    continue
                }
            }
            if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "!")
                || byte == UInt8(ascii: "&")
            {
                index += 1
                continue
            }
            if byte < 0x20 {
                if byte == 0x09 || byte == 0x0A || byte == 0x0D {
                    index += 1
                    continue
                }
                flush(upTo: index)
                output.append(0x20)
                index += 1
                copiedUpTo = index
                continue
            }
            switch UTF8Scan.sequence(at: index, in: base, end: end) {
            case .valid(let length, let isNoncharacter):
                if isNoncharacter {
                    flush(upTo: index)
                    output.append(contentsOf: Self.replacement)
                    copiedUpTo = index + length
                }
                index += length
            case .incomplete where !isLast:
                flush(upTo: index)
                return index
            case .invalid, .incomplete:
                flush(upTo: index)
                output.append(contentsOf: Self.replacement)
                invalidByteCount += 1
                index += 1
                copiedUpTo = index
            }
        }
        // A `<` at the end may start `<!`: it waits for the next input.
        if !isLast, region == .markup, end > 0, base[end - 1] == UInt8(ascii: "<") {
            flush(upTo: end - 1)
            return end - 1
        }
        flush(upTo: end)
        return end
    }

    private enum Reference {
        /// The chunk ends before the reference does.
        case undecided
        /// A numeric reference (`&#233;`), or a name libxml2 may know from the internal subset.
        case keep
        /// An `&` that starts no reference at all.
        case bare
        /// The character an XML or HTML entity stands for, and the number of bytes its reference spans, `&` and
        /// `;` included.
        case named(Unicode.Scalar, length: Int)
    }

    /// The longest HTML entity name is 31 characters (`&CounterClockwiseContourIntegral;`).
    private static let longestEntityName = 32

    private static func reference(
        at start: Int, in base: UnsafePointer<UInt8>, end: Int, isLast: Bool
    ) -> Reference {
        var index = start + 1
        guard index < end else { return isLast ? .bare : .undecided }
        if base[index] == UInt8(ascii: "#") { return .keep }
        while index < end, index - start <= longestEntityName, isNameByte(base[index]) {
            index += 1
        }
        guard index < end else { return isLast ? .bare : .undecided }
        let nameLength = index - start - 1
        guard nameLength > 0 else { return .bare }
        guard base[index] == UInt8(ascii: ";") else { return .bare }
        let name = UnsafeBufferPointer(start: base + start + 1, count: nameLength)
        guard let scalar = xmlEntity(name) ?? HTMLEntities.scalar(named: name) else { return .keep }
        return .named(scalar, length: nameLength + 2)
    }

    /// The character of one of XML's five entities (`amp`, `lt`, `gt`, `quot`, `apos`).
    private static func xmlEntity(_ name: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard name.count <= 4 else { return nil }
        let key = packed(name)
        for (entity, scalar) in xmlEntities where entity == key { return scalar }
        return nil
    }

    /// The names as integers, so a reference is matched with a few comparisons and no `String`.
    private static let xmlEntities: [(UInt64, Unicode.Scalar)] = [
        ("lt", "<"), ("gt", ">"), ("amp", "&"), ("quot", "\""), ("apos", "'"),
    ].map { name, scalar in (Array(name.utf8).withUnsafeBufferPointer(packed), scalar) }

    /// Up to eight bytes in one integer; entity names hold no NUL byte, so no two of them give the same one.
    private static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Appends `&#N;` for `scalar`, its decimal digits written straight into `output`.
    private static func appendCharacterReference(to scalar: Unicode.Scalar, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "&"))
        output.append(UInt8(ascii: "#"))
        var divisor: UInt32 = 1
        while divisor * 10 <= scalar.value { divisor *= 10 }
        var rest = scalar.value
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
        output.append(UInt8(ascii: ";"))
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private static func hasPrefix(_ pointer: UnsafePointer<UInt8>, _ available: Int, _ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { bytes in
            guard available >= bytes.count else { return false }
            for (offset, byte) in bytes.enumerated() where pointer[offset] != byte { return false }
            return true
        }
    }
}

/// UTF-8 sequence checks shared by the sanitizer and encoding detection.
enum UTF8Scan {
    enum Sequence {
        /// A well-formed sequence of `length` bytes; `isNoncharacter` for U+FFFE and U+FFFF, which XML forbids.
        case valid(length: Int, isNoncharacter: Bool)
        /// A prefix of a well-formed sequence cut by the end of the buffer.
        case incomplete
        case invalid
    }

    /// Classifies the sequence starting with the non-ASCII byte at `index` (RFC 3629: no overlongs, no surrogates).
    @inline(__always)
    static func sequence(at index: Int, in base: UnsafePointer<UInt8>, end: Int) -> Sequence {
        let lead = base[index]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return .invalid
        }
        for offset in 1..<length {
            guard index + offset < end else { return .incomplete }
            let byte = base[index + offset]
            let (low, high) = offset == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= low && byte <= high else { return .invalid }
        }
        let isNoncharacter = lead == 0xEF && base[index + 1] == 0xBF && (base[index + 2] & 0xFE) == 0xBE
        return .valid(length: length, isNoncharacter: isNoncharacter)
    }

    /// Counts of well-formed multi-byte sequences and of bytes that are not UTF-8, for telling encodings apart.
    /// - Parameter stoppingAtInvalid: end at the first byte that is not UTF-8, for callers that only ask whether
    ///   there is one.
    static func statistics(_ bytes: UnsafeBufferPointer<UInt8>, stoppingAtInvalid: Bool = false)
        -> (multiByte: Int, invalid: Int)
    {
        guard let base = bytes.baseAddress else { return (0, 0) }
        var multiByte = 0
        var invalid = 0
        var index = 0
        while index < bytes.count {
            if index + 8 <= bytes.count {
                let word = ByteWord(at: base + index)
                let length = word.oneAndTwoByteTextLength
                if length > 0 {
                    multiByte += word.twoByteCharacterCount
                    index += length
                    continue
                }
            }
            if base[index] < 0x80 {
                index += 1
                continue
            }
            switch sequence(at: index, in: base, end: bytes.count) {
            case .valid(let length, _):
                multiByte += 1
                index += length
            case .incomplete: return (multiByte, invalid)
            case .invalid:
                invalid += 1
                if stoppingAtInvalid { return (multiByte, invalid) }
                index += 1
            }
        }
        return (multiByte, invalid)
    }

    /// Where the first byte at 0x80 or above is, looking at eight bytes at a time.
    static func firstNonASCII(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var index = 0
        while index + 8 <= bytes.count, ByteWord(at: base + index).isASCII { index += 8 }
        while index < bytes.count {
            if base[index] >= 0x80 { return index }
            index += 1
        }
        return nil
    }
}
