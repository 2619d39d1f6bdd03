internal import CLibXML2

/// The text of the markup most feed descriptions carry — paragraphs, `<div>`, lists and headings, `<br>`,
/// `<img>`, inline tags such as `<b>` and `<a href="…">`, `<script>` and `<style>` blocks, common entities —
/// read in one pass over the bytes, without starting libxml2, whose HTML parser costs far more per field than
/// such fragments need.
///
/// It only answers when the answer is certainly libxml2's. libxml2 turns markup into text through its element
/// stack: a start tag may close open elements first (`<div>` closes an open `<p>`), an end tag produces an end
/// event only when its element is open, and text outside any element opens an implied `<p>`. Each of those
/// decides where a word break falls, so this reader keeps the same stack and asks libxml2's own table
/// (`htmlAutoCloseTag`) which start tags close which elements. Whatever would need more of libxml2's recovery
/// rules (an end tag that is not the innermost element's, an element nested in itself, comments, unknown tags or
/// entities, a `&` that starts nothing, control characters, unquoted attributes…) is declined, and `HTMLText`
/// reads it with libxml2. A randomized differential test holds the two equal.
enum SimpleMarkupText {
    /// The text of `html` as `HTMLText.plainText(fromHTML:)` gives it, or `.none` when this reader declines.
    static func plainText(_ html: UnsafeBufferPointer<UInt8>) -> String?? {
        var declined = false
        // Text never outgrows its markup: every entity is at least as long as its UTF-8, and a word break
        // takes the place of a tag; so the string is written in place, with no buffer in between.
        let text = String(unsafeUninitializedCapacity: html.count) { output in
            withUnsafeTemporaryAllocation(of: ElementID.self, capacity: Reader.maximumDepth) { stack in
                var reader = Reader(input: html, output: output, stack: stack, classes: byteClasses)
                guard reader.read() else {
                    declined = true
                    return 0
                }
                return reader.written
            }
        }
        if declined { return .none }
        return .some(text.isEmpty ? nil : text)
    }

    private typealias ElementID = UInt8

    /// How an element reads, from `HTMLText`'s own roles so that both readers agree by construction.
    private enum Kind {
        case inline
        case block
        /// `br`, `hr`, `img`: no content and no end tag; `block` says whether it breaks words.
        case empty(block: Bool)
        /// `script`, `style`: raw text up to the end tag, dropped.
        case raw
    }

    private struct Element {
        let name: String
        let kind: Kind
    }

    /// The elements read here. Others (tables, forms, HTML5 elements libxml2 2.9 does not know, `noscript`…)
    /// are left to libxml2.
    private static let elements: [Element] = {
        let inline = [
            "a", "b", "i", "u", "s", "em", "strong", "span", "small", "big", "sub", "sup", "code", "abbr", "acronym",
            "cite", "q", "tt", "strike", "font", "kbd", "var", "dfn", "samp",
        ]
        let blocks = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre"]
        var elements = inline.map { Element(name: $0, kind: .inline) } + blocks.map { Element(name: $0, kind: .block) }
        elements += [
            Element(name: "br", kind: .empty(block: true)), Element(name: "hr", kind: .empty(block: true)),
            Element(name: "img", kind: .empty(block: false)), Element(name: "script", kind: .raw),
            Element(name: "style", kind: .raw),
        ]
        for element in elements {
            let role = ElementRole(asciiName: element.name)
            switch element.kind {
            case .inline, .empty(block: false): precondition(role == .inline, "\(element.name) is not inline")
            case .block, .empty(block: true): precondition(role == .block, "\(element.name) is not a block")
            case .raw: precondition(role == .dropped, "\(element.name) is not dropped")
            }
        }
        return elements
    }()

    private static let paragraph = ElementID(elements.firstIndex { $0.name == "p" }!)
    /// libxml2's `<body>`, implied around everything after the first tag; never read from the markup.
    private static let body = ElementID(elements.count)

    /// Tag names to elements, any case.
    private static let lookup = ElementLookup(names: elements.map(\.name))

    private enum AutoClose: UInt8 {
        case keeps, closes, unknown
    }

