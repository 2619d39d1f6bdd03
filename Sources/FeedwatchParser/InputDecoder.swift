/// Turns a document's raw bytes, chunk by chunk, into clean UTF-8 for libxml2.
///
/// The encoding is chosen as CONTRACT.md orders it: byte-order mark, then the HTTP charset, then the XML
/// declaration, then detection. Mislabelled documents are common (a declaration saying UTF-8 over windows-1251
/// bytes, a server saying ISO-8859-1 over UTF-8), so the first chunk holding non-ASCII bytes is checked against the
/// label and, when the label is clearly wrong, the bytes win and a warning says so. Decoding is ours (a table per
/// single-byte encoding, glibc iconv for the rest) and libxml2 is told to ignore the declaration: it only ever
/// sees UTF-8, and Swift never touches libxml2's encoding handlers (see STYLE.md on the ICU clash).
struct InputDecoder {
    /// How the encoding was chosen, for the wording of warnings.
    private enum Evidence {
        case byteOrderMark
        case httpCharset
        case declaration
        case undeclared

        var phrase: String {
            switch self {
            case .byteOrderMark: "its byte-order mark"
            case .httpCharset: "the HTTP charset"
            case .declaration: "the XML declaration"
            case .undeclared: "default"
            }
        }
    }

    private enum Decoding {
        case utf8
        case table(SingleByteTable)
        case converter(IconvHandle, unitSize: Int)
    }

    private let httpCharset: String?
    /// Bytes held until the encoding can be chosen.
    private var prologue: [UInt8] = []
    private var decoding: Decoding?
    private var evidence = Evidence.undeclared
    /// Whether the label has been checked against the first non-ASCII bytes.
    private var labelChecked = false
    /// Raw bytes not yet decoded (the start of a multi-byte character or reference at a chunk's end).
    private var pendingRaw: [UInt8] = []
    /// Decoded bytes the sanitizer could not decide yet.
    private var pendingDecoded: [UInt8] = []
    private var decoded: [UInt8] = []
    private var undefinedByteCount = 0
    private var sanitizer = XMLTextSanitizer()

    /// The encoding the document is being read in, once chosen.
    private(set) var encoding: CharacterEncoding?
    private(set) var warnings: [String] = []

    /// How many bytes are enough to see a byte-order mark and a complete XML declaration.
    private static let prologueLength = 1024

    init(httpCharset: String?) {
        self.httpCharset = httpCharset
    }

    /// Decodes `chunk` and appends clean UTF-8 to `output`; some bytes may be held back until the next chunk.
    mutating func decode(_ chunk: UnsafeBufferPointer<UInt8>, isLast: Bool, into output: inout [UInt8]) {
        guard decoding == nil else {
            process(chunk, isLast: isLast, into: &output)
            return
        }
        // A chunk that holds the whole prologue is read where it is; shorter ones are gathered first.
        if prologue.isEmpty, chunk.count >= Self.prologueLength || isLast {
            begin(chunk, isLast: isLast, into: &output)
            return
        }
        prologue.append(contentsOf: chunk)
        guard prologue.count >= Self.prologueLength || isLast else { return }
        let held = prologue
        prologue = []
        held.withUnsafeBufferPointer { begin($0, isLast: isLast, into: &output) }
    }

    /// Chooses the encoding from the prologue at the start of `bytes`, then decodes them all.
    private mutating func begin(_ bytes: UnsafeBufferPointer<UInt8>, isLast: Bool, into output: inout [UInt8]) {
        let start = choose(Array(bytes.prefix(Self.prologueLength)))
        process(UnsafeBufferPointer(rebasing: bytes[start...]), isLast: isLast, into: &output)
    }

    /// The warnings that can only be counted at the end (replaced bytes, rewritten ampersands).
    func closingWarnings() -> [String] {
        var closing: [String] = []
        let name = encoding?.name ?? "utf-8"
        let replaced = sanitizer.invalidByteCount + undefinedByteCount
        if replaced > 0 {
            let bytes = replaced == 1 ? "1 byte that is" : "\(replaced) bytes that are"
            closing.append("encoding: \(bytes) not valid \(name) \(replaced == 1 ? "was" : "were") replaced by U+FFFD")
        }
        if sanitizer.bareAmpersandCount > 0 {
            let count = sanitizer.bareAmpersandCount
            closing.append("xml: \(count) bare \"&\" \(count == 1 ? "character was" : "characters were") read as text")
        }
        return closing
    }

