import FeedwatchCore
import Foundation
import TOMLKit

/// What every table reader of one load shares: the problems found so far, the folder relative
/// paths resolve against, and the environment secrets may come from.
final class LoadContext {
    private(set) var diagnostics: [Diagnostic] = []
    /// The config file's folder, absolute.
    let configDirectory: String
    let environment: [String: String]
    /// Whether to check what a running daemon needs from the file system (see `Configuration.load`).
    let checksFiles: Bool

    init(configDirectory: String, environment: [String: String], checksFiles: Bool) {
        self.configDirectory = configDirectory
        self.environment = environment
        self.checksFiles = checksFiles
    }

    func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// `path` made absolute against the config file's folder, with `.` and `..` removed.
    func resolve(_ path: String) -> String {
        let base = URL(fileURLWithPath: configDirectory, isDirectory: true)
        return URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL.path
    }
}

/// Reads one TOML table: typed values with their locations, each problem reported where it is
/// written, and — once the loader has asked for every key it knows — the keys nobody asked for.
///
/// Getters never throw: a missing key is `nil`, and a wrong one is reported and also `nil`, so a
/// single load finds every problem in the file.
final class TableReader {
    let table: TOMLTable
    let path: TOMLPath
    let document: TOMLDocument
    let context: LoadContext
    /// Keys the loader asked for, in order; what "did you mean" chooses from.
    private var knownKeys: [String] = []

    init(table: TOMLTable, path: TOMLPath, document: TOMLDocument, context: LoadContext) {
        self.table = table
        self.path = path
        self.document = document
        self.context = context
    }

    /// Where this table is declared (its `[header]`, its key, or its `{`).
    var location: SourceLocation? { document.keyLocation(path) }

    func keyLocation(_ key: String) -> SourceLocation? { document.keyLocation(path.appending(key)) }

    func valueLocation(_ key: String) -> SourceLocation? { document.valueLocation(path.appending(key)) }

    /// The name a message uses for `key` in this table: `feed[2].interval`.
    func name(_ key: String) -> String { path.appending(key).description }

    func report(_ message: String, at location: SourceLocation?) {
        context.report(document.diagnostic(message, at: location))
    }

    /// Reads a key that must be present with `read`; a missing one is reported at this table's declaration.
    func required<Value>(_ key: String, _ read: (String) -> Value?) -> Value? {
        guard table[key] != nil else {
            knownKeys.append(key)
            report("missing required key '\(name(key))'", at: location)
            return nil
        }
        return read(key)
    }

    // MARK: - Typed values

    func string(_ key: String, expected: String = "a string") -> Located<String>? {
        guard let value = raw(key) else { return nil }
        guard let text = value.string else { return mismatch(key, expected: expected, found: value) }
        return Located(text, at: valueLocation(key))
    }

    func bool(_ key: String) -> Bool? {
        guard let value = raw(key) else { return nil }
        guard let flag = value.bool else { return mismatch(key, expected: "true or false", found: value) }
        return flag
    }

    func integer(_ key: String, atLeast minimum: Int) -> Int? {
        guard let value = raw(key) else { return nil }
        guard let number = value.int else { return mismatch(key, expected: "a whole number", found: value) }
        guard number >= minimum else {
            report("'\(name(key))' must be at least \(minimum), not \(number)", at: valueLocation(key))
            return nil
        }
        return number
    }

    /// A number written either as an integer (`3`) or with a fraction (`2.5`).
    func number(_ key: String) -> Located<Double>? {
        guard let value = raw(key) else { return nil }
        guard let number = value.double ?? value.int.map(Double.init) else {
            return mismatch(key, expected: "a number", found: value)
        }
        return Located(number, at: valueLocation(key))
    }

    func strings(_ key: String) -> [Located<String>]? {
        guard let value = raw(key) else { return nil }
        guard let array = value.array else { return mismatch(key, expected: "an array of strings", found: value) }
        var result: [Located<String>] = []
        for (index, element) in array.enumerated() {
            let elementPath = path.appending(key).appending(index: index)
            guard let text = element.string else {
                report(
                    "'\(elementPath)' must be a string, not \(Self.describe(element))",
                    at: document.valueLocation(elementPath))
                continue
            }
            result.append(Located(text, at: document.valueLocation(elementPath)))
        }
        return result
    }

    func duration(_ key: String, atLeast minimum: Duration = .zero) -> Duration? {
        string(key, expected: "a duration such as \"15m\"").flatMap { duration($0, for: key, atLeast: minimum) }
    }

    /// Reads `text`, the value of `key`, as a duration; a fault is reported at its character in the string.
    func duration(_ text: Located<String>, for key: String, atLeast minimum: Duration = .zero) -> Duration? {
        do {
            let duration = try DurationText.parse(text.value)
            guard duration >= minimum else {
                report(
                    "'\(name(key))' must be at least \(DurationText.format(minimum)), not \"\(text.value)\"",
                    at: text.location)
                return nil
            }
            return duration
        } catch {
            report("invalid duration for '\(name(key))': \(error.message)", at: text.location(ofOffset: error.offset))
            return nil
        }
    }

