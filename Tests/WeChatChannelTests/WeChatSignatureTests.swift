import Testing
import WeChatChannel

@Suite struct WeChatSignatureTests {
    /// Safe-mode vector V1 (wechatpy tests, re-verified in the protocol notes): the incoming ciphertext.
    static let v1IncomingEncrypt =
        "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0="
    /// V1: the encrypted reply.
    static let v1ReplyEncrypt =
        "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3"
    /// V1: the encrypted echostr of the Work-style URL check.
    static let v1EchoStr = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q=="

    @Test func officialGETVerificationVector() {
        let signature = WeChatSignature.signature(token: "AAAAA", timestamp: "1714036504", nonce: "1514711492")
        #expect(signature == "f464b24fc39322e44b38aa78f5edd27bd1441696")
        #expect(
            WeChatSignature.isValid(
                "f464b24fc39322e44b38aa78f5edd27bd1441696",
                token: "AAAAA",
                timestamp: "1714036504",
                nonce: "1514711492"
            )
        )
    }

    @Test func officialPOSTVector() {
        let signature = WeChatSignature.signature(token: "AAAAA", timestamp: "1714037059", nonce: "486452656")
        #expect(signature == "899cf89e464efb63f54ddac96b0a0a235f53aa78")
    }

    @Test func partsAreSortedNotTakenInOrder() {
        // Any order of the same three values gives the same signature.
        let reference = WeChatSignature.signature(token: "AAAAA", timestamp: "1714036504", nonce: "1514711492")
        #expect(WeChatSignature.signature(token: "1514711492", timestamp: "AAAAA", nonce: "1714036504") == reference)
        #expect(WeChatSignature.signature(token: "1714036504", timestamp: "1514711492", nonce: "AAAAA") == reference)
    }

    @Test func messageSignatureVectors() {
        #expect(
            WeChatSignature.messageSignature(
                token: "123456",
                timestamp: "1411525903",
                nonce: "461056294",
                encrypt: Self.v1IncomingEncrypt
            ) == "74d92dfeb87ba7c714f89d98870ae5eb62dff26d"
        )
        #expect(
            WeChatSignature.messageSignature(
                token: "123456",
                timestamp: "1411525903",
                nonce: "461056294",
                encrypt: Self.v1ReplyEncrypt
            ) == "407518b7649e86ef23978113f92d27afa9296533"
        )
        #expect(
            WeChatSignature.messageSignature(
                token: "123456",
                timestamp: "1411443780",
                nonce: "437374425",
                encrypt: Self.v1EchoStr
            ) == "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96"
        )
        #expect(
            WeChatSignature.isValidMessageSignature(
                "74d92dfeb87ba7c714f89d98870ae5eb62dff26d",
                token: "123456",
                timestamp: "1411525903",
                nonce: "461056294",
                encrypt: Self.v1IncomingEncrypt
            )
        )
    }

    @Test func plainSignatureDoesNotPassAsMessageSignature() {
        // The wechatpy#739 mistake: checking `signature` where `msg_signature` is meant.
        let plain = WeChatSignature.signature(token: "123456", timestamp: "1411525903", nonce: "461056294")
        #expect(
            !WeChatSignature.isValidMessageSignature(
                plain,
                token: "123456",
                timestamp: "1411525903",
                nonce: "461056294",
                encrypt: Self.v1IncomingEncrypt
            )
        )
    }

    @Test func rejectsWrongLengthAndOneCharacterChanges() {
        let good = "f464b24fc39322e44b38aa78f5edd27bd1441696"
        let check = { (candidate: String) in
            WeChatSignature.isValid(candidate, token: "AAAAA", timestamp: "1714036504", nonce: "1514711492")
        }
        #expect(check(good))
        #expect(!check(""))
        #expect(!check(String(good.dropLast())))
        #expect(!check(good + "0"))
        #expect(!check("0" + good))
        #expect(!check(good.uppercased()))
        // One character changed, first, middle and last.
        #expect(!check("e" + good.dropFirst()))
        #expect(!check(String(good.prefix(20)) + "0" + String(good.dropFirst(21))))
        #expect(!check(String(good.dropLast()) + "7"))
        // Wrong token, timestamp or nonce.
        #expect(!WeChatSignature.isValid(good, token: "AAAAB", timestamp: "1714036504", nonce: "1514711492"))
        #expect(!WeChatSignature.isValid(good, token: "AAAAA", timestamp: "1714036505", nonce: "1514711492"))
        #expect(!WeChatSignature.isValid(good, token: "AAAAA", timestamp: "1714036504", nonce: "1514711493"))
    }

    @Test func emptyTokenNeverValidates() {
        let signature = WeChatSignature.signature(token: "", timestamp: "1", nonce: "2")
        #expect(!WeChatSignature.isValid(signature, token: "", timestamp: "1", nonce: "2"))
    }

    @Test func constantTimeEquals() {
        #expect(WeChatSignature.constantTimeEquals("abc", "abc"))
        #expect(WeChatSignature.constantTimeEquals("", ""))
        #expect(!WeChatSignature.constantTimeEquals("abc", "abd"))
        #expect(!WeChatSignature.constantTimeEquals("abc", "ab"))
        #expect(!WeChatSignature.constantTimeEquals("中", "中文"))
    }
}
