/// SplitMix64: a small deterministic generator, so random and fuzz tests see the same values on every run.
///
/// Shared by every test target (it was once copied into four of them).
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    public mutating func next(below bound: Int) -> Int {
        Int(self.next() % UInt64(bound))
    }

    /// A string of `length` characters drawn from `alphabet`.
    public mutating func string(over alphabet: [Character], length: Int) -> String {
        String((0..<length).map { _ in alphabet[self.next(below: alphabet.count)] })
    }
}
