import Crypto
import Foundation
import _CryptoExtras

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// AES-256-CBC message encryption of WeChat's safe and compat modes (protocol §4).
///
/// The plaintext is `random (16 bytes) ‖ message length (4 bytes, big-endian, UTF-8 bytes) ‖ message ‖ AppID`,
/// padded PKCS#7-style to a multiple of **32** bytes (not AES's 16: a pad is 1…32 bytes), encrypted with
/// AES-256-CBC under the key decoded from the EncodingAESKey, with the key's first 16 bytes as the IV, and
/// base64-encoded. The padding is done here; AES-CBC itself runs without padding.
///
/// Errors name what is wrong with the data, never its content: no plaintext, no key material.
public struct WeChatCipher: Sendable {
    /// The block size of WeChat's PKCS#7 padding, in bytes.
    public static let paddingBlockSize = 32
    /// The length of the random prefix of every plaintext, in bytes.
    public static let randomPrefixSize = 16
    /// The length of the random prefix and the length field together, in bytes.
    private static let headerSize = 20
    /// The AES block size, in bytes.
    private static let aesBlockSize = 16

    /// The official account's AppID, which every decrypted message must carry.
    public let appID: String
    private let appIDBytes: [UInt8]
    private let key: SymmetricKey
    private let iv: AES._CBC.IV

    /// - Parameters:
    ///   - encodingAESKey: the 43-character EncodingAESKey of the account's server configuration.
    ///   - appID: the official account's AppID (`wx…`); must not be empty.
    /// - Throws: ``WeChatError`` with `.invalidEncodingAESKey` when the key is not 43 base64 characters that
    ///   decode (with `=` appended) to exactly 32 bytes, `.invalidAppID` when the AppID is empty.
    public init(encodingAESKey: String, appID: String) throws(WeChatError) {
        let keyText = Array(encodingAESKey.utf8)
        guard keyText.count == 43 else {
            throw WeChatError(
                code: .invalidEncodingAESKey,
                message: "the EncodingAESKey must be 43 ASCII characters; it has \(keyText.count) bytes"
            )
        }
        guard let keyBytes = WeChatBase64.decode(keyText + [UInt8(ascii: "=")]), keyBytes.count == 32,
            let iv = try? AES._CBC.IV(ivBytes: keyBytes.prefix(Self.aesBlockSize))
        else {
            throw WeChatError(
                code: .invalidEncodingAESKey,
                message: "the EncodingAESKey must be base64 (A-Z, a-z, 0-9, '+', '/') decoding to 32 bytes"
            )
        }
        guard !appID.isEmpty else {
            throw WeChatError(code: .invalidAppID, message: "the AppID is empty")
        }
        self.appID = appID
        self.appIDBytes = Array(appID.utf8)
        self.key = SymmetricKey(data: keyBytes)
        self.iv = iv
    }

    /// Decrypts an `Encrypt` value; checks padding (1…32, all pad bytes equal), the length field against the data,
    /// and the appid (must equal ours).
    ///
    /// Call it only on a value whose `msg_signature` has been verified (``WeChatSafeMode`` does both): the checks
    /// below are not constant-time, and their distinct errors would be a padding oracle if an attacker could submit
    /// ciphertexts that reach them. Behind the signature check only the holder of the token can.
    ///
    /// - Returns: the inner XML.
    /// - Throws: ``WeChatError`` with `.invalidBase64`, `.invalidCiphertextLength`, `.invalidPadding`,
    ///   `.invalidLengthField`, `.appIDMismatch` or `.invalidUTF8`.
    public func decrypt(_ encrypt: String) throws(WeChatError) -> String {
        guard let ciphertext = WeChatBase64.decode(encrypt.utf8) else {
            throw WeChatError(code: .invalidBase64, message: "Encrypt is not padded standard base64")
        }
        guard !ciphertext.isEmpty, ciphertext.count % Self.aesBlockSize == 0 else {
            throw WeChatError(
                code: .invalidCiphertextLength,
                message: "the ciphertext has \(ciphertext.count) bytes, not a positive multiple of 16"
            )
        }
        let padded: [UInt8]
        do {
            padded = Array(try AES._CBC.decrypt(ciphertext, using: self.key, iv: self.iv, noPadding: true))
        } catch {
            throw WeChatError(code: .invalidCiphertextLength, message: "AES-CBC rejected the ciphertext")
        }

        // Padding: the last byte says how many bytes (1…32) were added, and all of them hold that count.
        // Not constant-time, deliberately: the msg_signature is verified before anything is decrypted.
        let pad = Int(padded[padded.count - 1])
        guard pad >= 1, pad <= Self.paddingBlockSize, pad <= padded.count,
            padded[(padded.count - pad)...].allSatisfy({ Int($0) == pad })
        else {
            throw WeChatError(code: .invalidPadding, message: "the decrypted data has no valid 32-byte-block pad")
        }
        let end = padded.count - pad

        guard end >= Self.headerSize else {
            throw WeChatError(
                code: .invalidLengthField,
                message: "the decrypted data is shorter than its 20-byte header"
            )
        }
        let length = padded[Self.randomPrefixSize..<Self.headerSize].reduce(0) { $0 << 8 | Int($1) }
        guard length <= end - Self.headerSize else {
            throw WeChatError(
                code: .invalidLengthField,
                message: "the length field (\(length)) points beyond the \(end - Self.headerSize) bytes of data"
            )
        }
        let messageEnd = Self.headerSize + length
        guard padded[messageEnd..<end].elementsEqual(self.appIDBytes) else {
            throw WeChatError(code: .appIDMismatch, message: "the decrypted message is not for this AppID")
        }
        guard let message = String(validating: padded[Self.headerSize..<messageEnd], as: UTF8.self) else {
            throw WeChatError(code: .invalidUTF8, message: "the decrypted message is not valid UTF-8")
        }
        return message
    }

