/// A place in a text file, 1-based, for diagnostics such as `feedwatch.toml:12:9: …`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A value read from a file together with where its text starts.
///
/// For a string, `location` is the position of its first character inside the quotes, so an error
/// found at some offset inside the string can be reported at the right line and column.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation?

    public init(_ value: Value, at location: SourceLocation? = nil) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}

extension Located where Value == String {
    /// The file position of the character `offset` characters into the string.
    ///
    /// Counts newlines inside the string, so it is exact for multi-line literal strings; inside a
    /// basic string an escape sequence shifts the column by its length minus one, which a caret tolerates.
    public func location(ofOffset offset: Int) -> SourceLocation? {
        guard var result = location else { return nil }
        for character in value.prefix(offset) {
            if character == "\n" {
                result.line += 1
                result.column = 1
            } else {
                result.column += 1
            }
        }
        return result
    }
}

/// A message about a place in a file, rendered the way compilers do:
///
///     rules.toml:4:22: error: expected a term after 'AND'
///     query = "Kazakhstan AND"
///                          ^
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation?
    public var message: String
    /// The full text of the offending line, when known, for the caret display.
    public var sourceLine: String?

    public init(_ message: String, at location: SourceLocation? = nil, sourceLine: String? = nil) {
        self.message = message
        self.location = location
        self.sourceLine = sourceLine
    }

    public var description: String {
        var text = location.map { "\($0): error: \(message)" } ?? "error: \(message)"
        if let sourceLine, let column = location?.column, column >= 1 {
            let pad = sourceLine.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
            text += "\n\(sourceLine)\n\(pad)^"
        }
        return text
    }
}
