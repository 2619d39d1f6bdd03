/// The text of the markup most feed descriptions carry — paragraphs, `<br>`, `<img>`, inline tags such as `<b>`,
/// `<em>` and `<a href="…">`, and the common entities — read without starting libxml2, whose HTML
/// parser costs far more per field than such fragments need.
///
/// It only answers when the answer is certainly libxml2's: anything whose reading depends on
/// libxml2's recovery rules (misnested or stray end tags, a paragraph opened inside an inline element,
/// unknown tags or entities, a `&` that starts no entity, control characters, unquoted attributes…)
/// is declined, and `HTMLText` reads it with libxml2. A randomized differential test holds the two equal.
enum InlineMarkupText {
    /// The text of `html` as `HTMLText.plainText(fromHTML:)` gives it, or `.none` when this reader declines.
    static func plainText(_ html: UnsafeBufferPointer<UInt8>) -> String?? {
        var reader = Reader(html)
        return reader.read()
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var text = CollapsedTextBuilder()
        /// The elements open, as libxml2 would hold them: a `p` only ever at the bottom, inline elements above.
        var open: [Element] = []

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func read() -> String?? {
            var runStart = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") {
                    text.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    let understood = byte == UInt8(ascii: "<") ? readTag() : readEntity()
                    guard understood else { return .none }
                    runStart = index
                } else if !Self.isPlainTextByte(at: index, in: bytes) {
                    return .none
                } else {
                    index += 1
                }
            }
            text.append(UnsafeBufferPointer(rebasing: bytes[runStart...]))
            return .some(text.finish())
        }

        /// Text bytes libxml2 passes through unchanged: no control characters other than tab and line
        /// feed, and not U+FFFE or U+FFFF (EF BF BE/BF), which it rejects.
        private static func isPlainTextByte(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            let byte = bytes[index]
            if byte < 0x20 { return byte == 0x09 || byte == 0x0A }
            let isNonCharacter =
                byte == 0xEF && index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE
            return !isNonCharacter
        }

        /// `<name attributes>`, `<name/>` or `</name>` at `index`; false when it is anything else.
        private mutating func readTag() -> Bool {
            index += 1
            let closing = peek(UInt8(ascii: "/"))
            if closing { index += 1 }
            guard let element = readName().flatMap(Element.init(name:)) else { return false }
            if closing {
                skipSpaces()
                guard peek(UInt8(ascii: ">")) else { return false }
                index += 1
                return close(element)
            }
            guard readAttributes() else { return false }
            let selfClosing = peek(UInt8(ascii: "/"))
            if selfClosing { index += 1 }
            guard peek(UInt8(ascii: ">")) else { return false }
            index += 1
            guard start(element) else { return false }
            return !selfClosing || element == .lineBreak || element == .image || close(element)
        }

        private mutating func start(_ element: Element) -> Bool {
            switch element {
            case .lineBreak:
                text.breakWord()
            case .image:
                break
            case .paragraph:
                // libxml2 lets a new paragraph close an open one; with inline elements open its rules vary.
                guard open.isEmpty || open == [.paragraph] else { return false }
                open = [.paragraph]
                text.breakWord()
            case .inline:
                // A second `<a>` inside an `<a>` is closed by libxml2; nesting a name in itself is left to it.
                guard !open.contains(element) else { return false }
                open.append(element)
            }
            return true
        }

        /// Only the innermost open element may be closed here; libxml2's handling of any other end tag is its own.
        private mutating func close(_ element: Element) -> Bool {
            guard element != .lineBreak, element != .image, open.last == element else { return false }
            open.removeLast()
            if element == .paragraph { text.breakWord() }
            return true
        }

        /// Attributes with quoted values free of `<`, `>` and `&`, each after white space; their values are
        /// not text, so they are only skipped. Leaves `index` on what follows the last one.
        private mutating func readAttributes() -> Bool {
            while index < bytes.count {
                let spaced = skipSpaces()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ">") || bytes[index] == UInt8(ascii: "/") { return true }
                guard spaced, readName() != nil else { return false }
                skipSpaces()
                guard peek(UInt8(ascii: "=")) else { continue }
                index += 1
                skipSpaces()
                guard index < bytes.count else { return false }
                let quote = bytes[index]
                guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return false }
                index += 1
                while index < bytes.count, bytes[index] != quote {
                    let byte = bytes[index]
                    let isMarkup = byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
                    if isMarkup || byte < 0x20 { return false }
                    index += 1
                }
                guard index < bytes.count else { return false }
                index += 1
            }
            return false
        }

        /// `&name;` for a few entities, or `&#digits;` / `&#xhex;` for a character libxml2 accepts as is.
        private mutating func readEntity() -> Bool {
            index += 1
            let scalar: Unicode.Scalar?
            if peek(UInt8(ascii: "#")) {
                index += 1
                scalar = readCharacterReference()
            } else {
                scalar = readName().flatMap { Self.entities[$0] }
            }
            guard let scalar, peek(UInt8(ascii: ";")) else { return false }
            index += 1
            var encoded = String(scalar)
            encoded.withUTF8 { text.append($0) }
            return true
        }

        private mutating func readCharacterReference() -> Unicode.Scalar? {
            let hexadecimal = peek(UInt8(ascii: "x")) || peek(UInt8(ascii: "X"))
            if hexadecimal { index += 1 }
            var value: UInt32 = 0
            var digits = 0
            while index < bytes.count, digits < 7 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f") where hexadecimal:
                    digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F") where hexadecimal:
                    digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: digit = 16
                }
                if digit == 16 { break }
                value = value * (hexadecimal ? 16 : 10) + digit
                digits += 1
                index += 1
            }
            // Printable characters only: libxml2 drops or rewrites control, surrogate and non-characters.
            guard digits > 0, digits < 7 else { return nil }
            switch value {
            case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return Unicode.Scalar(value)
            default: return nil
            }
        }

        /// An ASCII name (letters, digits, `-`, `:`), lower-cased; nil when none starts here with a letter.
        private mutating func readName() -> String? {
            let start = index
            guard index < bytes.count, Self.isLetter(bytes[index]) else { return nil }
            while index < bytes.count,
                Self.isLetter(bytes[index]) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
                    || bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: ":")
            {
                index += 1
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        private static func isLetter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
        }

        @discardableResult
        private mutating func skipSpaces() -> Bool {
            let start = index
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A {
                index += 1
            }
            return index > start
        }

        private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

        /// Entity names are case-sensitive in HTML, so these are matched exactly; all are in libxml2's HTML 4 table.
        private static let entities: [String: Unicode.Scalar] = [
            "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "nbsp": "\u{00A0}", "mdash": "\u{2014}",
            "ndash": "\u{2013}", "laquo": "\u{00AB}", "raquo": "\u{00BB}", "hellip": "\u{2026}",
            "lsquo": "\u{2018}", "rsquo": "\u{2019}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "copy": "\u{00A9}",
            "reg": "\u{00AE}", "trade": "\u{2122}", "euro": "\u{20AC}", "bull": "\u{2022}", "middot": "\u{00B7}",
        ]
    }

    /// The elements read here. Names are compared lower-cased, as libxml2 does.
    private enum Element: Equatable {
        case paragraph
        case lineBreak
        /// `img`: empty, and its `alt` is not read as text.
        case image
        case inline(String)

        init?(name: String) {
            let name = name.lowercased()
            switch name {
            case "p": self = .paragraph
            case "br": self = .lineBreak
            case "img": self = .image
            case "a", "b", "i", "u", "s", "em", "strong", "span", "small", "big", "sub", "sup", "code", "abbr",
                "acronym", "cite", "q", "tt", "strike", "font", "kbd", "var", "dfn", "samp":
                self = .inline(name)
            default: return nil
            }
        }
    }
}
