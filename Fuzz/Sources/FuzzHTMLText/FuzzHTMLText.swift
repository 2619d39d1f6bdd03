@testable import FeedwatchParser
import FuzzSupport

/// HTML-to-text on any markup. The contract's rules for text fields are checked on the result: a
/// missing value is `nil`, never an empty string, and the text is trimmed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTMLText(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let text = HTMLText.plainText(fromHTML: LibFuzzer.text(data, size)) else { return 0 }
    guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else {
        fatalError("plain text is empty rather than nil")
    }
    guard !first.properties.isWhitespace, !last.properties.isWhitespace else {
        fatalError("plain text is not trimmed: \(text.debugDescription)")
    }
    return 0
}

@main
enum FuzzHTMLTextMain {
    static func main() { LibFuzzer.run(fuzzHTMLText) }
}