    // MARK: - Choosing the encoding

    /// Chooses the encoding from the document's first bytes and returns where its text starts (after a BOM and
    /// any whitespace before the XML declaration, which libxml2 would reject).
    private mutating func choose(_ bytes: [UInt8]) -> Int {
        if let (found, length) = Self.byteOrderMark(bytes) {
            evidence = .byteOrderMark
            select(found)
            return length + (found.isUTF16Or32 ? 0 : Self.whitespaceBeforeDeclaration(bytes, from: length))
        }
        if let wide = Self.wideEncodingByPattern(bytes) {
            select(wide)
            return 0
        }
        if let httpCharset {
            if let named = CharacterEncoding(label: httpCharset) {
                evidence = .httpCharset
                select(named)
                return Self.whitespaceBeforeDeclaration(bytes, from: 0)
            }
            warnings.append("encoding: the server's charset \"\(httpCharset)\" is unknown and was ignored")
        }
        if let label = Self.declaredEncoding(bytes) {
            if let named = CharacterEncoding(label: label), !named.isUTF16Or32 {
                evidence = .declaration
                select(named)
            } else {
                warnings.append("encoding: the declared encoding \"\(label)\" is unknown here; read as utf-8")
                select(.utf8)
            }
            return Self.whitespaceBeforeDeclaration(bytes, from: 0)
        }
        select(.utf8)
        return Self.whitespaceBeforeDeclaration(bytes, from: 0)
    }

    private mutating func select(_ chosen: CharacterEncoding) {
        encoding = chosen
        if chosen.isUTF8Compatible {
            decoding = .utf8
        } else if let table = SingleByteTable.table(for: chosen) {
            decoding = .table(table)
        } else if let handle = IconvHandle(from: chosen.systemName) {
            decoding = .converter(handle, unitSize: chosen.name.hasPrefix("utf-32") ? 4 : chosen.isUTF16Or32 ? 2 : 1)
        } else {
            encoding = .utf8
            decoding = .utf8
        }
    }

