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
        var name = name
        return name.withUTF8 { scalar(named: $0) }.map { String(Character($0)) }
    }

    /// The character the entity `name` (its UTF-8 bytes, without `&` and `;`) stands for, or `nil`.
    static func scalar(named name: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard let key = packedName(name) else { return nil }
        for (commonKey, scalar) in common where commonKey == key { return scalar }
        if let cached = answers.withLock({ $0[key] }) { return cached }
        let scalar = lookUp(name)
        answers.withLock { answers in
            if answers.count < maxRemembered { answers[key] = scalar }
        }
        return scalar
    }

    /// libxml2 searches its table linearly (about half a microsecond a name); a feed uses a handful of
    /// names hundreds of times, so each answer, "no such entity" included, is remembered.
    private static let answers = Mutex<[UInt64: Unicode.Scalar?]>([:])

    /// The names feeds use most, answered without taking the cache's lock (one parse meets thousands of them).
    private static let common: [(UInt64, Unicode.Scalar)] = ["nbsp", "amp", "lt", "gt", "quot", "mdash", "ndash"]
        .compactMap { name in
            Array(name.utf8).withUnsafeBufferPointer { bytes in
                guard let key = packedName(bytes), let scalar = lookUp(bytes) else { return nil }
                return (key, scalar)
            }
        }

    /// Bounds what hostile input full of invented names can make the cache hold.
    private static let maxRemembered = 1_024

    /// Asks libxml2, with the name copied into a NUL-terminated buffer (names are at most eight bytes here).
    private static func lookUp(_ name: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        withUnsafeTemporaryAllocation(of: xmlChar.self, capacity: name.count + 1) { terminated in
            _ = terminated.initialize(fromContentsOf: name)
            terminated[name.count] = 0
            return htmlEntityLookup(terminated.baseAddress).flatMap { Unicode.Scalar($0.pointee.value) }
        }
    }

    /// The name packed six bits a character, or `nil` when it cannot be an HTML 4 entity name: those
    /// are one to eight ASCII letters and digits (the longest is `thetasym`).
    private static func packedName(_ name: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard (1...8).contains(name.count) else { return nil }
        var key: UInt64 = 0
        for byte in name {
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
