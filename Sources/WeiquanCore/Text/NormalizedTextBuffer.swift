/// UTF-8 output of ``TextNormalizer``: collapses whitespace and trims both ends while it is written.
struct NormalizedTextBuffer {
    /// The bytes written so far.
    private(set) var bytes: [UInt8]
    /// A space is owed before the next visible character (never at the start).
    private var pendingSpace = false

    init(capacity: Int) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    /// Notes whitespace; it is written as one space before the next visible character.
    @inline(__always)
    mutating func appendWhitespace() {
        if !self.bytes.isEmpty {
            self.pendingSpace = true
        }
    }

    /// Writes one visible ASCII byte.
    @inline(__always)
    mutating func appendASCII(_ byte: UInt8) {
        if self.pendingSpace {
            self.bytes.append(0x20)
            self.pendingSpace = false
        }
        self.bytes.append(byte)
    }

    /// Writes one visible scalar, encoded as UTF-8.
    @inline(__always)
    mutating func appendScalar(_ value: UInt32) {
        if value < 0x80 {
            self.appendASCII(UInt8(truncatingIfNeeded: value))
            return
        }
        if self.pendingSpace {
            self.bytes.append(0x20)
            self.pendingSpace = false
        }
        UTF8Writer.append(value, to: &self.bytes)
    }

    /// The text written so far.
    var string: String { String(decoding: self.bytes, as: UTF8.self) }
}