    private static func byteOrderMark(_ bytes: [UInt8]) -> (CharacterEncoding, Int)? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return (.utf32BigEndian, 4) }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return (.utf32LittleEndian, 4) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (.utf16BigEndian, 2) }
        if bytes.starts(with: [0xFF, 0xFE]) { return (.utf16LittleEndian, 2) }
        return nil
    }

    /// UTF-16 and UTF-32 without a byte-order mark still show themselves: `<` next to zero bytes.
    private static func wideEncodingByPattern(_ bytes: [UInt8]) -> CharacterEncoding? {
        let lt = UInt8(ascii: "<")
        if bytes.starts(with: [lt, 0, 0, 0]) { return .utf32LittleEndian }
        if bytes.starts(with: [0, 0, 0, lt]) { return .utf32BigEndian }
        if bytes.starts(with: [lt, 0]) { return .utf16LittleEndian }
        if bytes.starts(with: [0, lt]) { return .utf16BigEndian }
        return nil
    }

    /// How many whitespace bytes precede `<?xml` at `start`, or 0 when no declaration follows them.
    private static func whitespaceBeforeDeclaration(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return bytes[index...].starts(with: "<?xml".utf8) ? index - start : 0
    }

    /// The `encoding` pseudo-attribute of an ASCII-compatible XML declaration.
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        var index = 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        guard bytes[index...].starts(with: "<?xml".utf8) else { return nil }
        let limit = min(bytes.count, index + 300)
        guard let close = bytes[index..<limit].firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let declaration = String(decoding: bytes[index..<close], as: UTF8.self)
        guard let keyword = declaration.range(of: "encoding") else { return nil }
        let isSpace = { (character: Character) in character == " " || character == "\t" || character.isNewline }
        var rest = declaration[keyword.upperBound...].drop(while: isSpace)
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop(while: isSpace)
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix(while: { $0 != quote })
        return value.isEmpty ? nil : String(value)
    }

    // MARK: - Decoding

    private mutating func process(_ chunk: UnsafeBufferPointer<UInt8>, isLast: Bool, into output: inout [UInt8]) {
        if pendingRaw.isEmpty {
            processRaw(chunk, isLast: isLast, into: &output)
        } else {
            var joined = pendingRaw
            pendingRaw = []
            joined.append(contentsOf: chunk)
            joined.withUnsafeBufferPointer { processRaw($0, isLast: isLast, into: &output) }
        }
    }

    private mutating func processRaw(_ raw: UnsafeBufferPointer<UInt8>, isLast: Bool, into output: inout [UInt8]) {
        if !labelChecked, evidence != .byteOrderMark { checkLabel(against: raw) }
        switch decoding {
        case .utf8, nil:
            let consumed = sanitizer.sanitize(raw, isLast: isLast, into: &output)
            pendingRaw.append(contentsOf: raw[consumed...])
        case .table(let table):
            decoded = pendingDecoded
            pendingDecoded = []
            undefinedByteCount += table.decode(raw, into: &decoded)
            sanitizeDecoded(isLast: isLast, into: &output)
        case .converter(let handle, let unitSize):
            decoded = pendingDecoded
            pendingDecoded = []
            var consumed = 0
            while true {
                let (outcome, next) = handle.convert(raw, from: consumed, into: &decoded)
                consumed = next
                switch outcome {
                case .complete: break
                case .incomplete where !isLast:
                    pendingRaw.append(contentsOf: raw[consumed...])
                case .incomplete, .invalid:
                    decoded.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    undefinedByteCount += min(unitSize, raw.count - consumed)
                    consumed = min(raw.count, consumed + unitSize)
                    handle.reset()
                    continue
                }
                break
            }
            sanitizeDecoded(isLast: isLast, into: &output)
        }
    }

    private mutating func sanitizeDecoded(isLast: Bool, into output: inout [UInt8]) {
        let consumed = decoded.withUnsafeBufferPointer { sanitizer.sanitize($0, isLast: isLast, into: &output) }
        pendingDecoded.append(contentsOf: decoded[consumed...])
    }

    /// Compares the label with the first non-ASCII bytes and switches when they clearly disagree.
    private mutating func checkLabel(against raw: UnsafeBufferPointer<UInt8>) {
        guard let firstHigh = UTF8Scan.firstNonASCII(in: raw), let current = encoding else { return }
        labelChecked = true
        // 16 KB of text from the first non-ASCII byte on settles the question; more would only cost time.
        let sample = UnsafeBufferPointer(rebasing: raw[firstHigh..<min(raw.count, firstHigh + (16 << 10))])
        switch decoding {
        case .utf8:
            let (multiByte, invalid) = UTF8Scan.statistics(sample)
            // A few stray bytes in real UTF-8 are replaced later; only bytes that are mostly not UTF-8 mean a wrong
            // label.
            guard invalid > multiByte else { return }
            let guess = SingleByteGuess.encoding(of: sample)
            let claim =
                evidence == .undeclared
                ? "no encoding is declared and the bytes are not utf-8"
                : "\(evidence.phrase) says \(current.name) but the bytes are not"
            warnings.append("encoding: \(claim); read as \(guess.name)")
            select(guess)
        case .table:
            // One byte that is not UTF-8 settles it: the label stands.
            let (multiByte, invalid) = UTF8Scan.statistics(sample, stoppingAtInvalid: true)
            guard invalid == 0, multiByte > 0 else { return }
            warnings.append("encoding: \(evidence.phrase) says \(current.name) but the bytes are utf-8; read as utf-8")
            select(.utf8)
        case .converter, nil:
            return
        }
    }
}

/// Tells windows-1251, KOI8-R and windows-1252 apart from the bytes alone.
enum SingleByteGuess {
    /// Cyrillic text is runs of high bytes; Western European text has single accented letters between ASCII
    /// ones. Within Cyrillic, lowercase letters dominate running text: windows-1251 puts them at 0xE0–0xFF,
    /// KOI8-R at 0xC0–0xDF.
    static func encoding(of bytes: UnsafeBufferPointer<UInt8>) -> CharacterEncoding {
        var high = 0
        var highAfterHigh = 0
        var upperHalf = 0
        var lowerHalf = 0
        var previousWasHigh = false
        for byte in bytes {
            let isHigh = byte >= 0x80
            if isHigh {
                high += 1
                if previousWasHigh { highAfterHigh += 1 }
                if byte >= 0xE0 { upperHalf += 1 } else if byte >= 0xC0 { lowerHalf += 1 }
            }
            previousWasHigh = isHigh
        }
        guard high > 0, highAfterHigh * 2 >= high else { return .windows1252 }
        return upperHalf >= lowerHalf ? .windows1251 : .koi8r
    }
}
