/// An Aho–Corasick automaton over unicode scalars: finds every occurrence of many phrases in one
/// pass over a text, whatever the number of phrases.
///
/// Built once from the catalogue's phrases; scanning costs one dictionary lookup per scalar
/// (an array lookup for ASCII) plus the occurrences reported. Chinese text has no word boundaries,
/// so phrases match anywhere, overlapping ones included; the matcher decides what to keep.
public struct PhraseAutomaton: Sendable {
    /// The phrases, in the order given; an occurrence's `phrase` indexes this list.
    public let phrases: [String]

    // Scalar → symbol (1-based); 0 means the scalar occurs in no phrase.
    private let asciiSymbols: [Int32]
    private let symbols: [UInt32: Int32]
    // Root transitions, dense by symbol.
    private let rootNext: [Int32]
    // Other nodes' transitions, compressed rows sorted by symbol.
    private let edgeStart: [Int32]
    private let edgeSymbol: [Int32]
    private let edgeTarget: [Int32]
    private let fail: [Int32]
    // The phrase ending exactly at a node (-1 if none), and the nearest node on the failure chain
    // that ends a phrase (-1 if none).
    private let terminal: [Int32]
    private let outputLink: [Int32]
    private let depth: [Int32]

    /// Builds the automaton. Empty phrases never match; a phrase listed twice reports the first index.
    public init(phrases: [String]) {
        self.phrases = phrases
        var asciiSymbols = [Int32](repeating: 0, count: 128)
        var symbols: [UInt32: Int32] = [:]
        var symbolCount: Int32 = 0
        // Build a plain trie with dictionary children first.
        var children: [[Int32: Int32]] = [[:]]
        var terminal: [Int32] = [-1]
        var depth: [Int32] = [0]
        for (index, phrase) in phrases.enumerated() {
            var node: Int32 = 0
            for scalar in phrase.unicodeScalars {
                let value = scalar.value
                var symbol = value < 128 ? asciiSymbols[Int(value)] : (symbols[value] ?? 0)
                if symbol == 0 {
                    symbolCount += 1
                    symbol = symbolCount
                    if value < 128 { asciiSymbols[Int(value)] = symbol } else { symbols[value] = symbol }
                }
                if let child = children[Int(node)][symbol] {
                    node = child
                } else {
                    let child = Int32(children.count)
                    children.append([:])
                    terminal.append(-1)
                    depth.append(depth[Int(node)] + 1)
                    children[Int(node)][symbol] = child
                    node = child
                }
            }
            if node != 0, terminal[Int(node)] < 0 {
                terminal[Int(node)] = Int32(index)
            }
        }
        let nodeCount = children.count
        // Breadth-first failure links.
        var fail = [Int32](repeating: 0, count: nodeCount)
        var outputLink = [Int32](repeating: -1, count: nodeCount)
        var queue: [Int32] = []
        queue.reserveCapacity(nodeCount)
        for (_, child) in children[0] {
            queue.append(child)
        }
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for (symbol, child) in children[Int(node)] {
                var candidate = fail[Int(node)]
                while true {
                    if let next = children[Int(candidate)][symbol] {
                        fail[Int(child)] = next
                        break
                    }
                    if candidate == 0 {
                        fail[Int(child)] = 0
                        break
                    }
                    candidate = fail[Int(candidate)]
                }
                let target = fail[Int(child)]
                outputLink[Int(child)] = terminal[Int(target)] >= 0 ? target : outputLink[Int(target)]
                queue.append(child)
            }
        }
        // Flatten.
        var rootNext = [Int32](repeating: 0, count: Int(symbolCount) + 1)
        for (symbol, child) in children[0] {
            rootNext[Int(symbol)] = child
        }
        var edgeStart = [Int32](repeating: 0, count: nodeCount + 1)
        var edgeSymbol: [Int32] = []
        var edgeTarget: [Int32] = []
        edgeSymbol.reserveCapacity(nodeCount)
        edgeTarget.reserveCapacity(nodeCount)
        for node in 0..<nodeCount {
            edgeStart[node] = Int32(edgeSymbol.count)
            if node == 0 { continue }
            for (symbol, child) in children[node].sorted(by: { $0.key < $1.key }) {
                edgeSymbol.append(symbol)
                edgeTarget.append(child)
            }
        }
        edgeStart[nodeCount] = Int32(edgeSymbol.count)
        self.asciiSymbols = asciiSymbols
        self.symbols = symbols
        self.rootNext = rootNext
        self.edgeStart = edgeStart
        self.edgeSymbol = edgeSymbol
        self.edgeTarget = edgeTarget
        self.fail = fail
        self.terminal = terminal
        self.outputLink = outputLink
        self.depth = depth
    }

    /// The number of trie nodes, for diagnostics.
    public var nodeCount: Int { self.fail.count }

    /// Every occurrence of every phrase in `text`, ordered by end offset and, at the same end,
    /// longest first. Offsets count unicode scalars.
    public func occurrences(in text: String) -> [PhraseOccurrence] {
        var result: [PhraseOccurrence] = []
        self.scan(text.unicodeScalars) { result.append($0) }
        return result
    }

    /// Calls `report` for every occurrence, ordered by end offset and, at the same end, longest first.
    public func scan<Scalars: Sequence<Unicode.Scalar>>(
        _ scalars: Scalars,
        _ report: (PhraseOccurrence) -> Void
    ) {
        var state: Int32 = 0
        var position = 0
        for scalar in scalars {
            position += 1
            let symbol = self.symbol(of: scalar.value)
            state = symbol == 0 ? 0 : self.next(state, symbol)
            if state == 0 { continue }
            var node = self.terminal[Int(state)] >= 0 ? state : self.outputLink[Int(state)]
            while node >= 0 {
                let length = Int(self.depth[Int(node)])
                report(PhraseOccurrence(phrase: Int(self.terminal[Int(node)]), start: position - length, end: position))
                node = self.outputLink[Int(node)]
            }
        }
    }

    @inline(__always)
    private func symbol(of value: UInt32) -> Int32 {
        if value < 128 { return self.asciiSymbols[Int(value)] }
        return self.symbols[value] ?? 0
    }

    @inline(__always)
    private func next(_ from: Int32, _ symbol: Int32) -> Int32 {
        var state = from
        while state != 0 {
            if let target = self.edge(state, symbol) { return target }
            state = self.fail[Int(state)]
        }
        return self.rootNext[Int(symbol)]
    }

    @inline(__always)
    private func edge(_ node: Int32, _ symbol: Int32) -> Int32? {
        var low = Int(self.edgeStart[Int(node)])
        var high = Int(self.edgeStart[Int(node) + 1])
        if high - low <= 8 {
            while low < high {
                if self.edgeSymbol[low] == symbol { return self.edgeTarget[low] }
                low += 1
            }
            return nil
        }
        while low < high {
            let mid = (low + high) / 2
            let value = self.edgeSymbol[mid]
            if value == symbol { return self.edgeTarget[mid] }
            if value < symbol { low = mid + 1 } else { high = mid }
        }
        return nil
    }
}
