import Crypto

/// The SHA-1 signatures of the WeChat official-account push protocol.
///
/// Both signatures sort their parts by bytes, concatenate them without a separator and take the lower-case hex
/// SHA-1 of the result. `signature` (three parts) comes with every GET and POST in every mode; `msg_signature`
/// (four parts, the fourth being the base64 `Encrypt` text) comes only in compatible and safe mode, and is the one
/// that authenticates an encrypted body.
public enum WeChatSignature {
    /// The `signature` query parameter: lower-case hex SHA-1 of the byte-sorted concatenation of token, timestamp
    /// and nonce.
    public static func signature(token: String, timestamp: String, nonce: String) -> String {
        Self.sortedSHA1Hex([token, timestamp, nonce])
    }

    /// Whether `signature` is the one WeChat computes for these values.
    ///
    /// The comparison takes the same time wherever the first differing byte is; a signature of the wrong length
    /// is rejected. An empty token never validates (it would let anyone compute the signature).
    public static func isValid(_ signature: String, token: String, timestamp: String, nonce: String) -> Bool {
        guard !token.isEmpty else { return false }
        let expected = Self.signature(token: token, timestamp: timestamp, nonce: nonce)
        return Self.constantTimeEquals(signature, expected)
    }

    /// The `msg_signature` of safe and compatible mode: lower-case hex SHA-1 of the byte-sorted concatenation of
    /// token, timestamp, nonce and the base64 `Encrypt` text.
    public static func messageSignature(token: String, timestamp: String, nonce: String, encrypt: String) -> String {
        Self.sortedSHA1Hex([token, timestamp, nonce, encrypt])
    }

    /// Whether `msgSignature` (the `msg_signature` query parameter, not `signature`) matches, compared in constant
    /// time. An empty token never validates.
    public static func isValidMessageSignature(
        _ msgSignature: String,
        token: String,
        timestamp: String,
        nonce: String,
        encrypt: String
    ) -> Bool {
        guard !token.isEmpty else { return false }
        let expected = Self.messageSignature(token: token, timestamp: timestamp, nonce: nonce, encrypt: encrypt)
        return Self.constantTimeEquals(msgSignature, expected)
    }

    /// Compares the UTF-8 bytes of two strings without an early exit on the first difference.
    ///
    /// Only the lengths may leak through timing (they are public: a signature is always 40 hex digits).
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }

    private static func sortedSHA1Hex(_ parts: [String]) -> String {
        let sorted = parts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var joined: [UInt8] = []
        joined.reserveCapacity(sorted.reduce(0) { $0 + $1.utf8.count })
        for part in sorted {
            joined.append(contentsOf: part.utf8)
        }
        var hasher = Insecure.SHA1()
        joined.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Self.lowerHex(hasher.finalize())
    }

    private static func lowerHex(_ bytes: some Sequence<UInt8>) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(40)
        for byte in bytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
