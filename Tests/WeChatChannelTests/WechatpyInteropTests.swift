import Foundation
import Testing
import WeChatChannel

/// Safe mode against an independent implementation: wechatpy's `WeChatCrypto`, driven through
/// `scripts/wechatpy_interop.py`. Needs `python3` with wechatpy: run `scripts/install-test-tools.sh` first.
/// Without it these tests fail (they are not skipped), so a missing install step cannot pass unnoticed.
@Suite struct WechatpyInteropTests {
    struct Account: Sendable, CustomTestStringConvertible {
        let token: String
        let encodingAESKey: String
        let appID: String
        let originalID: String
        var testDescription: String { "key …\(self.encodingAESKey.suffix(4))" }
    }

    static let accounts = [
        // V1's key: its last character has non-canonical trailing bits.
        Account(
            token: "weiquanTest2024",
            encodingAESKey: "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
            appID: "wx1234567890abcdef",
            originalID: "gh_10f6c3c3ac5a"
        ),
        Account(
            token: "Tok3n",
            encodingAESKey: "Q7mZp2Lx9VbN4cR8sT1wY6uE3oI5aK0dF2gH7jM9nBq",
            appID: "wxb11529c136998cb6",
            originalID: "gh_0123456789ab"
        ),
    ]

    // MARK: - wechatpy encrypts, Swift opens

    struct EncryptConfig: Encodable {
        let token: String
        let encodingAESKey: String
        let appID: String
        let account: String
    }

    struct EncryptedItem: Decodable {
        let name: String
        let msgType: String
        let plaintext: String
        let content: String?
        let encrypt: String
        let msgSignature: String
        let signature: String
        let timestamp: String
        let nonce: String
        let wechatpyEnvelope: String
        let safeBody: String
        let compatBody: String
    }

