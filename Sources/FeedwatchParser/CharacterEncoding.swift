import Glibc
import Synchronization

/// A character encoding named the way the contract reports it: a lowercase IANA name.
struct CharacterEncoding: Hashable, Sendable {
    /// Lowercase IANA name (`utf-8`, `windows-1251`, `koi8-r`, `utf-16le`).
    let name: String

    static let utf8 = CharacterEncoding(name: "utf-8")
    static let utf16LittleEndian = CharacterEncoding(name: "utf-16le")
    static let utf16BigEndian = CharacterEncoding(name: "utf-16be")
    static let utf32LittleEndian = CharacterEncoding(name: "utf-32le")
    static let utf32BigEndian = CharacterEncoding(name: "utf-32be")
    static let windows1251 = CharacterEncoding(name: "windows-1251")
    static let windows1252 = CharacterEncoding(name: "windows-1252")
    static let koi8r = CharacterEncoding(name: "koi8-r")

    private init(name: String) { self.name = name }

    /// Common spellings of the same encodings, as servers and documents write them.
    private static let aliases: [String: String] = [
        "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
        "ascii": "us-ascii", "ansi_x3.4-1968": "us-ascii",
        "cp1251": "windows-1251", "win-1251": "windows-1251", "x-cp1251": "windows-1251", "win1251": "windows-1251",
        "cp1252": "windows-1252", "x-cp1252": "windows-1252", "win-1252": "windows-1252",
        "cp1250": "windows-1250", "cp1253": "windows-1253", "cp1254": "windows-1254", "cp1257": "windows-1257",
        "latin1": "iso-8859-1", "latin-1": "iso-8859-1", "l1": "iso-8859-1", "iso8859-1": "iso-8859-1",
        "iso_8859-1": "iso-8859-1", "iso-8859-1:1987": "iso-8859-1", "iso-ir-100": "iso-8859-1",
        "latin2": "iso-8859-2", "iso8859-2": "iso-8859-2", "iso_8859-2": "iso-8859-2",
        "iso8859-5": "iso-8859-5", "iso_8859-5": "iso-8859-5", "cyrillic": "iso-8859-5",
        "iso8859-15": "iso-8859-15", "iso_8859-15": "iso-8859-15", "latin-9": "iso-8859-15",
        "koi8r": "koi8-r", "koi8": "koi8-r", "cskoi8r": "koi8-r", "koi8u": "koi8-u",
        "utf16": "utf-16", "utf-16le": "utf-16le", "utf-16be": "utf-16be", "ucs-2": "utf-16",
        "utf32": "utf-32", "sjis": "shift_jis", "shift-jis": "shift_jis", "x-sjis": "shift_jis",
        "gb2312": "gb2312", "euc-cn": "gb2312", "x-euc-jp": "euc-jp",
    ]

    /// The encoding a label names, or `nil` when the label is empty or the system cannot decode it.
    init?(label: String) {
        let trimmed = label.trimmingWhitespace().lowercased()
        let unquoted = trimmed.filter { $0 != "\"" && $0 != "'" }
        guard !unquoted.isEmpty, unquoted.utf8.count <= 40 else { return nil }
        let name = Self.aliases[unquoted] ?? unquoted
        guard IconvHandle(from: Self.systemName(name)) != nil else { return nil }
        self.name = name
    }

    var isUTF8Compatible: Bool { name == "utf-8" || name == "us-ascii" }

    /// Wide encodings, whose markup is not ASCII bytes.
    var isUTF16Or32: Bool { name.hasPrefix("utf-16") || name.hasPrefix("utf-32") || name == "ucs-4" }

    /// The name handed to iconv. ISO-8859-1 is read as windows-1252, as browsers do: feeds labelled Latin-1
    /// routinely carry Windows quotes and dashes in 0x80–0x9F, which Latin-1 would turn into control characters.
    var systemName: String { Self.systemName(name) }

    private static func systemName(_ name: String) -> String {
        switch name {
        case "iso-8859-1": "WINDOWS-1252"
        default: name.uppercased()
        }
    }
}

/// One glibc iconv conversion descriptor to UTF-8, closed when released.
final class IconvHandle {
    private let descriptor: iconv_t

    init?(from encoding: String) {
        let opened = iconv_open("UTF-8", encoding)
        // iconv_open reports failure as (iconv_t)-1.
        guard let opened, Int(bitPattern: opened) != -1 else { return nil }
        descriptor = opened
    }

    deinit { iconv_close(descriptor) }

    enum Outcome {
        /// Everything given was converted.
        case complete
        /// The input ends inside a multi-byte character.
        case incomplete
        /// The byte at the current position is not valid in the encoding.
        case invalid
    }

