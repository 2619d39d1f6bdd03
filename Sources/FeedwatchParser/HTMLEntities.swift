internal import CLibXML2
import Synchronization

/// HTML's named character references, for feeds that use them inside XML where only the five XML
/// entities exist (`&nbsp;`, `&mdash;`, `&eacute;`, `&laquo;` in RSS is everyday reality).
///
/// The names and characters come from libxml2's own HTML 4 entity table (`htmlEntityLookup`), so
/// there is no second table to keep in step with the HTML parser used for descriptions.
enum HTMLEntities {
    /// The characters `name` stands for (given without `&` and `;`), or `nil` when HTML defines no such entity.
    /// Names are case-sensitive, as in HTML: `Eacute` is "É", `eacute` is "é".
    static func scalars(named name: String) -> String? {
        guard let key = packedName(name) else { return nil }
        let scalar: Unicode.Scalar?
        if let cached = answers.withLock({ $0[key] }) {
            scalar = cached
        } else {
            scalar = lookUp(name)
            answers.withLock { answers in
                if answers.count < maxRemembered { answers[key] = scalar }
            }
        }
        return scalar.map { String(Character($0)) }
    }

    /// libxml2 searches its table linearly (about half a microsecond a name); a feed uses a handful of
    /// names hundreds of times, so each answer, "no such entity" included, is remembered.
    private static let answers = Mutex<[UInt64: Unicode.Scalar?]>([:])

    /// Bounds what hostile input full of invented names can make the cache hold.
    private static let maxRemembered = 1_024

    private static func lookUp(_ name: String) -> Unicode.Scalar? {
        let value: UInt32? = name.withCString { characters in
            characters.withMemoryRebound(to: xmlChar.self, capacity: name.utf8.count + 1) { htmlName in
                htmlEntityLookup(htmlName)?.pointee.value
            }
        }
        return value.flatMap(Unicode.Scalar.init)
    }

    /// The name packed six bits a character, or `nil` when it cannot be an HTML 4 entity name: those
    /// are one to eight ASCII letters and digits (the longest is `thetasym`).
    private static func packedName(_ name: String) -> UInt64? {
        guard (1...8).contains(name.utf8.count) else { return nil }
        var key: UInt64 = 0
        for byte in name.utf8 {
            let code: UInt8
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): code = byte - UInt8(ascii: "a") + 1
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): code = byte - UInt8(ascii: "A") + 27
            case UInt8(ascii: "0")...UInt8(ascii: "9"): code = byte - UInt8(ascii: "0") + 53
            default: return nil
            }
            key = key << 6 | UInt64(code)
        }
        return key
    }
}
