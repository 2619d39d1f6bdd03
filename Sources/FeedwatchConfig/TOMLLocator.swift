/// Finds where each key and value of a TOML document is written, so diagnostics can name `file:line:column`.
///
/// TOMLKit reports positions only for syntax errors, not for the nodes it returns, so this scanner
/// walks the text a second time. Its positions are used only once TOMLKit has accepted the text, which
/// lets it stay small: it follows table headers (`[a.b]`, `[[feed]]`), dotted keys, inline tables, arrays
/// and all four string forms, and never has to recover from bad syntax. It runs before TOMLKit, though,
/// to spot the text toml++ aborts on (``abortingText``), so on any text it must end: every
/// loop pass moves on, and nesting deeper than toml++ allows ends the scan.
///
/// Columns count characters (grapheme clusters), as `Diagnostic` does when it draws the caret.
struct TOMLLocator {
    struct Position: Hashable, Sendable {
        var line: Int
        var column: Int
    }

    /// Where each key is written: the first character of its last dotted part (or of a header's name).
    private(set) var keys: [TOMLPath: Position] = [:]
    /// Where each value starts: for a string, its first character inside the quotes (after the newline
    /// that TOML trims from a multi-line string); otherwise its first character (`[`, `{`, a digit…).
    private(set) var values: [TOMLPath: Position] = [:]

    /// Text on which toml++ fails an assertion, aborting the process, instead of reporting an error:
    /// a table header whose name starts with a character no key may start with (`[/x]`, `[.feed]`,
    /// `[фиды]`), a date, a space and one digit (`2024-01-01 1`), which it takes for a date-time, or an
    /// array element starting with `}` or a Unicode line separator.
    struct AbortingText {
        /// Where it is.
        var position: Position
        /// What is wrong there, as a diagnostic says it.
        var problem: String
        /// The statements before the one it is in, which toml++ reads without reaching it.
        var textBefore: String
    }

    /// The first such text, if any.
    private(set) var abortingText: AbortingText?

    /// toml++ refuses values nested deeper than 256 arrays or inline tables, so a deeper scan would only
    /// recurse (once per level) through text TOMLKit rejects.
    private static let maximumNesting = 300

    private let text: [Character]
    private var index = 0
    private var nesting = 0
    /// Where the statement being scanned (a header or a key-value pair) starts.
    private var statementStart = 0
    private var line = 1
    private var column = 1
    /// How many `[[name]]` elements each array of tables has so far, by its resolved path.
    private var arrayTableCounts: [TOMLPath: Int] = [:]

    /// Scans `text`; the keys and values found are meaningful once TOMLKit has accepted it.
    init(scanning text: String) {
        self.text = Array(text)
        scanDocument()
    }

    // MARK: - Document structure

    private mutating func scanDocument() {
        var table = TOMLPath.root
        while true {
            skipBlankLinesAndComments()
            guard let character = current else { return }
            let start = index
            statementStart = index
            if character == "[" {
                table = scanHeader()
            } else {
                scanKeyValue(in: table)
            }
            ensureProgress(since: start)
        }
    }

    /// Reads `[a.b]` or `[[a.b]]` and returns the path the following keys belong to.
    private mutating func scanHeader() -> TOMLPath {
        let isArray = peek(1) == "["
        advance(isArray ? 2 : 1)
        skipSpaces()
        if !Self.mayStartHeaderName(current, afterDoubleBracket: isArray) {
            let found = current.flatMap { isNewline($0) ? nil : "'\($0)'" } ?? "the end of the line"
            noteAbortingText("a table name must start with a letter, a digit, '_', '-' or a quote, not \(found)")
        }
        let parts = scanDottedKey()
        skipSpaces()
        advance(isArray ? 2 : 1)

        var path = TOMLPath.root
        for (offset, part) in parts.enumerated() {
            path = path.appending(part.key)
            let isLast = offset == parts.count - 1
            if isLast && isArray {
                let elementIndex = arrayTableCounts[path, default: 0]
                arrayTableCounts[path] = elementIndex + 1
                record(key: part.position, for: path)
                path = path.appending(index: elementIndex)
            } else if let count = arrayTableCounts[path] {
                // A header inside an array of tables refers to its latest element.
                path = path.appending(index: count - 1)
            }
            record(key: part.position, for: path)
        }
        return path
    }

