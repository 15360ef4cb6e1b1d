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

    /// The encrypted reply envelope: fresh random prefix, signed; timestamp and nonce given (the server passes now
    /// and a fresh nonce).
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