    /// Whether a start tag (row) closes the open element (column), `body` included as a column: libxml2's
    /// answer, asked once per pair. Its table does not say whether an element closes one of its own name;
    /// only `<p>` in `<p>` is known here (it does), the others are declined.
    private static let autoCloses: [AutoClose] = {
        HTMLText.initializeLibxml2()
        let names = elements.map(\.name) + ["body"]
        var table = [AutoClose](repeating: .keeps, count: elements.count * names.count)
        for (new, newName) in elements.map(\.name).enumerated() {
            for (open, openName) in names.enumerated() {
                let index = new * names.count + open
                if new == open {
                    table[index] = new == Int(paragraph) ? .closes : .unknown
                    continue
                }
                let closes = newName.withCString { newTag in
                    openName.withCString { openTag in
                        var element = xmlNode()
                        element.name = UnsafeRawPointer(newTag).assumingMemoryBound(to: xmlChar.self)
                        let open = UnsafeRawPointer(openTag).assumingMemoryBound(to: xmlChar.self)
                        return htmlAutoCloseTag(nil, open, &element)
                    }
                }
                table[index] = closes != 0 ? .closes : .keeps
            }
        }
        return table
    }()

    private static func autoClose(new: ElementID, open: ElementID) -> AutoClose {
        autoCloses[Int(new) * (elements.count + 1) + Int(open)]
    }

    /// What a byte means to the text loop.
    private enum ByteClass: UInt8 {
        /// Copied as it is.
        case text
        /// ASCII space, tab, line feed.
        case space
        case tagOpen
        case ampersand
        /// May begin a Unicode space (0xC2, 0xE1–0xE3) or a non-character (0xEF): looked at closer.
        case lead
        /// A control character libxml2 does not pass through unchanged (everything below 0x20 but tab and
        /// line feed, carriage return included).
        case refused
    }

    /// Allocated once and never freed: a table every call reads, with no array to retain and bounds-check.
    private nonisolated(unsafe) static let byteClasses: UnsafeBufferPointer<ByteClass> = {
        let table = UnsafeMutableBufferPointer<ByteClass>.allocate(capacity: 256)
        _ = table.initialize(from: (0...255).map(byteClass(of:)))
        return UnsafeBufferPointer(table)
    }()

    private static func byteClass(of value: Int) -> ByteClass {
        switch UInt8(value) {
        case 0x20, 0x09, 0x0A: .space
        case UInt8(ascii: "<"): .tagOpen
        case UInt8(ascii: "&"): .ampersand
        case 0xC2, 0xE1, 0xE2, 0xE3, 0xEF: .lead
        case 0x00..<0x20: .refused
        default: .text
        }
    }

    /// Where libxml2's element stack stands below the elements this reader opened.
    private enum Ground {
        /// Nothing read yet: the next start tag implies `<html><body>`, the next text an implied `<p>` as well.
        case nothing
        /// Inside the implied `<body>`.
        case body
        /// Inside a `<p>` libxml2 opened for text that came before any tag.
        case impliedParagraph
    }

    private struct Reader {
        static let maximumDepth = 32

        let input: UnsafeBufferPointer<UInt8>
        let output: UnsafeMutableBufferPointer<UInt8>
        let stack: UnsafeMutableBufferPointer<ElementID>
        let classes: UnsafeBufferPointer<ByteClass>
        var index = 0
        var written = 0
        var depth = 0
        var pendingSpace = false
        var ground = Ground.nothing

        init(
            input: UnsafeBufferPointer<UInt8>, output: UnsafeMutableBufferPointer<UInt8>,
            stack: UnsafeMutableBufferPointer<ElementID>, classes: UnsafeBufferPointer<ByteClass>
        ) {
            self.input = input
            self.output = output
            self.stack = stack
            self.classes = classes
        }

        /// Reads everything; false when declined.
        mutating func read() -> Bool {
            let count = input.count
            while index < count {
                switch classes[Int(input[index])] {
                case .text:
                    copyRun()
                case .space:
                    breakWord()
                    index += 1
                case .lead:
                    let spaceLength = UnicodeSpace.length(in: input, at: index)
                    if spaceLength > 0 {
                        breakWord()
                        index += spaceLength
                    } else {
                        guard !isNonCharacter(at: index) else { return false }
                        copyRun()
                    }
                case .tagOpen:
                    guard readTag() else { return false }
                case .ampersand:
                    guard readReference() else { return false }
                case .refused:
                    return false
                }
            }
            return true
        }

