/// Tests on eight bytes at once, read as one 64-bit word (SWAR): the scans of a body and of a reply's text look at
/// words, and at single bytes only where a word holds one of the bytes they look for.
///
/// Both tests are exact as a yes or no for the whole word (they can say which byte only approximately, and nothing
/// here asks that). Byte order does not matter.
enum ByteWords {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether a byte of `word` is below `bound` (at most 128).
    @inline(__always)
    static func hasByte(in word: UInt64, below bound: UInt8) -> Bool {
        (word &- Self.ones &* UInt64(bound)) & ~word & Self.highBits != 0
    }

    /// Whether a byte of `word` equals `value`.
    @inline(__always)
    static func hasByte(in word: UInt64, equalTo value: UInt8) -> Bool {
        Self.hasByte(in: word ^ (Self.ones &* UInt64(value)), below: 1)
    }

    /// The 8 bytes from `offset` as one word.
    ///
    /// - Precondition: `bytes` has at least `offset + 8` bytes (so its base address is not nil); the callers step
    ///   through whole words and leave the tail to a byte loop.
    @inline(__always)
    static func word(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt64 {
        UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped).loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }
}
