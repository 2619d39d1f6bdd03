internal import CLibXML2

/// HTML's named character references, for feeds that use them inside XML where only the five XML
/// entities exist (`&nbsp;`, `&mdash;`, `&eacute;`, `&laquo;` in RSS is everyday reality).
///
/// The names and characters come from libxml2's own HTML 4 entity table (`htmlEntityLookup`), so
/// there is no second table to keep in step with the HTML parser used for descriptions.
enum HTMLEntities {
    /// The characters `name` stands for (given without `&` and `;`), or `nil` when HTML defines no such entity.
    /// Names are case-sensitive, as in HTML: `Eacute` is "É", `eacute` is "é".
    static func scalars(named name: String) -> String? {
        guard !name.isEmpty, name.utf8.count <= longestName else { return nil }
        let value: UInt32? = name.withCString { characters in
            characters.withMemoryRebound(to: xmlChar.self, capacity: name.utf8.count + 1) { htmlName in
                htmlEntityLookup(htmlName)?.pointee.value
            }
        }
        guard let value, let scalar = Unicode.Scalar(value) else { return nil }
        return String(Character(scalar))
    }

    /// No HTML 4 entity name is longer than this (`thetasym`); longer names skip the table scan.
    private static let longestName = 8
}