        /// Copies text from `index` up to the next byte that needs a decision; a lone ASCII space between two
        /// words stays in the run. The byte at `index` is known to be text.
        private mutating func copyRun() {
            let start = index
            let count = input.count
            guard let base = input.baseAddress else { return }
            var position = index + 1
            // Every step leaves `position` after a byte that is not a space, as `plainRunLength` requires.
            while position < count {
                if position + 8 <= count {
                    let length = Self.plainRunLength(ByteWord(at: base + position))
                    if length > 0 {
                        position += length
                        continue
                    }
                }
                let byteClass = classes[Int(base[position])]
                if byteClass == .text {
                    position += 1
                } else if byteClass == .lead, UnicodeSpace.length(in: input, at: position) == 0,
                    !isNonCharacter(at: position)
                {
                    position += 1
                } else if base[position] == 0x20, position + 1 < count, classes[Int(base[position + 1])] == .text {
                    position += 2
                } else {
                    break
                }
            }
            index = position
            emit(UnsafeBufferPointer(rebasing: input[start..<position]))
        }

        /// How many of eight bytes can join a run as they are: none when one is a control character, `<`, `&`
        /// or a byte that may start a Unicode space or a non-character (0xC2, 0xE0 and above), or when two spaces
        /// meet; else all eight, or seven when the last is a space, whose follower is in the next word. The byte
        /// before the word is text, never a space.
        @inline(__always)
        private static func plainRunLength(_ word: ByteWord) -> Int {
            if word.hasByte(below: 0x20) || word.has(UInt8(ascii: "<")) || word.has(UInt8(ascii: "&"))
                || word.hasLongLead || word.has(0xC2)
            {
                return 0
            }
            let spaces = word.mask(of: 0x20)
            guard spaces & (spaces >> 8) == 0 else { return 0 }
            return spaces >> 63 == 0 ? 8 : 7
        }

        private mutating func emit(_ text: UnsafeBufferPointer<UInt8>) {
            if pendingSpace {
                output[written] = 0x20
                written += 1
                pendingSpace = false
            }
            _ = UnsafeMutableBufferPointer(rebasing: output[written...]).initialize(fromContentsOf: text)
            written += text.count
            sawText()
        }

        /// libxml2 opens a `<p>` for text (or a reference) that comes before any tag.
        private mutating func sawText() {
            if ground == .nothing { ground = .impliedParagraph }
        }

        private mutating func breakWord() {
            if written > 0 { pendingSpace = true }
        }

        /// U+FFFE or U+FFFF (EF BF BE/BF), which libxml2 refuses.
        private func isNonCharacter(at position: Int) -> Bool {
            input[position] == 0xEF && position + 2 < input.count && input[position + 1] == 0xBF
                && input[position + 2] >= 0xBE
        }

        // MARK: Tags

        /// `<name attributes>`, `<name/>` or `</name>` at `index`; false when it is anything else.
        private mutating func readTag() -> Bool {
            index += 1
            let closing = peek(UInt8(ascii: "/"))
            if closing { index += 1 }
            guard let element = readElementName() else { return false }
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
            return start(element, selfClosing: selfClosing)
        }

        private mutating func start(_ element: ElementID, selfClosing: Bool) -> Bool {
            let kind = SimpleMarkupText.elements[Int(element)].kind
            // Before any other tag, libxml2 puts `<script>` and `<style>` in an implied `<head>`.
            if case .raw = kind, ground == .nothing { return false }
            guard closeWhatLibxml2Closes(before: element) else { return false }
            if ground == .nothing { ground = .body }
            switch kind {
            case .inline:
                if !selfClosing { return push(element) }
            case .block:
                breakWord()
                if !selfClosing { return push(element) }
            case .empty(let block):
                if block { breakWord() }
            case .raw:
                return !selfClosing && skipRawText(of: element)
            }
            return true
        }

