import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WeChatChannel
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

@Suite struct SafeModeTests {
    let cipher: WeChatCipher
    let replies = TestServer.data.makeMachine().replies

    init() throws {
        self.cipher = try WeChatCipher(encodingAESKey: TestServer.aesKey, appID: TestServer.appID)
    }

    /// An encrypted request as WeChat sends it in safe mode (or compat mode, with the plaintext copies).
    func encryptedRequest(
        _ inner: String, compat: Bool = false, tamper: Bool = false, tamperAfterSigning: Bool = false,
        wrongSignature: Bool = false
    ) -> (uri: String, body: String) {
        var encrypt = self.cipher.encrypt(inner)
        if tamper {
            // Flip one character in the middle of the ciphertext (still base64).
            var characters = Array(encrypt)
            let index = characters.count / 2
            characters[index] = characters[index] == "A" ? "B" : "A"
            encrypt = String(characters)
        }
        let timestamp = "1795222800"
        let nonce = "777"
        var msgSignature = WeChatSignature.messageSignature(
            token: TestServer.token, timestamp: timestamp, nonce: nonce, encrypt: encrypt
        )
        if wrongSignature { msgSignature = String(msgSignature.reversed()) }
        if tamperAfterSigning {
            // An attacker on the way changes the ciphertext; the signature no longer fits it.
            var characters = Array(encrypt)
            characters[10] = characters[10] == "A" ? "B" : "A"
            encrypt = String(characters)
        }
        let plainCopies = compat ? String(inner.dropFirst(5).dropLast(6)) : ""
        let body =
            "<xml><ToUserName><![CDATA[\(Inbound.account)]]></ToUserName>\(plainCopies)<Encrypt><![CDATA[\(encrypt)]]></Encrypt></xml>"
        let uri = TestServer.uri(
            timestamp: timestamp, nonce: nonce, extra: "&encrypt_type=aes&msg_signature=\(msgSignature)")
        return (uri, body)
    }

    /// Verifies and decrypts an encrypted reply envelope; returns the inner reply's Content.
    func openReply(_ envelope: String) throws -> String {
        let encrypt = ReplyXML.element("Encrypt", in: envelope)
        let signature = ReplyXML.element("MsgSignature", in: envelope)
        let timestamp =
            envelope.range(of: "<TimeStamp>").flatMap { start in
                envelope[start.upperBound...].range(of: "</TimeStamp>").map {
                    String(envelope[start.upperBound..<$0.lowerBound])
                }
            } ?? ""
        let nonce = ReplyXML.element("Nonce", in: envelope)
        #expect(
            WeChatSignature.isValidMessageSignature(
                signature, token: TestServer.token, timestamp: timestamp, nonce: nonce, encrypt: encrypt
            )
        )
        return ReplyXML.content(try self.cipher.decrypt(encrypt))
    }

    @Test func safeModeDecryptsTheRequestAndEncryptsTheReply() async throws {
        let app = try await TestServer.application(mode: "safe")
        try await app.test(.router) { client in
            let request = self.encryptedRequest(Inbound.text("你好", id: 1))
            let (status, body) = try await client.post(request.body, uri: request.uri)
            #expect(status == .ok)
            #expect(!body.contains("<Content>"))
            #expect(try self.openReply(body).hasPrefix(self.replies.render("welcome")))
            // Two replies to the same text are encrypted differently (fresh random prefix and nonce).
            let again = self.encryptedRequest(Inbound.text("你好", id: 2))
            let (_, second) = try await client.post(again.body, uri: again.uri)
            #expect(ReplyXML.element("Encrypt", in: second) != ReplyXML.element("Encrypt", in: body))
        }
    }

    @Test func tamperedCiphertextAndWrongSignaturesAreRefused() async throws {
        let store = MemoryDocumentStore()
        let app = try await TestServer.application(store: store, mode: "safe")
        try await app.test(.router) { client in
            let changed = self.encryptedRequest(Inbound.text("你好", id: 2), tamperAfterSigning: true)
            #expect(try await client.post(changed.body, uri: changed.uri).0 == .forbidden)
            // Even a ciphertext that was signed after tampering does not get through: it does not decrypt.
            let tampered = self.encryptedRequest(Inbound.text("你好", id: 3), tamper: true)
            #expect(try await client.post(tampered.body, uri: tampered.uri).0 == .badRequest)
            let forged = self.encryptedRequest(Inbound.text("你好", id: 4), wrongSignature: true)
            #expect(try await client.post(forged.body, uri: forged.uri).0 == .forbidden)
            let plain = try await client.post(Inbound.text("你好", id: 5))
            #expect(plain.0 == .badRequest)
            let garbage = "<xml><ToUserName><![CDATA[a]]></ToUserName><Encrypt><![CDATA[!!!notbase64]]></Encrypt></xml>"
            let signature = WeChatSignature.messageSignature(
                token: TestServer.token, timestamp: "1795222800", nonce: "9", encrypt: "!!!notbase64"
            )
            let uri = TestServer.uri(nonce: "9", extra: "&encrypt_type=aes&msg_signature=\(signature)")
            #expect(try await client.post(garbage, uri: uri).0 == .badRequest)
        }
        #expect(try await store.count(collection: Conversation.collection) == 0)
    }

    @Test func otherAccountsMessagesAreRefused() async throws {
        let other = try WeChatCipher(encodingAESKey: TestServer.aesKey, appID: "wxanotheraccount00")
        let encrypt = other.encrypt(Inbound.text("你好", id: 6))
        let signature = WeChatSignature.messageSignature(
            token: TestServer.token, timestamp: "1795222800", nonce: "1", encrypt: encrypt
        )
        let app = try await TestServer.application(mode: "safe")
        try await app.test(.router) { client in
            let body = "<xml><Encrypt><![CDATA[\(encrypt)]]></Encrypt></xml>"
            let uri = TestServer.uri(nonce: "1", extra: "&encrypt_type=aes&msg_signature=\(signature)")
            let (status, _) = try await client.post(body, uri: uri)
            #expect(status == .badRequest)
        }
    }

    @Test func compatModeAcceptsBothAndTheReplyFollowsTheRequest() async throws {
        let app = try await TestServer.application(mode: "compat")
        try await app.test(.router) { client in
            let plain = try await client.post(Inbound.text("谢谢", id: 7)).1
            #expect(ReplyXML.content(plain) == self.replies.render("thanks"))
            let request = self.encryptedRequest(Inbound.text("谢谢", id: 8), compat: true)
            let (status, body) = try await client.post(request.body, uri: request.uri)
            #expect(status == .ok)
            #expect(try self.openReply(body) == self.replies.render("thanks"))
        }
    }

    @Test func plainModeRefusesEncryptedRequests() async throws {
        let app = try await TestServer.application(mode: "plain")
        try await app.test(.router) { client in
            let request = self.encryptedRequest(Inbound.text("你好", id: 9))
            let (status, _) = try await client.post(request.body, uri: request.uri)
            #expect(status == .badRequest)
        }
    }

    @Test func aBadEncodingAESKeyStopsTheStartWithAClearError() async throws {
        var settings = try TestServer.settings(mode: "safe")
        settings.wechat.aesKey = "short"
        await #expect(throws: WeChatError.self) {
            _ = try await WeiquanApplication.build(
                settings: settings, data: TestServer.data, store: MemoryDocumentStore())
        }
    }
}
