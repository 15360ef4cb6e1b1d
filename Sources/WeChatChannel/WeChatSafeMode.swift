/// Opening and sealing the bodies of safe and compatible mode (protocol §4): signature, envelope and cipher together.
public enum WeChatSafeMode {
    /// Verifies msg_signature over token, timestamp, nonce and the envelope's Encrypt BEFORE decrypting, then
    /// decrypts and parses the inner message.
    ///
    /// The envelope is parsed with the same parser and limits as a plain body. Only its `Encrypt` element is used
    /// (surrounding ASCII whitespace trimmed, as wechatpy's XML reader does): in compatible mode the body also
    /// carries the message in plaintext, and those copies are ignored; the message comes from `Encrypt` alone.
    ///
    /// - Parameters:
    ///   - msgSignature: the `msg_signature` query parameter (not `signature`).
    ///   - timestamp: the `timestamp` query parameter.
    ///   - nonce: the `nonce` query parameter.
    ///   - token: the account's Token; an empty one never validates.
    /// - Throws: ``WeChatError``: the parser's codes for a bad envelope, `.missingField("Encrypt")`,
    ///   `.badSignature` for a wrong msg_signature (nothing is decrypted then), the cipher's codes, or the parser's
    ///   codes for the inner message.
    public static func open(
        body: some Collection<UInt8>,
        msgSignature: String,
        timestamp: String,
        nonce: String,
        token: String,
        cipher: WeChatCipher
    ) throws(WeChatError) -> WeChatMessage {
        let envelope = try WeChatXML.parseFields(body)
        guard let encrypt = envelope["Encrypt"]?.trimmingASCIIWhitespace, !encrypt.isEmpty else {
            throw WeChatError.missingField("Encrypt")
        }
        guard
            WeChatSignature.isValidMessageSignature(
                msgSignature,
                token: token,
                timestamp: timestamp,
                nonce: nonce,
                encrypt: encrypt
            )
        else {
            throw WeChatError(
                code: .badSignature,
                message: "msg_signature does not match the token, timestamp, nonce and Encrypt"
            )
        }
        let inner = try cipher.decrypt(encrypt)
        return try WeChatXML.parse(inner.utf8)
    }

    /// The encrypted reply envelope with a fresh random prefix and a fresh nonce (9 or 10 digits), drawn together
    /// from the system's generator; signed with `timestamp` (the server passes now).
    ///
    /// - Parameter xml: the plaintext reply's UTF-8, e.g. from ``WeChatXML/textReplyBytes(to:content:createTime:)``.
    /// - Returns: the UTF-8 of the four-element envelope of ``WeChatXML/encryptedReply(encrypt:token:timestamp:nonce:)``.
    public static func seal(reply xml: [UInt8], token: String, timestamp: String, cipher: WeChatCipher) -> [UInt8] {
        let random = WeChatCipher.randomBytes(count: WeChatCipher.randomPrefixSize + 4)
        let word = random[WeChatCipher.randomPrefixSize...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        // 100,000,000 ... UInt32.max, as a nonce WeChat itself sends looks (the bias of `%` does not matter here).
        let nonce = String(
            Self.nonceRange.lowerBound + word % (Self.nonceRange.upperBound - Self.nonceRange.lowerBound + 1))
        return WeChatXML.encryptedReplyBytes(
            encrypt: cipher.encrypt(bytes: xml, random: Array(random.prefix(WeChatCipher.randomPrefixSize))),
            isBase64: true, token: token, timestamp: timestamp, nonce: nonce)
    }

    /// The values of a reply's nonce.
    static let nonceRange: ClosedRange<UInt64> = 100_000_000...UInt64(UInt32.max)

    /// The encrypted reply envelope with a fresh random prefix; timestamp and nonce given.
    ///
    /// - Parameter xml: the plaintext reply, e.g. from ``WeChatXML/textReply(to:content:createTime:)``.
    /// - Returns: the four-element envelope of ``WeChatXML/encryptedReply(encrypt:token:timestamp:nonce:)``.
    public static func seal(reply xml: String, token: String, timestamp: String, nonce: String, cipher: WeChatCipher)
        -> String
    {
        WeChatXML.encryptedReply(
            encrypt: cipher.encrypt(xml), isBase64: true, token: token, timestamp: timestamp, nonce: nonce)
    }
}