    @Test(arguments: Self.accounts) func swiftOpensWhatWechatpyEncrypts(_ account: Account) throws {
        let cipher = try WeChatCipher(encodingAESKey: account.encodingAESKey, appID: account.appID)
        let config = EncryptConfig(
            token: account.token,
            encodingAESKey: account.encodingAESKey,
            appID: account.appID,
            account: account.originalID
        )
        let items = try Self.decoder.decode([EncryptedItem].self, from: Self.runScript("encrypt", input: config))
        #expect(items.count > 100)
        for item in items {
            #expect(try cipher.decrypt(item.encrypt) == item.plaintext, "\(item.name)")
            #expect(
                WeChatSignature.isValid(
                    item.signature,
                    token: account.token,
                    timestamp: item.timestamp,
                    nonce: item.nonce
                ),
                "\(item.name)"
            )
            let expected = try WeChatXML.parse(Array(item.plaintext.utf8))
            for (form, body) in [
                ("wechatpy envelope", item.wechatpyEnvelope), ("safe body", item.safeBody),
                ("compat body", item.compatBody),
            ] {
                do {
                    let message = try WeChatSafeMode.open(
                        body: Array(body.utf8),
                        msgSignature: item.msgSignature,
                        timestamp: item.timestamp,
                        nonce: item.nonce,
                        token: account.token,
                        cipher: cipher
                    )
                    #expect(message == expected, "\(item.name), \(form)")
                    #expect(message.msgType == item.msgType, "\(item.name), \(form)")
                    #expect(message.toUserName == account.originalID, "\(item.name), \(form)")
                    if let content = item.content {
                        #expect(message.content == content, "\(item.name), \(form)")
                    }
                } catch {
                    Issue.record("\(item.name), \(form): \(error)")
                }
            }
            // The same message under a wrong msgSignature is refused.
            let error = WeChatCipherTests.error {
                _ = try WeChatSafeMode.open(
                    body: Array(item.safeBody.utf8),
                    msgSignature: item.signature,
                    timestamp: item.timestamp,
                    nonce: item.nonce,
                    token: account.token,
                    cipher: cipher
                )
            }
            #expect(error?.code == .badSignature, "\(item.name)")
        }
    }

    // MARK: - Swift seals, wechatpy opens

    struct DecryptRequest: Encodable {
        struct Item: Encodable {
            let envelope: String
            let timestamp: String
            let nonce: String
            let signature: String
        }

        let token: String
        let encodingAESKey: String
        let appID: String
        let items: [Item]
    }

    struct DecryptResult: Decodable {
        let ok: Bool
        let plaintext: String?
        let content: String?
        let error: String?
    }

    static let replyContents: [String] = {
        var contents = [
            "您好！关于商标抢注，您可以向国家知识产权局提出异议。",
            "我是中文abcd123",
            String(repeating: "专利侵权纠纷的处理流程：一、收集证据；二、提出请求。\n", count: 60),
            "a]]>b ]]]]> <tag attr=\"x\">&amp;&lt;</tag> ]]",
            "<xml><Content>fake</Content></xml>",
            "表情😀👍🏽 𠀋",
            "第一行\n第二行\n\n第四行",
            "x",
        ]
        for length in 0..<40 {
            contents.append(String(repeating: "a", count: length))
            contents.append(String(repeating: "权", count: length))
        }
        return contents
    }()

    @Test(arguments: Self.accounts) func wechatpyOpensWhatSwiftSeals(_ account: Account) throws {
        let cipher = try WeChatCipher(encodingAESKey: account.encodingAESKey, appID: account.appID)
        let timestamp = "1714037059"
        let signature = WeChatSignature.signature(token: account.token, timestamp: timestamp, nonce: "1")
        var items: [DecryptRequest.Item] = []
        var replies: [String] = []
        for (index, content) in Self.replyContents.enumerated() {
            let nonce = String(100_000 + index)
            let reply = WeChatXML.textReply(
                toUser: "oia2TjjewbmiOUlr6X-1crbLOZLw",
                fromUser: account.originalID,
                content: content,
                createTime: 1_714_037_059
            )
            replies.append(reply)
            items.append(
                DecryptRequest.Item(
                    envelope: WeChatSafeMode.seal(
                        reply: reply,
                        token: account.token,
                        timestamp: timestamp,
                        nonce: nonce,
                        cipher: cipher
                    ),
                    timestamp: timestamp,
                    nonce: nonce,
                    signature: WeChatSignature.signature(token: account.token, timestamp: timestamp, nonce: nonce)
                )
            )
        }
        // Three that wechatpy must refuse: a MsgSignature from another envelope, another AppID, a wrong URL
        // signature.
        let sealed = WeChatSafeMode.seal(
            reply: replies[0],
            token: account.token,
            timestamp: timestamp,
            nonce: "1",
            cipher: cipher
        )
        let otherSignature = WeChatSignature.messageSignature(
            token: account.token,
            timestamp: timestamp,
            nonce: "1",
            encrypt: "other"
        )
        let fields = try WeChatXML.parseFields(Array(sealed.utf8))
        let forged = sealed.replacingOccurrences(of: try #require(fields["MsgSignature"]), with: otherSignature)
        let otherApp = try WeChatCipher(encodingAESKey: account.encodingAESKey, appID: "wx0000000000000000")
        let wrongApp = WeChatSafeMode.seal(
            reply: replies[0],
            token: account.token,
            timestamp: timestamp,
            nonce: "1",
            cipher: otherApp
        )
        items.append(.init(envelope: forged, timestamp: timestamp, nonce: "1", signature: signature))
        items.append(.init(envelope: wrongApp, timestamp: timestamp, nonce: "1", signature: signature))
        items.append(.init(envelope: sealed, timestamp: timestamp, nonce: "1", signature: otherSignature))

        let request = DecryptRequest(
            token: account.token,
            encodingAESKey: account.encodingAESKey,
            appID: account.appID,
            items: items
        )
        let results = try Self.decoder.decode([DecryptResult].self, from: Self.runScript("decrypt", input: request))
        try #require(results.count == items.count)
        for (index, content) in Self.replyContents.enumerated() {
            let result = results[index]
            #expect(result.ok, "reply \(index): wechatpy raised \(result.error ?? "?")")
            #expect(result.plaintext == replies[index], "reply \(index)")
            // The plaintext above is compared byte for byte; wechatpy's parsed Content goes through xmltodict,
            // which trims surrounding whitespace and reads an empty CDATA section as no text at all.
            #expect(
                (result.content ?? "") == content.trimmingCharacters(in: .whitespacesAndNewlines),
                "reply \(index)"
            )
        }
        let refused = results.suffix(3).map { $0.ok ? "accepted" : ($0.error ?? "?") }
        #expect(refused == ["InvalidSignatureException", "InvalidAppIdException", "InvalidSignatureException"])
    }

    // MARK: - Running the script

    /// The script's JSON uses snake case (`encoding_aes_key`, `msg_signature`, …).
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    struct ScriptFailure: Error, CustomStringConvertible {
        let description: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs `python3 scripts/wechatpy_interop.py <command>` with `input` as JSON on standard input; returns its
    /// standard output. Files, not pipes, carry the data, so no buffer can fill up and block either side.
    static func runScript(_ command: String, input: some Encodable) throws -> Data {
        let script = Self.repositoryRoot.appendingPathComponent("scripts/wechatpy_interop.py")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wechatpy-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("input.json")
        let outputURL = directory.appendingPathComponent("output.json")
        let errorURL = directory.appendingPathComponent("error.txt")
        try Self.encoder.encode(input).write(to: inputURL)
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, command]
        process.currentDirectoryURL = Self.repositoryRoot
        let inputHandle = try FileHandle(forReadingFrom: inputURL)
        let outputHandle = try FileHandle(forWritingTo: outputURL)
        let errorHandle = try FileHandle(forWritingTo: errorURL)
        defer {
            try? inputHandle.close()
            try? outputHandle.close()
            try? errorHandle.close()
        }
        process.standardInput = inputHandle
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        do {
            try process.run()
        } catch {
            throw ScriptFailure(
                description:
                    "could not start python3 (\(error)): install Python 3, then run scripts/install-test-tools.sh"
            )
        }
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw ScriptFailure(description: "scripts/wechatpy_interop.py \(command) did not finish in 120 s")
        }
        let standardError = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
        switch process.terminationStatus {
        case 0:
            return try Data(contentsOf: outputURL)
        case 3:
            throw ScriptFailure(
                description: "wechatpy is not importable: run scripts/install-test-tools.sh. python3 said: "
                    + standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            )
        case 127:
            throw ScriptFailure(
                description: "python3 was not found: install Python 3, then run scripts/install-test-tools.sh"
            )
        case let status:
            throw ScriptFailure(
                description: "scripts/wechatpy_interop.py \(command) exited with \(status): \(standardError)"
            )
        }
    }
}