    /// Converts from `input[consumed...]`, appending UTF-8 to `output`, until the input ends or a problem stops it.
    /// - Returns: the outcome and the new value of `consumed`.
    func convert(
        _ input: UnsafeBufferPointer<UInt8>, from consumed: Int, into output: inout [UInt8]
    ) -> (Outcome, Int) {
        guard let base = input.baseAddress, consumed < input.count else { return (.complete, consumed) }
        var inPointer = UnsafeMutablePointer(
            mutating: UnsafeRawPointer(base + consumed).assumingMemoryBound(to: CChar.self))
        var inLeft = input.count - consumed
        var scratch = [UInt8](repeating: 0, count: 4 * inLeft + 16)
        return scratch.withUnsafeMutableBytes { buffer in
            var outPointer: UnsafeMutablePointer<CChar>? = buffer.baseAddress?.assumingMemoryBound(to: CChar.self)
            var outLeft = buffer.count
            var inOptional: UnsafeMutablePointer<CChar>? = inPointer
            let result = iconv(descriptor, &inOptional, &inLeft, &outPointer, &outLeft)
            let failure = result == -1 ? errno : 0
            inPointer = inOptional ?? inPointer
            output.append(contentsOf: UnsafeRawBufferPointer(start: buffer.baseAddress, count: buffer.count - outLeft))
            let newConsumed = input.count - inLeft
            switch failure {
            case 0: return (.complete, newConsumed)
            case EINVAL: return (.incomplete, newConsumed)
            default: return (.invalid, newConsumed)
            }
        }
    }

    /// Forgets any shift state, so the next conversion starts fresh.
    func reset() {
        iconv(descriptor, nil, nil, nil, nil)
    }
}

/// The 256 characters of a single-byte encoding, precomputed once through iconv.
///
/// Decoding through a table is a lookup per byte, far cheaper than calling iconv on every chunk, and it lets
/// undefined bytes become U+FFFD without stopping the conversion.
struct SingleByteTable: Sendable {
    /// Per byte value, its character's UTF-8 (every single-byte encoding stays in the Basic Multilingual Plane,
    /// so at most three bytes) in the low bytes, first byte lowest, and the length in the top byte, with
    /// `undefinedFlag` set for a byte the encoding does not define (it becomes U+FFFD). One load and one
    /// four-byte store decode a byte.
    private let entries: [UInt32]
    private static let undefinedFlag: UInt32 = 0x8000_0000

    private static let cache = Mutex<[String: SingleByteTable?]>([:])

    /// The table for `encoding`, or `nil` when it is not a single-byte ASCII-compatible encoding.
    static func table(for encoding: CharacterEncoding) -> SingleByteTable? {
        if let cached = cache.withLock({ $0[encoding.name] }) { return cached }
        let built = build(encoding)
        cache.withLock { $0[encoding.name] = built }
        return built
    }

    private static func build(_ encoding: CharacterEncoding) -> SingleByteTable? {
        guard !encoding.isUTF16Or32, let handle = IconvHandle(from: encoding.systemName) else { return nil }
        var entries: [UInt32] = []
        for byte in 0...UInt8.max {
            var output: [UInt8] = []
            handle.reset()
            let (outcome, _) = [byte].withUnsafeBufferPointer { handle.convert($0, from: 0, into: &output) }
            switch outcome {
            case .incomplete: return nil
            case .invalid: output = [0xEF, 0xBF, 0xBD]
            case .complete:
                if byte < 0x80 && output != [byte] { return nil }
                guard (1...3).contains(output.count) else { return nil }
            }
            var entry = UInt32(output.count) << 24 | (outcome == .invalid ? undefinedFlag : 0)
            for (offset, unit) in output.enumerated() { entry |= UInt32(unit) << (8 * offset) }
            entries.append(entry)
        }
        return SingleByteTable(entries: entries)
    }

    /// Appends the UTF-8 form of `input` to `output`.
    /// - Returns: how many bytes the encoding does not define (each became U+FFFD).
    func decode(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Int {
        guard let source = input.baseAddress else { return 0 }
        var undefinedCount = 0
        // Every byte becomes at most three, and the last one's four-byte store needs one more.
        let decoded = [UInt8](unsafeUninitializedCapacity: input.count * 3 + 1) { target, written in
            guard let destination = target.baseAddress else { return }
            entries.withUnsafeBufferPointer { entries in
                var index = 0
                while index < input.count {
                    if index + 8 <= input.count {
                        let word = ByteWord(at: source + index)
                        if word.isASCII {
                            let eightBytes = UnsafeMutableRawPointer(destination + written)
                            eightBytes.storeBytes(of: word.bits.littleEndian, as: UInt64.self)
                            written += 8
                            index += 8
                            continue
                        }
                    }
                    let entry = entries[Int(source[index])]
                    index += 1
                    UnsafeMutableRawPointer(destination + written).storeBytes(of: entry.littleEndian, as: UInt32.self)
                    written += Int(entry >> 24 & 0x7F)
                    if entry & Self.undefinedFlag != 0 { undefinedCount += 1 }
                }
            }
        }
        if output.isEmpty {
            output = decoded
        } else {
            output.append(contentsOf: decoded)
        }
        return undefinedCount
    }
}
