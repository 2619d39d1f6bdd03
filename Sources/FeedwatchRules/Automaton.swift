/// An Aho–Corasick automaton over folded bytes (``FoldedEncoding``): one scan of the text finds every
/// pattern, whatever their number.
///
/// Bytes are first mapped to classes (each byte that occurs in some pattern gets its own class, all others
/// share class 0). The shallow states, where a scan spends most of its time, keep a full row of
/// transitions (one look-up per byte); deeper states, each on the way to a few patterns only, keep just
/// their trie edges and a failure link. A full table for 1,000 keywords would take megabytes and miss the
/// cache on every byte; this layout stays within a few hundred kilobytes.
struct Automaton: Sendable {
    /// States at most this deep get a full row. Patterns begin with a space, so depth 2 covers the space
    /// and a word's first byte.
    private static let denseDepth = 2
    /// Deeper states with at least this many edges get a full row too (a linear search through many
    /// edges costs more than a cache line), up to `maximumDenseStates` rows in all.
    private static let denseFanOut = 4
    private static let maximumDenseStates = 4096

    private let byteClasses: [UInt16]
    private let classCount: Int
    /// States `0..<denseCount` (breadth-first order) have rows in `dense`.
    private let denseCount: Int
    /// `dense[state * classCount + class]`: the next state times two, plus one when it reports patterns.
    private let dense: [UInt32]
    /// The trie edges of state `s` are `edgeClasses/edgeTargets[edgeStarts[s]..<edgeStarts[s + 1]]`.
    private let edgeStarts: [Int32]
    private let edgeClasses: [UInt16]
    private let edgeTargets: [Int32]
    /// Where to continue when a deep state has no edge for a byte.
    private let failure: [Int32]
    /// The patterns that end at a state are `outputs[outputStarts[state]..<outputStarts[state + 1]]`.
    private let outputStarts: [Int32]
    private let outputs: [Int32]
    /// The length in bytes of each pattern.
    let patternLengths: [Int32]
    /// The byte every pattern starts with, if they all start alike (a space, for rule patterns), which
    /// lets the scan skip ahead while it is at the root.
    private let rootByte: UInt8?

    init(patterns: [[UInt8]]) {
        var byteClasses = [UInt16](repeating: 0, count: 256)
        var classCount = 1
        for pattern in patterns {
            for byte in pattern where byteClasses[Int(byte)] == 0 {
                byteClasses[Int(byte)] = UInt16(classCount)
                classCount += 1
            }
        }

        // The trie, then a breadth-first pass for failure links and the full transition function.
        var trie = Trie(classCount: classCount)
        for (index, pattern) in patterns.enumerated() {
            trie.insert(pattern.map { Int(byteClasses[Int($0)]) }, pattern: Int32(index))
        }
        let breadthFirst = trie.completeTransitions()

        // Renumber states so that the dense ones come first (breadth-first within each group): the scan
        // tells them apart by number alone, and the shallow rows it uses most share cache lines.
        var denseStates: [Int] = []
        var sparseStates: [Int] = []
        for state in breadthFirst {
            let isDense =
                trie.depth[state] <= Self.denseDepth
                || (trie.edges[state].count >= Self.denseFanOut && denseStates.count < Self.maximumDenseStates)
            if isDense { denseStates.append(state) } else { sparseStates.append(state) }
        }
        let order = denseStates + sparseStates
        let denseCount = denseStates.count
        var renumbered = [Int](repeating: 0, count: order.count)
        for (newIndex, oldIndex) in order.enumerated() { renumbered[oldIndex] = newIndex }
        var dense = [UInt32](repeating: 0, count: denseCount * classCount)
        var edgeStarts: [Int32] = [0]
        var edgeClasses: [UInt16] = []
        var edgeTargets: [Int32] = []
        var failure: [Int32] = []
        var outputStarts: [Int32] = [0]
        var outputs: [Int32] = []
        for (newIndex, oldIndex) in order.enumerated() {
            if newIndex < denseCount {
                for byteClass in 0..<classCount {
                    let target = trie.transitions[oldIndex * classCount + byteClass]
                    let reports: UInt32 = trie.outputs[target].isEmpty ? 0 : 1
                    dense[newIndex * classCount + byteClass] = UInt32(renumbered[target]) << 1 | reports
                }
            }
            for (byteClass, target) in trie.edges[oldIndex] {
                edgeClasses.append(UInt16(byteClass))
                edgeTargets.append(Int32(renumbered[target]))
            }
            edgeStarts.append(Int32(edgeClasses.count))
            failure.append(Int32(renumbered[trie.failure[oldIndex]]))
            outputs += trie.outputs[oldIndex]
            outputStarts.append(Int32(outputs.count))
        }
        self.byteClasses = byteClasses
        self.classCount = classCount
        self.denseCount = denseCount
        self.dense = dense
        self.edgeStarts = edgeStarts
        self.edgeClasses = edgeClasses
        self.edgeTargets = edgeTargets
        self.failure = failure
        self.outputStarts = outputStarts
        self.outputs = outputs
        self.patternLengths = patterns.map { Int32($0.count) }
        let firstBytes = Set(patterns.compactMap(\.first))
        rootByte = firstBytes.count == 1 && !patterns.contains(where: \.isEmpty) ? firstBytes.first : nil
    }

