import Foundation
import WeChatChannel

/// What safe mode adds to a message on the server's side, apart from the network and the client: the envelope's
/// signature, decryption and the inner message's parse, then the reply's encryption and signature, against plain
/// mode's parse and reply of the same message. One core, best of several rounds.
struct SafeModeBench {
    let token = "benchtoken"
    let timestamp = "1795222800"
    let nonce = "5150"

    func run() throws {
        let cipher = try WeChatCipher(
            encodingAESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", appID: "wx0123456789abcdef")
        let inner =
            "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[o6_bench_applicant_0000000000]]>"
            + "</FromUserName><CreateTime>1795222800</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            + "<Content><![CDATA[查询专利201310268509.X的法律状态]]></Content><MsgId>6195100047613</MsgId></xml>"
        // The menu with the "not understood" line: a typical reply's length.
        let reply =
            "抱歉，我没有理解您的意思。您可以用一句话描述您的问题，或回复序号选择服务。\n\n请回复序号选择您需要的服务：\n"
            + "1. 申请维权援助\n2. 举报投诉侵权行为\n3. 查询专利/商标法律状态\n4. 查询案件进度\n5. 常见问题\n6. 转人工服务"
        let encrypt = cipher.encrypt(inner)
        let envelope = Array(
            "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[\(encrypt)]]></Encrypt></xml>".utf8)
        let msgSignature = WeChatSignature.messageSignature(
            token: self.token, timestamp: self.timestamp, nonce: self.nonce, encrypt: encrypt)
        let plainBody = Array(inner.utf8)
        let signature = WeChatSignature.signature(token: self.token, timestamp: self.timestamp, nonce: self.nonce)

        let plain = try Self.best {
            guard WeChatSignature.isValid(signature, token: self.token, timestamp: self.timestamp, nonce: self.nonce)
            else { throw WeChatError.missingField("signature") }
            let message = try WeChatXML.parse(plainBody)
            return WeChatXML.textReplyBytes(to: message, content: reply, createTime: 1_795_222_801).count
        }
        let safe = try Self.best {
            guard WeChatSignature.isValid(signature, token: self.token, timestamp: self.timestamp, nonce: self.nonce)
            else { throw WeChatError.missingField("signature") }
            let message = try WeChatSafeMode.open(
                body: envelope, msgSignature: msgSignature, timestamp: self.timestamp, nonce: self.nonce,
                token: self.token, cipher: cipher)
            let xml = WeChatXML.textReplyBytes(to: message, content: reply, createTime: 1_795_222_801)
            return WeChatSafeMode.seal(reply: xml, token: self.token, timestamp: "1795222801", cipher: cipher).count
        }
        print("")
        print(
            "safe mode's own work, one core (request \(envelope.count) bytes, reply \(reply.utf8.count) bytes of text):"
        )
        print(String(format: "  plain: signature, parse, reply               %8.2f µs/msg", plain))
        print(
            String(
                format: "  safe:  + msg_signature, decrypt, encrypt, sign %6.2f µs/msg (+%.2f µs)", safe, safe - plain))
    }

    /// The best time of one call of `body`, in microseconds, over several rounds of many calls.
    static func best(_ body: () throws -> Int) throws -> Double {
        var best = Double.infinity
        var sink = 0
        let clock = ContinuousClock()
        for _ in 0..<7 {
            let calls = 20_000
            let start = clock.now
            for _ in 0..<calls { sink &+= try body() }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            best = min(best, seconds * 1e6 / Double(calls))
        }
        if sink == 42 { print("") }
        return best
    }
}
