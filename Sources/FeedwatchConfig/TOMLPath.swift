/// Where a value sits inside a TOML document, named the way diagnostics and the README name it:
/// `feed[2].interval`, `rule[0].query`, `terms.capitals[3]`.
struct TOMLPath: Hashable, Sendable, CustomStringConvertible {
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    var components: [Component]

    static let root = TOMLPath(components: [])

    func appending(_ key: String) -> TOMLPath { TOMLPath(components: components + [.key(key)]) }

    func appending(index: Int) -> TOMLPath { TOMLPath(components: components + [.index(index)]) }

    /// The path one step up, or nil at the root.
    var parent: TOMLPath? { components.isEmpty ? nil : TOMLPath(components: components.dropLast()) }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += Self.isBare(key) ? key : "\"\(key)\""
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// Whether `key` can be written without quotes in TOML.
    static func isBare(_ key: String) -> Bool {
        !key.isEmpty && key.allSatisfy(isBareKeyCharacter)
    }

    static func isBareKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-")
    }
}
