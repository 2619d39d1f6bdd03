/// An Aho–Corasick automaton over folded UTF-8 bytes, compiled to a dense table so that a scan costs one
/// look-up per byte whatever the number of patterns.
///
/// Bytes are first mapped to classes (each byte that occurs in some pattern gets its own class, all others
/// share class 0), which keeps the table at `states × classes` entries instead of `states × 256`.
struct Automaton: Sendable {
    private let byteClasses: [UInt16]
    private let classCount: Int
    /// `transitions[state * classCount + class]` is the next state.
    private let transitions: [Int32]
    /// The patterns that end at a state are `outputs[outputStarts[state]..<outputStarts[state + 1]]`.
    private let outputStarts: [Int32]
    private let outputs: [Int32]
    /// The length in bytes of each pattern.
    let patternLengths: [Int32]

    init(patterns: [[UInt8]]) {
        var byteClasses = [UInt16](repeating: 0, count: 256)
        var classCount = 1
        for pattern in patterns {
            for byte in pattern where byteClasses[Int(byte)] == 0 {
                byteClasses[Int(byte)] = UInt16(classCount)
                classCount += 1
            }
        }

        // The trie: -1 marks a missing edge until the breadth-first pass fills it in.
        var transitions = [Int32](repeating: -1, count: classCount)
        var ownOutputs: [[Int32]] = [[]]
        for (patternIndex, pattern) in patterns.enumerated() {
            var state = 0
            for byte in pattern {
                let slot = state * classCount + Int(byteClasses[Int(byte)])
                if transitions[slot] < 0 {
                    transitions[slot] = Int32(ownOutputs.count)
                    ownOutputs.append([])
                    transitions.append(contentsOf: repeatElement(-1, count: classCount))
                }
                state = Int(transitions[slot])
            }
            ownOutputs[state].append(Int32(patternIndex))
        }

        // Breadth-first: each state's failure link is shallower, so its row and outputs are already final.
        let stateCount = ownOutputs.count
        var failure = [Int32](repeating: 0, count: stateCount)
        var allOutputs = ownOutputs
        var queue = [0]
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            if state != 0 { allOutputs[state] += allOutputs[Int(failure[state])] }
            let fallback = Int(failure[state]) * classCount
            for byteClass in 0..<classCount {
                let slot = state * classCount + byteClass
                let target = transitions[slot]
                if target < 0 {
                    transitions[slot] = state == 0 ? 0 : transitions[fallback + byteClass]
                } else {
                    failure[Int(target)] = state == 0 ? 0 : transitions[fallback + byteClass]
                    queue.append(Int(target))
                }
            }
        }

        var outputStarts: [Int32] = [0]
        var outputs: [Int32] = []
        for list in allOutputs {
            outputs += list
            outputStarts.append(Int32(outputs.count))
        }
        self.byteClasses = byteClasses
        self.classCount = classCount
        self.transitions = transitions
        self.outputStarts = outputStarts
        self.outputs = outputs
        self.patternLengths = patterns.map { Int32($0.count) }
    }

    var stateCount: Int { outputStarts.count - 1 }

    /// Calls `found(pattern, end)` for every occurrence, where `end` is the offset just past its last byte.
    func scan(_ text: [UInt8], _ found: (Int32, Int) -> Void) {
        text.withUnsafeBufferPointer { text in
            byteClasses.withUnsafeBufferPointer { byteClasses in
                transitions.withUnsafeBufferPointer { transitions in
                    outputStarts.withUnsafeBufferPointer { outputStarts in
                        var state = 0
                        for offset in 0..<text.count {
                            state = Int(transitions[state &* classCount &+ Int(byteClasses[Int(text[offset])])])
                            let first = outputStarts[state]
                            let end = outputStarts[state &+ 1]
                            if first != end {
                                for output in Int(first)..<Int(end) { found(outputs[output], offset + 1) }
                            }
                        }
                    }
                }
            }
        }
    }
}