    /// Encrypts a reply with the given 16 random bytes (injected so tests are deterministic).
    ///
    /// - Precondition: `random` has exactly 16 bytes.
    public func encrypt(_ message: String, random: [UInt8]) -> String {
        self.encrypt(bytes: message.utf8, random: random)
    }

    /// Encrypts the UTF-8 bytes of a reply with the given 16 random bytes.
    ///
    /// - Precondition: `random` has exactly 16 bytes.
    public func encrypt(bytes messageBytes: some Collection<UInt8>, random: [UInt8]) -> String {
        precondition(random.count == Self.randomPrefixSize, "the random prefix must have 16 bytes")
        let length = UInt32(messageBytes.count)
        let unpadded = Self.headerSize + messageBytes.count + self.appIDBytes.count
        let pad = Self.paddingBlockSize - unpadded % Self.paddingBlockSize
        var plaintext: [UInt8] = []
        plaintext.reserveCapacity(unpadded + pad)
        plaintext.append(contentsOf: random)
        plaintext.append(contentsOf: [
            UInt8(truncatingIfNeeded: length >> 24), UInt8(truncatingIfNeeded: length >> 16),
            UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length),
        ])
        plaintext.append(contentsOf: messageBytes)
        plaintext.append(contentsOf: self.appIDBytes)
        plaintext.append(contentsOf: repeatElement(UInt8(pad), count: pad))
        return self.encryptBlocks(plaintext)
    }

    /// Base64 of AES-256-CBC over `plaintext` as it is, without any layout or padding (tests build malformed
    /// plaintexts with it).
    ///
    /// - Precondition: `plaintext.count` is a multiple of 16.
    func encryptBlocks(_ plaintext: [UInt8]) -> String {
        precondition(plaintext.count % Self.aesBlockSize == 0, "AES-CBC without padding needs whole blocks")
        let ciphertext: Data
        do {
            ciphertext = try AES._CBC.encrypt(plaintext, using: self.key, iv: self.iv, noPadding: true)
        } catch {
            // Only a length that is not a multiple of 16 makes it fail, which the precondition excludes.
            preconditionFailure("AES-CBC refused block-aligned data: \(error)")
        }
        return ciphertext.base64EncodedString()
    }

    /// Encrypts with a fresh random prefix from the system's generator.
    public func encrypt(_ message: String) -> String {
        self.encrypt(message, random: Self.randomBytes(count: Self.randomPrefixSize))
    }

    /// `count` fresh random bytes from the system's generator, in one draw.
    ///
    /// The standard library's `SystemRandomNumberGenerator` asks the kernel for every 8 bytes: three `getrandom`
    /// calls for a safe-mode reply's prefix and nonce. `getentropy` (glibc 2.25 and later, musl, Darwin) fills up to
    /// 256 bytes with one; should it fail, the bytes come from the standard library's generator.
    static func randomBytes(count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = count
            guard let start = buffer.baseAddress else { return }
            if count <= 256, getentropy(start, count) == 0 { return }
            var generator = SystemRandomNumberGenerator()
            var index = 0
            while index < count {
                let word = generator.next() as UInt64
                for shift in stride(from: 0, to: 64, by: 8) where index < count {
                    buffer[index] = UInt8(truncatingIfNeeded: word >> shift)
                    index += 1
                }
            }
        }
    }
}