        /// libxml2 ends the open element while the new start tag closes it (its `htmlAutoClose`).
        private mutating func closeWhatLibxml2Closes(before element: ElementID) -> Bool {
            while true {
                let open: ElementID
                if depth > 0 {
                    open = stack[depth - 1]
                } else {
                    switch ground {
                    case .nothing: return true
                    case .body: open = SimpleMarkupText.body
                    case .impliedParagraph: open = SimpleMarkupText.paragraph
                    }
                }
                switch SimpleMarkupText.autoClose(new: element, open: open) {
                case .keeps:
                    return true
                case .unknown:
                    return false
                case .closes:
                    if depth > 0 {
                        depth -= 1
                        if case .block = SimpleMarkupText.elements[Int(open)].kind { breakWord() }
                    } else if open == SimpleMarkupText.paragraph {
                        ground = .body
                        breakWord()
                    } else {
                        return false
                    }
                }
            }
        }

        private mutating func push(_ element: ElementID) -> Bool {
            guard depth < Self.maximumDepth else { return false }
            stack[depth] = element
            depth += 1
            return true
        }

        /// An end tag closes the innermost open element when it names it. libxml2 ignores one naming no open
        /// element at all (`</br>`, a stray `</b>`); one that names an element further down its stack closes
        /// what is above by rules of its own, so that is declined.
        private mutating func close(_ element: ElementID) -> Bool {
            if depth > 0, stack[depth - 1] == element {
                depth -= 1
                if case .block = SimpleMarkupText.elements[Int(element)].kind { breakWord() }
                return true
            }
            if element == SimpleMarkupText.paragraph, ground == .impliedParagraph { return false }
            return !stack[..<depth].contains(element)
        }

        /// The content of `<script>` or `<style>`: libxml2 (recovering) reads everything up to `</` and the
        /// element's name as raw text; the text is dropped, and the end tag must follow in full.
        private mutating func skipRawText(of element: ElementID) -> Bool {
            let name = SimpleMarkupText.elements[Int(element)].name.utf8
            let count = input.count
            while index < count {
                let byte = input[index]
                if byte == UInt8(ascii: "<"), index + 1 < count, input[index + 1] == UInt8(ascii: "/"),
                    index + 2 + name.count <= count,
                    zip(name, input[(index + 2)...]).allSatisfy({ $0 == $1 | 0x20 })
                {
                    index += 2 + name.count
                    skipSpaces()
                    guard peek(UInt8(ascii: ">")) else { return false }
                    index += 1
                    return true
                }
                let byteClass = classes[Int(byte)]
                if byteClass == .refused || (byteClass == .lead && isNonCharacter(at: index)) { return false }
                index += 1
            }
            return false
        }

        /// Attributes with quoted values, each after white space; their values are not text, so they are only
        /// skipped (entities in them included). Leaves `index` on what follows the last one.
        private mutating func readAttributes() -> Bool {
            let count = input.count
            while index < count {
                let spaced = skipSpaces()
                guard index < count else { return false }
                if input[index] == UInt8(ascii: ">") || input[index] == UInt8(ascii: "/") { return true }
                guard spaced, skipAttributeName() else { return false }
                skipSpaces()
                guard peek(UInt8(ascii: "=")) else { continue }
                index += 1
                skipSpaces()
                guard index < count else { return false }
                let quote = input[index]
                guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return false }
                index += 1
                while index < count, input[index] != quote {
                    let byte = input[index]
                    let byteClass = classes[Int(byte)]
                    if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byteClass == .refused
                        || (byteClass == .lead && isNonCharacter(at: index))
                    {
                        return false
                    }
                    index += 1
                }
                guard index < count else { return false }
                index += 1
            }
            return false
        }

        /// An ASCII name (letters, digits, `-`, `:`) starting with a letter.
        private mutating func skipAttributeName() -> Bool {
            guard index < input.count, isLetter(input[index]) else { return false }
            while index < input.count,
                isLetter(input[index]) || isDigit(input[index]) || input[index] == UInt8(ascii: "-")
                    || input[index] == UInt8(ascii: ":")
            {
                index += 1
            }
            return true
        }

