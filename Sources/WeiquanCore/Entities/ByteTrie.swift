/// A trie over UTF-8 bytes that finds, at one position of a text, every word of a fixed list that starts
/// there. Built once; lookups allocate nothing.
struct ByteTrie: Sendable {
    /// Child of the root for each first byte, or -1.
    private let rootChildren: [Int32]
    /// For each node: index of its first edge in ``edgeBytes``/``edgeTargets``.
    private let edgeStart: [Int32]
    /// For each node: number of edges.
    private let edgeCount: [Int32]
    /// Edge labels, sorted within each node.
    private let edgeBytes: [UInt8]
    /// Edge targets.
    private let edgeTargets: [Int32]
    /// For each node: index of the word that ends there, or -1.
    private let terminal: [Int32]

    /// Builds the trie; a word's index in `words` is what ``forEachMatch(in:at:_:)`` reports.
    /// Empty words are ignored; for a repeated word the first index is reported.
    init(words: [String]) {
        var children: [[UInt8: Int]] = [[:]]
        var terminal: [Int32] = [-1]
        for (index, word) in words.enumerated() where !word.isEmpty {
            var node = 0
            for byte in word.utf8 {
                if let next = children[node][byte] {
                    node = next
                } else {
                    children.append([:])
                    terminal.append(-1)
                    children[node][byte] = children.count - 1
                    node = children.count - 1
                }
            }
            if terminal[node] < 0 {
                terminal[node] = Int32(index)
            }
        }
        var rootChildren = [Int32](repeating: -1, count: 256)
        for (byte, child) in children[0] {
            rootChildren[Int(byte)] = Int32(child)
        }
        var edgeStart: [Int32] = []
        var edgeCount: [Int32] = []
        var edgeBytes: [UInt8] = []
        var edgeTargets: [Int32] = []
        for node in children {
            edgeStart.append(Int32(edgeBytes.count))
            edgeCount.append(Int32(node.count))
            for (byte, child) in node.sorted(by: { $0.key < $1.key }) {
                edgeBytes.append(byte)
                edgeTargets.append(Int32(child))
            }
        }
        self.rootChildren = rootChildren
        self.edgeStart = edgeStart
        self.edgeCount = edgeCount
        self.edgeBytes = edgeBytes
        self.edgeTargets = edgeTargets
        self.terminal = terminal
    }

    /// Whether some word starts with `byte` (a cheap first test).
    @inline(__always)
    func mayStart(with byte: UInt8) -> Bool {
        self.rootChildren[Int(byte)] >= 0
    }

    /// Calls `found(wordIndex, end)` for every word that starts at `start`, shortest first; `end` is the
    /// index after the word.
    @inline(__always)
    func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ found: (Int, Int) -> Void) {
        guard start < bytes.count else { return }
        var node = Int(self.rootChildren[Int(bytes[start])])
        var index = start + 1
        while node >= 0 {
            let word = self.terminal[node]
            if word >= 0 {
                found(Int(word), index)
            }
            guard index < bytes.count else { return }
            let byte = bytes[index]
            let first = Int(self.edgeStart[node])
            let last = first + Int(self.edgeCount[node])
            var next = -1
            var edge = first
            while edge < last {
                let label = self.edgeBytes[edge]
                if label == byte {
                    next = Int(self.edgeTargets[edge])
                    break
                }
                if label > byte { break }
                edge += 1
            }
            node = next
            index += 1
        }
    }
}