    /// A byte count written as a size (`"20MB"`) or a plain integer of bytes.
    func size(_ key: String) -> Int? {
        guard let value = raw(key) else { return nil }
        if let bytes = value.int {
            guard bytes >= 0 else {
                report("'\(name(key))' cannot be negative", at: valueLocation(key))
                return nil
            }
            return bytes
        }
        guard let text = value.string else {
            return mismatch(key, expected: "a size such as \"20MB\"", found: value)
        }
        let located = Located(text, at: valueLocation(key))
        do {
            return try ByteSizeText.parse(text)
        } catch {
            report("invalid size for '\(name(key))': \(error.message)", at: located.location(ofOffset: error.offset))
            return nil
        }
    }

    /// A file-system path, made absolute against the config file's folder.
    func filePath(_ key: String) -> Located<String>? {
        guard let text = string(key, expected: "a path") else { return nil }
        guard !text.value.isEmpty else {
            report("'\(name(key))' is empty; give a path", at: text.location)
            return nil
        }
        return Located(context.resolve(text.value), at: text.location)
    }

    // MARK: - Nested tables

    func table(_ key: String) -> TableReader? {
        guard let value = raw(key) else { return nil }
        guard let nested = value.table else { return mismatch(key, expected: "a table", found: value) }
        return TableReader(table: nested, path: path.appending(key), document: document, context: context)
    }

    /// The elements of an array of tables (`[[feed]]`, or `feed = [{ … }]`).
    func tables(_ key: String) -> [TableReader] {
        guard let value = raw(key) else { return [] }
        guard let array = value.array else {
            return mismatch(key, expected: "an array of tables ([[\(key)]])", found: value) ?? []
        }
        var readers: [TableReader] = []
        for (index, element) in array.enumerated() {
            let elementPath = path.appending(key).appending(index: index)
            guard let nested = element.table else {
                report(
                    "'\(elementPath)' must be a table, not \(Self.describe(element))",
                    at: document.valueLocation(elementPath))
                continue
            }
            readers.append(TableReader(table: nested, path: elementPath, document: document, context: context))
        }
        return readers
    }

    /// Every key of a table whose keys the user chooses (header names, term list names), in file order.
    func freeFormKeys() -> [String] {
        let keys = table.keys.sorted { lhs, rhs in
            let left = keyLocation(lhs)
            let right = keyLocation(rhs)
            return (left?.line ?? 0, left?.column ?? 0) < (right?.line ?? 0, right?.column ?? 0)
        }
        knownKeys.append(contentsOf: keys)
        return keys
    }

    /// Reports each key the loader never asked for, suggesting a known key that is spelled alike.
    ///
    /// - Parameter hint: what the table may hold, added when no known key is close.
    func rejectUnknownKeys(hint: String? = nil) {
        let asked = knownKeys
        for key in freeFormKeys() where !asked.contains(key) {
            var message = "unknown key '\(name(key))'"
            if let suggestion = Spelling.closest(to: key, among: asked) {
                message += "; did you mean '\(suggestion)'?"
            } else if let hint {
                message += "; \(hint)"
            }
            report(message, at: keyLocation(key))
        }
    }

    // MARK: - Helpers

    private func raw(_ key: String) -> (any TOMLValueConvertible)? {
        knownKeys.append(key)
        return table[key]
    }

    /// Reports a value of the wrong type and returns nil, so getters can `return mismatch(…)`.
    private func mismatch<T>(_ key: String, expected: String, found: any TOMLValueConvertible) -> T? {
        report("'\(name(key))' must be \(expected), not \(Self.describe(found))", at: valueLocation(key))
        return nil
    }

    /// A TOML type with its article, for messages: "an integer", "a table".
    static func describe(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a floating-point number"
        case .bool: "a boolean"
        case .date: "a date"
        case .time: "a time"
        case .dateTime: "a date-time"
        case .array: "an array"
        case .table: "a table"
        }
    }
}

/// "Did you mean" for misspelt keys and names.
enum Spelling {
    /// The candidate a typo of `word` most likely meant: one that starts with it (`warn` → `warning`),
    /// or the nearest by edit distance when that is at most two edits and under half the word.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        if lowered.count >= 3, let completion = candidates.first(where: { $0.lowercased().hasPrefix(lowered) }) {
            return completion
        }
        let scored = candidates.map { ($0, distance(lowered, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2, best.1 * 2 < word.count else { return nil }
        return best.0
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of neighbours
    /// (optimal string alignment), since swapped letters are the commonest typo.
    static func distance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        guard !left.isEmpty, !right.isEmpty else { return max(left.count, right.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: right.count + 1), count: left.count + 1)
        for i in 0...left.count { table[i][0] = i }
        for j in 0...right.count { table[0][j] = j }
        for i in 1...left.count {
            for j in 1...right.count {
                let cost = left[i - 1] == right[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, left[i - 1] == right[j - 2], left[i - 2] == right[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[left.count][right.count]
    }
}
