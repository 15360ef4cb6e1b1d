/// Reading and writing the XML bodies of the WeChat official-account push protocol.
///
/// Parsing is done by a small hand-written parser over UTF-8 bytes (no FoundationXML or libxml2), so no DTD,
/// entity declaration or external entity can ever be processed: such bodies are rejected with a distinct
/// ``WeChatError/Code``. Before parsing, C0 control characters other than tab, line feed and carriage return,
/// and DEL, are **removed from the whole body** (WeChat forwards them unescaped from user text, and XML 1.0
/// forbids them), so a message with such characters parses, without them.
public enum WeChatXML {
    /// The largest body accepted, in bytes (1 MiB). Real messages are a few KB; compatible mode about three times
    /// that. This bound is a defence, not a documented protocol limit.
    public static let maximumBodySize = 1 << 20
    /// How many levels of elements may nest below the root `<xml>` (a real `pic_sysphoto` event uses four:
    /// `SendPicsInfo/PicList/item/PicMd5Sum`).
    public static let maximumDepth = 4
    /// The most elements a body may contain, the root included.
    public static let maximumElementCount = 200

    /// Parses an inbound message or event.
    ///
    /// Accepts an optional `<?xml …?>` declaration and whitespace, then exactly one `<xml>` root. Every element may
    /// hold CDATA, plain text (the five predefined entities and numeric character references are decoded) or both;
    /// nested leaves are flattened by their own name (the first of a repeated name wins). The required elements
    /// are `ToUserName`, `FromUserName`, `CreateTime` (decimal) and `MsgType`.
    ///
    /// - Throws: ``WeChatError`` with the code that names the problem.
    @inlinable
    public static func parse(_ body: some Collection<UInt8>) throws(WeChatError) -> WeChatMessage {
        try WeChatMessage(fields: Self.parseFields(body))
    }

    /// Parses a body into its flattened leaf elements without requiring any of them.
    ///
    /// This is the entry point for envelopes that are not messages, such as the safe-mode request body
    /// `<xml><ToUserName>…</ToUserName><Encrypt>…</Encrypt></xml>`. The same rules and limits as ``parse(_:)``
    /// apply.
    @inlinable
    public static func parseFields(_ body: some Collection<UInt8>) throws(WeChatError) -> [String: String] {
        let result: Result<[String: String], WeChatError>
        if let contiguous = body.withContiguousStorageIfAvailable({ FlatXMLParser.parseSanitising($0) }) {
            result = contiguous
        } else {
            result = Array(body).withUnsafeBufferPointer { FlatXMLParser.parseSanitising($0) }
        }
        return try result.get()
    }

    /// The passive text reply to `message` (protocol §3.1): `ToUserName` and `FromUserName` swapped.
    ///
    /// See ``textReply(toUser:fromUser:content:createTime:)`` for the escaping rules.
    public static func textReply(to message: WeChatMessage, content: String, createTime: Int64) -> String {
        Self.textReply(
            toUser: message.fromUserName,
            fromUser: message.toUserName,
            content: content,
            createTime: createTime
        )
    }

    /// ``textReply(to:content:createTime:)`` as UTF-8 bytes, for a caller that writes them out: no `String` is made
    /// of them, whose check of every byte of a Chinese reply cost 5 % of a reply's work in `WeiquanBench safemode`.
    public static func textReplyBytes(to message: WeChatMessage, content: String, createTime: Int64) -> [UInt8] {
        Self.textReplyBytes(
            toUser: message.fromUserName,
            fromUser: message.toUserName,
            content: content,
            createTime: createTime
        )
    }

    /// A passive text reply: `toUser` is the applicant's OpenID, `fromUser` the account's `gh_…` id, `createTime`
    /// in seconds.
    ///
    /// Every string goes into a CDATA section in which `]]>` is split as `]]]]><![CDATA[>` (any XML reader joins
    /// the pieces back). Newlines stay real newline characters, which WeChat shows as line breaks. Control
    /// characters that XML 1.0 cannot carry (C0 except tab, LF, CR; DEL) are dropped.
    public static func textReply(toUser: String, fromUser: String, content: String, createTime: Int64) -> String {
        String(
            decoding: Self.textReplyBytes(toUser: toUser, fromUser: fromUser, content: content, createTime: createTime),
            as: UTF8.self)
    }

    /// ``textReply(toUser:fromUser:content:createTime:)`` as UTF-8 bytes.
    static func textReplyBytes(toUser: String, fromUser: String, content: String, createTime: Int64) -> [UInt8] {
        var xml: [UInt8] = []
        xml.reserveCapacity(200 + toUser.utf8.count + fromUser.utf8.count + content.utf8.count)
        Self.append("<xml><ToUserName>", to: &xml)
        Self.appendCDATA(toUser, to: &xml)
        Self.append("</ToUserName><FromUserName>", to: &xml)
        Self.appendCDATA(fromUser, to: &xml)
        Self.append("</FromUserName><CreateTime>", to: &xml)
        xml.append(contentsOf: String(createTime).utf8)
        Self.append("</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>", to: &xml)
        Self.appendCDATA(content, to: &xml)
        Self.append("</Content></xml>", to: &xml)
        return xml
    }

    /// The safe-mode reply envelope (protocol §4.5) around an already encrypted, base64 `encrypt` text, with its
    /// `MsgSignature` computed from `token`, `timestamp` and `nonce` (normally the request's own values).
    ///
    /// The layout is the four-element one of wechatpy and WeRoBot, one element per line.
    public static func encryptedReply(encrypt: String, token: String, timestamp: String, nonce: String) -> String {
        Self.encryptedReply(encrypt: encrypt, isBase64: false, token: token, timestamp: timestamp, nonce: nonce)
    }