    /// Whether toml++ takes what follows a header's `[` (or `[[`) and spaces without failing its assertion:
    /// a key's first character, or what it reports itself (the end of the text, the `]` of an empty name,
    /// a second `[` after a space).
    private static func mayStartHeaderName(_ character: Character?, afterDoubleBracket: Bool) -> Bool {
        guard let character else { return true }
        return TOMLPath.isBareKeyCharacter(character) || character == "\"" || character == "'" || character == "]"
            || (character == "[" && !afterDoubleBracket)
    }

    private mutating func scanKeyValue(in table: TOMLPath) {
        var path = table
        for part in scanDottedKey() {
            path = path.appending(part.key)
            record(key: part.position, for: path)
        }
        skipSpaces()
        advance()  // "="
        skipSpaces()
        scanValue(at: path)
    }

    private mutating func scanDottedKey() -> [(key: String, position: Position)] {
        var parts: [(key: String, position: Position)] = []
        while true {
            skipSpaces()
            let position = here
            parts.append((scanSimpleKey(), position))
            skipSpaces()
            guard current == "." else { return parts }
            advance()
        }
    }

    private mutating func scanSimpleKey() -> String {
        switch current {
        case "\"": return scanSingleLineString(quote: "\"", escapes: true)
        case "'": return scanSingleLineString(quote: "'", escapes: false)
        default:
            var key = ""
            while let character = current, TOMLPath.isBareKeyCharacter(character) {
                key.append(character)
                advance()
            }
            return key
        }
    }

    // MARK: - Values

    private mutating func scanValue(at path: TOMLPath) {
        if starts(with: "\"\"\"") || starts(with: "'''") {
            scanMultilineString(at: path)
            return
        }
        switch current {
        case "\"", "'":
            let quote = current ?? "\""
            values[path] = Position(line: line, column: column + 1)
            _ = scanSingleLineString(quote: quote, escapes: quote == "\"")
        case "[":
            guard enterNesting() else { return }
            defer { nesting -= 1 }
            values[path] = here
            advance()
            var element = 0
            while true {
                skipBlankLinesAndComments()
                if current == "]" || current == nil { break }
                if let character = current, Self.abortsAsArrayElement(character) {
                    let found = character == "}" ? "'}'" : "U+\(String(character.unicodeScalars.first?.value ?? 0, radix: 16, uppercase: true))"
                    noteAbortingText("expected a value, ',' or ']' in the array, not \(found)")
                }
                let start = index
                scanValue(at: path.appending(index: element))
                element += 1
                skipBlankLinesAndComments()
                if current == "," { advance() }
                ensureProgress(since: start)
            }
            advance()
        case "{":
            guard enterNesting() else { return }
            defer { nesting -= 1 }
            values[path] = here
            advance()
            while true {
                skipSpaces()
                if current == "}" || current == nil { break }
                let start = index
                scanKeyValue(in: path)
                skipSpaces()
                if current == "," { advance() }
                ensureProgress(since: start)
            }
            advance()
        default:
            // Numbers, booleans, dates and times: up to the next delimiter.
            let (start, position) = (index, here)
            values[path] = position
            while let character = current, !",]}#".contains(character), !isNewline(character) { advance() }
            if Self.isDateThenOneDigit(text[start..<index], followedByEnd: current == nil) {
                noteAbortingText(
                    "a date followed by a space and one digit is neither a date nor a date-time (a time is HH:MM:SS)",
                    at: position)
            }
        }
    }

    /// Whether toml++ would assert on `character` where an array element starts: a `}`, or a line break it
    /// neither skips nor reports (U+0085, U+2028, U+2029; `\v` and `\f` it reports, and are refused either way).
    private static func abortsAsArrayElement(_ character: Character) -> Bool {
        character == "}" || (character.isNewline && character != "\n" && character != "\r\n")
    }

