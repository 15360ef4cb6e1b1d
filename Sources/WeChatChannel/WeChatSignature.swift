import Crypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
        return Self.matches(signature, Self.sortedSHA1([token, timestamp, nonce]))
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
        return Self.matches(msgSignature, Self.sortedSHA1([token, timestamp, nonce, encrypt]))
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
        let digest = Self.sortedSHA1(parts)
        return String(unsafeUninitializedCapacity: Insecure.SHA1.byteCount * 2) { hex in
            var index = 0
            for byte in digest {
                hex[index] = Self.hexDigit(byte >> 4)
                hex[index + 1] = Self.hexDigit(byte & 0x0F)
                index += 2
            }
            return index
        }
    }

    /// SHA-1 of the parts sorted by their bytes and concatenated, hashed part by part (no joined copy: the `Encrypt`
    /// text of a safe-mode message is most of it).
    private static func sortedSHA1(_ parts: [String]) -> Insecure.SHA1Digest {
        var hasher = Insecure.SHA1()
        var parts = parts
        // Insertion sort by bytes: three or four parts, compared with `memcmp` (a comparison of `utf8` views goes
        // byte by byte through their indices).
        for index in parts.indices.dropFirst() {
            var position = index
            while position > 0, Self.precedes(parts[position], parts[position - 1]) {
                parts.swapAt(position, position - 1)
                position -= 1
            }
        }
        for index in parts.indices {
            parts[index].withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return hasher.finalize()
    }

    /// Whether the UTF-8 of `lhs` sorts before that of `rhs`, byte by byte (a prefix first).
    private static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs
        var rhs = rhs
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                var order: Int32 = 0
                if let leftStart = left.baseAddress, let rightStart = right.baseAddress {
                    order = memcmp(leftStart, rightStart, min(left.count, right.count))
                }
                return order < 0 || (order == 0 && left.count < right.count)
            }
        }
    }

    /// Whether `given` is the lower-case hex of `digest`, compared without an early exit and without building the hex
    /// text (only the length may leak through timing, and it is public: 40 digits).
    private static func matches(_ given: String, _ digest: Insecure.SHA1Digest) -> Bool {
        var given = given
        return given.withUTF8 { given in
            guard given.count == Insecure.SHA1.byteCount * 2 else { return false }
            var difference: UInt8 = 0
            var index = 0
            for byte in digest {
                difference |= given[index] ^ Self.hexDigit(byte >> 4)
                difference |= given[index + 1] ^ Self.hexDigit(byte & 0x0F)
                index += 2
            }
            return difference == 0
        }
    }

    /// The lower-case hex digit of `nibble` (0...15), without a branch on its value.
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        // 9 - nibble wraps past 127 for 10...15, whose digits `a`... come 39 after `9` + 1.
        UInt8(ascii: "0") &+ nibble &+ ((9 &- nibble) >> 7) &* 39
    }
}
