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
    /// and a word's first letter.
    private static let denseDepth = 2
    /// Deeper states with at least this many edges get a full row too (a linear search through many
    /// edges costs more than a cache line), up to `maximumDenseStates` rows in all.
    private static let denseFanOut = 4
    private static let maximumDenseStates = 4096

    private let byteClasses: [UInt16]
    private let classCount: Int
    /// A state's number is where its data starts: below `denseSize` a row of `dense` (so the scan finds
    /// a transition with one addition and no multiplication), above it a record at
    /// `sparse[number - denseSize]`.
    private let denseSize: Int
    /// `dense[row + class]`: the next state's number times two, plus one when it reports patterns.
    private let dense: [UInt32]
    /// One record per deep state, in depth-first order, so that following a word down the trie reads
    /// memory in order: its edge count, its failure link (where to continue when no edge fits), its
    /// index in `outputStarts`, then per edge its class and its target (times two, plus one when the
    /// target reports patterns, as in `dense`).
    private let sparse: [UInt32]
    /// The patterns that end at a state are `outputs[outputStarts[i]..<outputStarts[i + 1]]`, where `i` is
    /// a dense state's row index and is kept in a deep state's record.
    private let outputStarts: [Int32]
    private let outputs: [Int32]
    /// The byte every pattern starts with, if they all start alike (a space, for rule patterns), which
    /// lets the scan skip ahead while it is at the root.
    private let rootByte: UInt8?
    /// The root's transition on `rootByte`.
    private let rootByteEntry: UInt32

    private static let recordHeader = 3

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

        // Dense states first, breadth-first, so the shallow rows the scan uses most share cache lines;
        // then the deep ones as records, depth-first.
        var isDense = [Bool](repeating: false, count: breadthFirst.count)
        var denseStates: [Int] = []
        for state in breadthFirst
        where trie.depth[state] <= Self.denseDepth
            || (trie.edges[state].count >= Self.denseFanOut && denseStates.count < Self.maximumDenseStates)
        {
            isDense[state] = true
            denseStates.append(state)
        }
        let sparseStates = trie.depthFirst().filter { !isDense[$0] }
        let denseSize = denseStates.count * classCount
        var number = [Int](repeating: 0, count: breadthFirst.count)
        for (row, state) in denseStates.enumerated() { number[state] = row * classCount }
        var recordStart = 0
        for state in sparseStates {
            number[state] = denseSize + recordStart
            recordStart += Self.recordHeader + 2 * trie.edges[state].count
        }
        func entry(_ target: Int) -> UInt32 { UInt32(number[target]) << 1 | (trie.outputs[target].isEmpty ? 0 : 1) }

        var dense = [UInt32](repeating: 0, count: denseSize)
        var outputStarts: [Int32] = [0]
        var outputs: [Int32] = []
        for (row, state) in denseStates.enumerated() {
            for byteClass in 0..<classCount {
                dense[row * classCount + byteClass] = entry(trie.transitions[state * classCount + byteClass])
            }
            outputs += trie.outputs[state]
            outputStarts.append(Int32(outputs.count))
        }
        var sparse: [UInt32] = []
        sparse.reserveCapacity(recordStart)
        for state in sparseStates {
            sparse += [UInt32(trie.edges[state].count), UInt32(number[trie.failure[state]]), UInt32(outputStarts.count - 1)]
            for (byteClass, target) in trie.edges[state] { sparse += [UInt32(byteClass), entry(target)] }
            outputs += trie.outputs[state]
            outputStarts.append(Int32(outputs.count))
        }
        self.byteClasses = byteClasses
        self.classCount = classCount
        self.denseSize = denseSize
        self.dense = dense
        self.sparse = sparse
        self.outputStarts = outputStarts
        self.outputs = outputs
        let firstBytes = Set(patterns.compactMap(\.first))
        rootByte = firstBytes.count == 1 && !patterns.contains(where: \.isEmpty) ? firstBytes.first : nil
        rootByteEntry = rootByte.map { dense[Int(byteClasses[Int($0)])] } ?? 0
    }

    /// Calls `found(pattern, end)` for every occurrence, where `end` is the offset just past its last byte.
    func scan(_ text: [UInt8], _ found: (Int32, Int) -> Void) {
        text.withUnsafeBufferPointer { text in
            byteClasses.withUnsafeBufferPointer { byteClasses in
                dense.withUnsafeBufferPointer { dense in
                    sparse.withUnsafeBufferPointer { sparse in
                        var state = 0
                        var offset = -1
                        while true {
                            offset &+= 1
                            var entry: UInt32
                            if state == 0, let first = rootByte {
                                // At the root only a pattern's first byte leads anywhere: skip to it, and
                                // take its transition, the same every time, without a look-up.
                                while offset < text.count, text[offset] != first { offset &+= 1 }
                                if offset >= text.count { break }
                                entry = rootByteEntry
                            } else {
                                if offset >= text.count { break }
                                let byteClass = UInt32(byteClasses[Int(text[offset])])
                                // A dense state moves in one look-up; a deep one follows an edge or falls
                                // back along failure links until one of the two applies.
                                while true {
                                    if state < denseSize {
                                        entry = dense[state &+ Int(byteClass)]
                                        break
                                    }
                                    let record = state &- denseSize
                                    var edge = record &+ Self.recordHeader
                                    let end = edge &+ 2 &* Int(sparse[record])
                                    while edge < end, sparse[edge] != byteClass { edge &+= 2 }
                                    if edge < end {
                                        entry = sparse[edge &+ 1]
                                        break
                                    }
                                    state = Int(sparse[record &+ 1])
                                }
                            }
                            state = Int(entry >> 1)
                            if entry & 1 == 0 { continue }
                            let outputIndex = state < denseSize ? state / classCount : Int(sparse[state &- denseSize &+ 2])
                            for output in Int(outputStarts[outputIndex])..<Int(outputStarts[outputIndex &+ 1]) {
                                found(outputs[output], offset &+ 1)
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

    /// The states in depth-first order, each before its children.
    func depthFirst() -> [Int] {
        var order: [Int] = []
        var stack = [0]
        while let state = stack.popLast() {
            order.append(state)
            stack += edges[state].reversed().map(\.1)
        }
        return order
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
