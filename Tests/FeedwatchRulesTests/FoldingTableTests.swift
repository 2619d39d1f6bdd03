import Testing

@testable import FeedwatchRules

@Suite struct FoldingTableTests {
    /// The table is built by folding every scalar at once; each must fold exactly as it does alone.
    @Test(arguments: [true, false])
    func foldingAllScalarsTogetherEqualsFoldingEachAlone(foldDiacritics: Bool) {
        let scalars = (0..<FoldingTable.limit).compactMap(Unicode.Scalar.init).filter {
            TextFolding.isWordScalar($0) && !TextFolding.combinesWithNeighbours($0)
        }
        #expect(scalars.count > 5_000)
        let together = FoldingTable.foldedTogether(scalars, foldDiacritics: foldDiacritics)
        let alone = FoldingTable.foldedOneByOne(scalars, foldDiacritics: foldDiacritics)
        #expect(together != nil)
        for (index, scalar) in scalars.enumerated() where together?[index] != alone[index] {
            Issue.record("U+\(String(scalar.value, radix: 16)) folds to \(together?[index] ?? []) together, \(alone[index]) alone")
        }
        // Spot checks of what the table says.
        let turkmen = scalars.firstIndex(of: "Ü").map { alone[$0] }
        #expect(turkmen == (foldDiacritics ? ["u"] : ["ü"]))
        #expect(scalars.firstIndex(of: "Ё").map { alone[$0] } == ["е"])
    }
}