    /// Whether toml++'s value reader would assert on `token` (read up to `,`, `]`, `}`, `#` or a line end): ten
    /// digits and dashes with dashes at 4 and 7, a space, one digit, then anything it counts as a value's end.
    /// At the end of the text it stops without the assertion.
    private static func isDateThenOneDigit(_ token: ArraySlice<Character>, followedByEnd atEndOfText: Bool) -> Bool {
        let characters = Array(token)
        guard characters.count >= 12, characters[0].isASCII, characters[0].isNumber,
            characters[..<10].allSatisfy({ $0 == "-" || ($0.isASCII && $0.isNumber) }),
            characters[4] == "-", characters[7] == "-", characters[10] == " ",
            characters[11].isASCII, characters[11].isNumber
        else { return false }
        if characters.count == 12 { return !atEndOfText }
        return characters[12].isWhitespace
    }

    /// Reads a one-line string starting at its opening quote and returns its text, escapes decoded
    /// well enough for key names (the values themselves come from TOMLKit).
    private mutating func scanSingleLineString(quote: Character, escapes: Bool) -> String {
        advance()
        var value = ""
        while let character = current, character != quote {
            if escapes && character == "\\" {
                advance()
                switch current {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case .some(let escaped): value.append(escaped)
                case nil: break
                }
                advance()
                continue
            }
            value.append(character)
            advance()
        }
        advance()
        return value
    }

    private mutating func scanMultilineString(at path: TOMLPath) {
        let quote = current ?? "\""
        let escapes = quote == "\""
        advance(3)
        // TOML drops a newline right after the opening delimiter; the text starts on the next line.
        if let character = current, isNewline(character) { advance() }
        values[path] = here
        while let character = current {
            if escapes && character == "\\" {
                advance(2)
            } else if starts(with: String(repeating: quote, count: 3)) {
                // Up to two quotes right before the closing delimiter belong to the string.
                var run = 0
                while current == quote && run < 5 {
                    advance()
                    run += 1
                }
                return
            } else {
                advance()
            }
        }
    }

    // MARK: - Positions

    private mutating func record(key position: Position, for path: TOMLPath) {
        if keys[path] == nil { keys[path] = position }
    }

    // MARK: - Characters

    private var current: Character? { index < text.count ? text[index] : nil }

    private var here: Position { Position(line: line, column: column) }

    private func peek(_ distance: Int) -> Character? {
        index + distance < text.count ? text[index + distance] : nil
    }

    private func starts(with prefix: String) -> Bool {
        var offset = 0
        for character in prefix {
            guard peek(offset) == character else { return false }
            offset += 1
        }
        return true
    }

    private func isNewline(_ character: Character) -> Bool { character == "\n" || character == "\r\n" }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count {
            guard let character = current else { return }
            if isNewline(character) {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
    }

    /// Keeps the first text toml++ would abort on; `position` defaults to where the scan is.
    private mutating func noteAbortingText(_ problem: String, at position: Position? = nil) {
        guard abortingText == nil else { return }
        abortingText = AbortingText(
            position: position ?? here, problem: problem, textBefore: String(text[..<statementStart]))
    }

    /// Counts one more level of arrays and inline tables; past ``maximumNesting`` it ends the scan instead.
    private mutating func enterNesting() -> Bool {
        guard nesting < Self.maximumNesting else {
            index = text.count
            return false
        }
        nesting += 1
        return true
    }

    /// Steps over one character when a loop's pass consumed nothing.
    ///
    /// Text TOMLKit accepted always moves the scan on. Text it read differently (it stops at a NUL,
    /// for one, where this scanner does not) could otherwise hold a loop in place forever, growing
    /// the array paths it records: the config fuzz target found that once.
    private mutating func ensureProgress(since start: Int) {
        if index == start { advance() }
    }

    private mutating func skipSpaces() {
        while current == " " || current == "\t" { advance() }
    }

    private mutating func skipBlankLinesAndComments() {
        while let character = current {
            if character == " " || character == "\t" || isNewline(character) {
                advance()
            } else if character == "#" {
                while let next = current, !isNewline(next) { advance() }
            } else {
                return
            }
        }
    }
}