    /// Calls `found(pattern, end)` for every occurrence, where `end` is the offset just past its last byte.
    func scan(_ text: [UInt8], _ found: (Int32, Int) -> Void) {
        text.withUnsafeBufferPointer { text in
            byteClasses.withUnsafeBufferPointer { byteClasses in
                dense.withUnsafeBufferPointer { dense in
                    edgeStarts.withUnsafeBufferPointer { edgeStarts in
                        edgeClasses.withUnsafeBufferPointer { edgeClasses in
                            var state = 0
                            var offset = -1
                            while true {
                                offset &+= 1
                                // At the root only a pattern's first byte leads anywhere: skip to it.
                                if state == 0, let first = rootByte {
                                    while offset < text.count, text[offset] != first { offset &+= 1 }
                                }
                                if offset >= text.count { break }
                                let byteClass = byteClasses[Int(text[offset])]
                                // A dense state moves in one look-up; a sparse one follows an edge or
                                // falls back along failure links until one of the two applies.
                                var reports: Bool
                                while true {
                                    if state < denseCount {
                                        let entry = dense[state &* classCount &+ Int(byteClass)]
                                        state = Int(entry >> 1)
                                        reports = entry & 1 != 0
                                        break
                                    }
                                    var edge = Int(edgeStarts[state])
                                    let end = Int(edgeStarts[state &+ 1])
                                    while edge < end, edgeClasses[edge] != byteClass { edge &+= 1 }
                                    if edge < end {
                                        state = Int(edgeTargets[edge])
                                        reports = outputStarts[state] != outputStarts[state &+ 1]
                                        break
                                    }
                                    state = Int(failure[state])
                                }
                                if !reports { continue }
                                for output in Int(outputStarts[state])..<Int(outputStarts[state &+ 1]) {
                                    found(outputs[output], offset &+ 1)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The construction-time automaton: a trie with a full transition table, discarded once compiled.
private struct Trie {
    let classCount: Int
    /// `transitions[state * classCount + class]`; -1 marks a missing edge until ``completeTransitions()``.
    var transitions: [Int]
    var edges: [[(Int, Int)]] = [[]]
    var outputs: [[Int32]] = [[]]
    var depth: [Int] = [0]
    var failure: [Int] = [0]

    init(classCount: Int) {
        self.classCount = classCount
        transitions = [Int](repeating: -1, count: classCount)
    }

    mutating func insert(_ classes: [Int], pattern: Int32) {
        var state = 0
        for byteClass in classes {
            let slot = state * classCount + byteClass
            if transitions[slot] < 0 {
                let child = outputs.count
                transitions[slot] = child
                transitions += repeatElement(-1, count: classCount)
                edges[state].append((byteClass, child))
                edges.append([])
                outputs.append([])
                depth.append(depth[state] + 1)
                failure.append(0)
            }
            state = transitions[slot]
        }
        outputs[state].append(pattern)
    }

    /// Fills in failure links, inherited outputs and every missing transition; returns the states in
    /// breadth-first order. Each state's failure link is shallower, so its row is final when it is used.
    mutating func completeTransitions() -> [Int] {
        var queue = [0]
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            if state != 0 { outputs[state] += outputs[failure[state]] }
            let fallback = failure[state] * classCount
            for byteClass in 0..<classCount {
                let slot = state * classCount + byteClass
                let target = transitions[slot]
                if target < 0 {
                    transitions[slot] = state == 0 ? 0 : transitions[fallback + byteClass]
                } else {
                    failure[target] = state == 0 ? 0 : transitions[fallback + byteClass]
                    queue.append(target)
                }
            }
        }
        return queue
    }
}
