import FeedwatchCore
import Foundation
import TOMLKit

/// One TOML file parsed by TOMLKit, together with where each of its keys and values is written.
///
/// TOMLKit 0.6 frees nothing it gets from toml++: each load keeps its parse tree and a copy of every
/// string read (about 60 KB for the shipped config with its rule files). Configs are read at start and
/// on SIGHUP only.
struct TOMLDocument {
    /// The file's name as diagnostics show it (as the user wrote it, or joined to the config's folder).
    let path: String
    let root: TOMLTable
    private let lines: [String]
    private let locator: TOMLLocator

    /// Parses `text`; a syntax error becomes a diagnostic at TOMLKit's line and column.
    init(path: String, text: String) throws(Diagnostic) {
        self.path = path
        // toml++ reads a byte-order mark fine, but the locator's columns must not count it.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        // TOMLKit hands toml++ a C string, so it would read only up to a NUL while the locator reads on:
        // the rest of the file was silently ignored, and the locator, lost in it, looped and grew without
        // bound (a 1.8 KB config took 2 GB; found by the config fuzz target). TOML forbids NUL anyway.
        if let nul = lines.firstIndex(where: { $0.contains("\0") }) {
            let column = lines[nul].prefix { $0 != "\0" }.count + 1
            throw Diagnostic(
                "invalid TOML: a NUL character (byte 0) is not allowed",
                at: SourceLocation(file: path, line: nul + 1, column: column), sourceLine: lines[nul])
        }
        locator = TOMLLocator(scanning: text)
        // toml++ fails an assertion, aborting the process, on a few malformed texts (a table name such as `[/x]`,
        // a value such as `2024-01-01 1`; found by the config fuzz target). They are refused here, after any error
        // toml++ finds in the statements before them, which it would have reported first.
        if let aborting = locator.abortingText {
            _ = try Self.parse(aborting.textBefore, path: path, lines: lines)
            throw Diagnostic(
                "invalid TOML: \(aborting.problem)",
                at: SourceLocation(file: path, line: aborting.position.line, column: aborting.position.column),
                sourceLine: Self.line(aborting.position.line, of: lines))
        }
        root = try Self.parse(text, path: path, lines: lines)
    }

    /// TOMLKit's table for `text`; a syntax error becomes a diagnostic at its line and column.
    private static func parse(_ text: String, path: String, lines: [String]) throws(Diagnostic) -> TOMLTable {
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let line = error.source.begin.line
            throw Diagnostic(
                "invalid TOML: \(error.description)",
                at: SourceLocation(file: path, line: line, column: max(error.source.begin.column, 1)),
                sourceLine: Self.line(line, of: lines))
        } catch {
            throw Diagnostic("invalid TOML in \(path): \(error)")
        }
    }

    /// Reads and parses the file at `fileSystemPath`, naming it `path` in diagnostics.
    static func read(_ fileSystemPath: String, shownAs path: String, what: String) throws(Diagnostic) -> TOMLDocument {
        let data: Data
        do {
            data = try LocalFile.contents(of: fileSystemPath)
        } catch {
            throw Diagnostic("cannot read \(what) \(path): \(error.reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic("\(what) \(path) is not valid UTF-8 text")
        }
        return try TOMLDocument(path: path, text: text)
    }

    /// Where the key at `path` is written; for an array element or inline value, where the value starts;
    /// for a path never written (an implicit table), the nearest written ancestor.
    func keyLocation(_ path: TOMLPath) -> SourceLocation? {
        var candidate: TOMLPath? = path
        while let current = candidate {
            if let position = locator.keys[current] ?? locator.values[current] { return location(position) }
            candidate = current.parent
        }
        return nil
    }

    /// Where the value at `path` starts (inside the quotes for a string), else where its key is.
    func valueLocation(_ path: TOMLPath) -> SourceLocation? {
        locator.values[path].map(location) ?? keyLocation(path)
    }

    /// A diagnostic at `location` showing the line it points into.
    func diagnostic(_ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(message, at: location, sourceLine: location.flatMap { Self.line($0.line, of: lines) })
    }

    /// Adds the source line to a diagnostic made elsewhere (the rule compiler's) that points into this file.
    func withSourceLine(_ diagnostic: Diagnostic) -> Diagnostic {
        guard diagnostic.sourceLine == nil, let location = diagnostic.location, location.file == path else {
            return diagnostic
        }
        return self.diagnostic(diagnostic.message, at: location)
    }

    private static func line(_ number: Int, of lines: [String]) -> String? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }

    private func location(_ position: TOMLLocator.Position) -> SourceLocation {
        SourceLocation(file: path, line: position.line, column: position.column)
    }
}
