import Testing
import WeChatChannel
import WeiquanTestSupport

@Suite struct WeChatXMLFuzzTests {
    /// Fragments that steer mutations towards the parser's decision points.
    static let fragments: [[UInt8]] = [
        "<", ">", "/", "&", ";", "]]>", "<![CDATA[", "<!DOCTYPE x>", "<!ENTITY", "<?", "?>", "</", "/>", "&#x",
        "&#", "&lt;", "&xxe;", "<xml>", "</xml>", "<a>", "</a>", "\"", "'", "=", " ", "\n", "\u{00}", "\u{1D}",
        "中", "😀", "<!--",
    ].map { Array($0.utf8) }

    @Test(.timeLimit(.minutes(1)))
    func mutatedBodiesNeverCrashOrHang() {
        var random = SeededGenerator(seed: 20_240_425)
        let seeds = WeChatSamples.all.map { Array($0.utf8) }
        var accepted = 0
        var rejected: [WeChatError.Code: Int] = [:]
        for _ in 0..<20_000 {
            var body = seeds[Int(random.next() % UInt64(seeds.count))]
            let mutations = 1 + Int(random.next() % 4)
            for _ in 0..<mutations {
                Self.mutate(&body, using: &random)
            }
            do {
                let message = try WeChatXML.parse(body)
                accepted += 1
                // Whatever parses must yield a usable message.
                #expect(!message.fromUserName.isEmpty)
                _ = message.dedupeKey
                _ = message.conversationEvent(menuKeys: [:])
            } catch {
                rejected[error.code, default: 0] += 1
            }
        }
        // The mutations are mild enough that both outcomes occur often.
        #expect(accepted > 100)
        #expect(rejected.values.reduce(0, +) > 1_000)
    }

    @Test(.timeLimit(.minutes(1)))
    func randomBytesNeverCrash() {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<5_000 {
            let count = Int(random.next() % 512)
            var body = [UInt8]()
            body.reserveCapacity(count + 5)
            if random.next() % 2 == 0 {
                body.append(contentsOf: "<xml>".utf8)
            }
            for _ in 0..<count {
                body.append(UInt8(truncatingIfNeeded: random.next()))
            }
            _ = try? WeChatXML.parse(body)
        }
    }

    private static func mutate(_ body: inout [UInt8], using random: inout SeededGenerator) {
        let position = body.isEmpty ? 0 : Int(random.next() % UInt64(body.count + 1))
        switch random.next() % 7 {
        case 0:
            // Flip one bit.
            if position < body.count {
                body[position] ^= UInt8(1) << UInt8(random.next() % 8)
            }
        case 1:
            // Truncate.
            body.removeSubrange(position...)
        case 2:
            // Insert a random byte.
            body.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
        case 3:
            // Insert a markup fragment.
            body.insert(contentsOf: Self.fragments[Int(random.next() % UInt64(Self.fragments.count))], at: position)
        case 4:
            // Delete a short run.
            let end = min(body.count, position + 1 + Int(random.next() % 8))
            if position < end {
                body.removeSubrange(position..<end)
            }
        case 5:
            // Duplicate a short run.
            let end = min(body.count, position + 1 + Int(random.next() % 32))
            if position < end {
                body.insert(contentsOf: body[position..<end], at: position)
            }
        default:
            // Replace a byte with an ASCII one.
            if position < body.count {
                body[position] = UInt8(0x20 + random.next() % 0x5F)
            }
        }
    }
}