    /// ``encryptedReply(encrypt:token:timestamp:nonce:)``; `isBase64` when `encrypt` is known to be base64 (the
    /// cipher's own output), which goes into its CDATA section as it is, without a look at every byte.
    static func encryptedReply(encrypt: String, isBase64: Bool, token: String, timestamp: String, nonce: String)
        -> String
    {
        String(
            decoding: Self.encryptedReplyBytes(
                encrypt: encrypt, isBase64: isBase64, token: token, timestamp: timestamp, nonce: nonce),
            as: UTF8.self)
    }

    /// ``encryptedReply(encrypt:isBase64:token:timestamp:nonce:)`` as UTF-8 bytes.
    static func encryptedReplyBytes(encrypt: String, isBase64: Bool, token: String, timestamp: String, nonce: String)
        -> [UInt8]
    {
        let signature = WeChatSignature.messageSignature(
            token: token,
            timestamp: timestamp,
            nonce: nonce,
            encrypt: encrypt
        )
        var xml: [UInt8] = []
        xml.reserveCapacity(160 + encrypt.utf8.count + timestamp.utf8.count + nonce.utf8.count)
        Self.append("<xml>\n<Encrypt>", to: &xml)
        if isBase64 {
            Self.append("<![CDATA[", to: &xml)
            xml.append(contentsOf: encrypt.utf8)
            Self.append("]]>", to: &xml)
        } else {
            Self.appendCDATA(encrypt, to: &xml)
        }
        Self.append("</Encrypt>\n<MsgSignature>", to: &xml)
        Self.appendCDATA(signature, to: &xml)
        Self.append("</MsgSignature>\n<TimeStamp>", to: &xml)
        Self.appendEscapedText(timestamp, to: &xml)
        Self.append("</TimeStamp>\n<Nonce>", to: &xml)
        Self.appendCDATA(nonce, to: &xml)
        Self.append("</Nonce>\n</xml>", to: &xml)
        return xml
    }

    /// Appends `<![CDATA[value]]>`, with `]]>` split across two sections and unrepresentable controls dropped.
    static func appendCDATA(_ value: String, to xml: inout [UInt8]) {
        Self.append("<![CDATA[", to: &xml)
        // Nearly every text has neither a control nor `]]>`: copied whole, not byte by byte (2 % of a safe-mode
        // message's time went to this loop over the reply's ciphertext).
        let copied =
            value.utf8.withContiguousStorageIfAvailable { bytes in
                guard Self.isPlainCDATA(bytes) else { return false }
                xml.append(contentsOf: bytes)
                return true
            } ?? false
        if copied {
            Self.append("]]>", to: &xml)
            return
        }
        // Count of `]` just written, to spot `]]>` without looking back into the buffer.
        var closingBrackets = 0
        for byte in value.utf8 where !ControlCharacters.isStripped(byte) {
            if byte == UInt8(ascii: ">") && closingBrackets >= 2 {
                // `…]]` + `>` would end the section: close it between the brackets and the `>`.
                Self.append("]]><![CDATA[", to: &xml)
            }
            closingBrackets = byte == UInt8(ascii: "]") ? closingBrackets + 1 : 0
            xml.append(byte)
        }
        Self.append("]]>", to: &xml)
    }

    /// Whether `bytes` go into a CDATA section as they are: no control that is dropped, no `]]>`. A word of 8 bytes
    /// at a time: most have no control, no DEL and no `]` (UTF-8 of Chinese text has no byte below 0x80 at all).
    static func isPlainCDATA(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var closingBrackets = 0
        var index = 0
        while index + 8 <= bytes.count {
            let word = ByteWords.word(bytes, at: index)
            // A `>` right after `]]` at the end of the word before needs the byte-wise look too.
            if closingBrackets == 0, !ByteWords.hasByte(in: word, below: 0x20),
                !ByteWords.hasByte(in: word, equalTo: 0x7F), !ByteWords.hasByte(in: word, equalTo: UInt8(ascii: "]"))
            {
                index += 8
                continue
            }
            for offset in index..<index + 8
            where !Self.continuesPlainCDATA(bytes[offset], closingBrackets: &closingBrackets) {
                return false
            }
            index += 8
        }
        for offset in index..<bytes.count
        where !Self.continuesPlainCDATA(bytes[offset], closingBrackets: &closingBrackets) {
            return false
        }
        return true
    }

    /// One byte of ``isPlainCDATA(_:)``: false for a control that is dropped or the `>` of `]]>`.
    @inline(__always)
    private static func continuesPlainCDATA(_ byte: UInt8, closingBrackets: inout Int) -> Bool {
        if ControlCharacters.isStripped(byte) || (byte == UInt8(ascii: ">") && closingBrackets >= 2) {
            return false
        }
        closingBrackets = byte == UInt8(ascii: "]") ? closingBrackets + 1 : 0
        return true
    }

    /// Appends `value` as escaped plain text (`&`, `<`, `>`), unrepresentable controls dropped.
    static func appendEscapedText(_ value: String, to xml: inout [UInt8]) {
        for byte in value.utf8 where !ControlCharacters.isStripped(byte) {
            switch byte {
            case UInt8(ascii: "&"): Self.append("&amp;", to: &xml)
            case UInt8(ascii: "<"): Self.append("&lt;", to: &xml)
            case UInt8(ascii: ">"): Self.append("&gt;", to: &xml)
            default: xml.append(byte)
            }
        }
    }

    private static func append(_ literal: StaticString, to xml: inout [UInt8]) {
        xml.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}
