#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text from feeds made safe to show on a terminal, and optional colour for it.
///
/// Titles and links come from servers feedwatch does not control. Printed raw, an escape sequence
/// in a title could recolour the screen, move the cursor, set the window title or, on some
/// terminals, write to the clipboard; a bidirectional override could make a link read differently
/// from what it is. So every feed-supplied string passes through ``neutralized(_:)`` before display.
public enum TerminalText {
    /// `text` with escape sequences removed, other control characters and bidirectional
    /// formatting characters replaced by a space, and the resulting whitespace runs collapsed.
    public static func neutralized(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pendingSpace = false
        while let scalar = scalars.next() {
            var replacement: Unicode.Scalar? = scalar
            switch scalar.value {
            case 0x1B:  // ESC: drop the whole sequence, not only the ESC, so no "[31m" debris is left.
                skipEscapeSequence(&scalars)
                replacement = nil
            case 0x9B:  // C1 CSI: a control sequence introducer in one character.
                skipControlSequenceBody(&scalars)
                replacement = nil
            case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                replacement = " "
            default:
                break
            }
            guard let kept = replacement else { continue }
            if kept.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(kept)
            }
        }
        return String(out)
    }

    /// After ESC: CSI (`[` … final byte), OSC/DCS/SOS/PM/APC strings (to BEL or ST), or a two-character escape.
    private static func skipEscapeSequence(_ scalars: inout String.UnicodeScalarView.Iterator) {
        guard let introducer = scalars.next() else { return }
        switch introducer {
        case "[":
            skipControlSequenceBody(&scalars)
        case "]", "P", "X", "^", "_":
            var previousWasEscape = false
            while let scalar = scalars.next() {
                if scalar.value == 0x07 || (previousWasEscape && scalar == "\\") || scalar.value == 0x9C { return }
                previousWasEscape = scalar.value == 0x1B
            }
        default:
            return
        }
    }

    /// Parameter and intermediate bytes up to the final byte (0x40–0x7E).
    private static func skipControlSequenceBody(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let scalar = scalars.next() {
            if (0x40...0x7E).contains(scalar.value) || scalar.value > 0x7E { return }
        }
    }
}

/// ANSI colour for output meant for a person, switched off when the output is not a terminal.
public struct TerminalStyle: Sendable {
    public enum Color: String, Sendable {
        case bold = "1"
        case dim = "2"
        case underline = "4"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case blue = "34"
        case magenta = "35"
        case cyan = "36"
    }

    public let isEnabled: Bool

    public init(isEnabled: Bool) {
        self.isEnabled = isEnabled
    }

    /// Colour when `descriptor` is a terminal, `NO_COLOR` is unset and `TERM` is not `dumb` (no-color.org).
    public static func forDescriptor(_ descriptor: Int32) -> TerminalStyle {
        let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        let dumb = getenv("TERM").map { String(cString: $0) == "dumb" } ?? false
        return TerminalStyle(isEnabled: isatty(descriptor) == 1 && !noColor && !dumb)
    }

    /// `text` wrapped in the escape codes for `colors`, or unchanged when colour is off.
    public func paint(_ text: String, _ colors: Color...) -> String {
        guard isEnabled, !colors.isEmpty, !text.isEmpty else { return text }
        return "\u{1B}[" + colors.map(\.rawValue).joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }
}