        /// A tag name this reader knows, any case; nil for anything else, `-` and `:` in names included.
        private mutating func readElementName() -> ElementID? {
            let start = index
            guard index < input.count, isLetter(input[index]) else { return nil }
            while index < input.count, isLetter(input[index]) || isDigit(input[index]) { index += 1 }
            if index < input.count, input[index] == UInt8(ascii: "-") || input[index] == UInt8(ascii: ":") {
                return nil
            }
            return SimpleMarkupText.lookup.element(UnsafeBufferPointer(rebasing: input[start..<index]))
        }

        // MARK: References

        /// `&name;` for an HTML 4 entity, `&#digits;` / `&#xhex;` for a character libxml2 accepts as is, or a
        /// bare `&` before white space, which libxml2 keeps as text.
        private mutating func readReference() -> Bool {
            index += 1
            guard index < input.count else { return false }
            let scalar: Unicode.Scalar
            switch input[index] {
            case 0x20, 0x09, 0x0A:
                // The white space after it is read as text next.
                scalar = "&"
            case UInt8(ascii: "#"):
                index += 1
                guard let character = readCharacterReference(), takeSemicolon() else { return false }
                scalar = character
            default:
                guard let character = readEntityName(), takeSemicolon() else { return false }
                scalar = character
            }
            sawText()
            if UnicodeSpace.contains(scalar) {
                breakWord()
                return true
            }
            if pendingSpace {
                output[written] = 0x20
                written += 1
                pendingSpace = false
            }
            for unit in scalar.utf8 {
                output[written] = unit
                written += 1
            }
            return true
        }

        private mutating func takeSemicolon() -> Bool {
            guard peek(UInt8(ascii: ";")) else { return false }
            index += 1
            return true
        }

        /// An entity name of letters and digits, as libxml2's HTML 4 table has it (case matters).
        private mutating func readEntityName() -> Unicode.Scalar? {
            let start = index
            while index < input.count, isLetter(input[index]) || isDigit(input[index]) { index += 1 }
            return HTMLEntities.scalar(named: UnsafeBufferPointer(rebasing: input[start..<index]))
        }

        private mutating func readCharacterReference() -> Unicode.Scalar? {
            let hexadecimal = peek(UInt8(ascii: "x")) || peek(UInt8(ascii: "X"))
            if hexadecimal { index += 1 }
            var value: UInt32 = 0
            var digits = 0
            while index < input.count, digits < 7 {
                let byte = input[index]
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

        // MARK: Bytes

        @discardableResult
        private mutating func skipSpaces() -> Bool {
            let start = index
            while index < input.count, input[index] == 0x20 || input[index] == 0x09 || input[index] == 0x0A {
                index += 1
            }
            return index > start
        }

        private func peek(_ byte: UInt8) -> Bool { index < input.count && input[index] == byte }

        private func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) }

        private func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    }
}

/// Element names looked up without building a `String`: each name packed six bits a character into an integer,
/// found in a small open-addressing table.
private struct ElementLookup {
    private static let slots = 128
    private var keys: [UInt64]
    private var values: [UInt8]

    init(names: [String]) {
        keys = Array(repeating: 0, count: Self.slots)
        values = Array(repeating: 0, count: Self.slots)
        for (index, name) in names.enumerated() {
            let key = Array(name.utf8).withUnsafeBufferPointer { Self.key($0) }
            guard let key else { preconditionFailure("\(name) cannot be packed") }
            var slot = Self.slot(of: key)
            while keys[slot] != 0 { slot = (slot + 1) % Self.slots }
            keys[slot] = key
            values[slot] = UInt8(index)
        }
    }

    func element(_ name: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard let key = Self.key(name) else { return nil }
        var slot = Self.slot(of: key)
        while keys[slot] != 0 {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) % Self.slots
        }
        return nil
    }

    /// Letters (either case) and digits, at most ten; nil otherwise.
    private static func key(_ name: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard (1...10).contains(name.count) else { return nil }
        var key: UInt64 = 0
        for byte in name {
            let lower = byte | 0x20
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): key = key << 6 | UInt64(byte - UInt8(ascii: "0") + 27)
            case _ where lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"):
                key = key << 6 | UInt64(lower - UInt8(ascii: "a") + 1)
            default: return nil
            }
        }
        return key
    }

    private static func slot(of key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 57)
    }
}
