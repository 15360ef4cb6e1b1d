import Foundation
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// The store's own encoder (`StoreCoding.encode`) writes the real documents byte for byte as Foundation's
/// (`StoreCoding.encoder`) did: documents read from the JSON earlier versions wrote, and documents the
/// conversation service writes today.
@Suite struct StoreEncodingParityTests {
    /// Expects both encoders to write the same bytes for `document`, and returns them.
    @discardableResult
    func expectSame<D: Encodable>(_ document: D, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let foundation = try StoreCoding.encoder.encode(document)
        let ours = try StoreCoding.encode(document)
        #expect(
            ours == foundation,
            "store: \(String(decoding: ours, as: UTF8.self))\nFoundation: \(String(decoding: foundation, as: UTF8.self))",
            sourceLocation: sourceLocation)
        return String(decoding: ours, as: UTF8.self)
    }

    /// Reads `json` as the store does and expects both encoders to write it back unchanged.
    func expectRewritten<D: Codable>(_ json: String, as type: D.Type, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let document = try StoreCoding.decoder.decode(D.self, from: Data(json.utf8))
        #expect(try self.expectSame(document, sourceLocation: sourceLocation) == json, sourceLocation: sourceLocation)
    }

    static let at = Date(timeIntervalSince1970: 1_795_222_800.25)

    @Test func documentsEarlierVersionsWrote() throws {
        try self.expectRewritten(
            #"{"handoff_id":"H000001","id":"o6_user-q","owner":"queue","schema_version":2,"state":{"#
                + #""last_activity":"2026-11-23T02:00:00.000Z","phase":{"form":{"_0":{"attachments":[],"#
                + #""consent":{"accepted_at":"2026-11-23T02:00:00.000Z","notice_version":"2026-11"},"#
                + #""current":"ip_type","editing":false,"history":["consent","applicant_type","name","phone","#
                + #""region"],"invalid_attempts":0,"kind":"aid_request","values":{"applicant_type":"natural_person","#
                + #""consent":"yes","name":"李四","phone":"13800138000","region":"柳州市"}}}}},"#
                + #""updated_at":"2026-11-23T02:00:00.000Z"}"#, as: Conversation.self)
        try self.expectRewritten(
            #"{"id":"o6_user-l","owner":"bot","schema_version":2,"state":{"phase":{"leavingQuestion":{"_0":{"#
                + #""reason":"requested","unit":"centre","urgent":[]}}}},"updated_at":"2026-11-23T02:00:00.000Z"}"#,
            as: Conversation.self)
        try self.expectRewritten(
            #"{"conversation":"o6_user-q","form":{"attachments":[],"consent":{"#
                + #""accepted_at":"2026-11-23T02:00:00.000Z","notice_version":"2026-11"},"current":"ip_type","#
                + #""editing":false,"history":["consent","applicant_type","name","phone","region"],"#
                + #""invalid_attempts":0,"kind":"aid_request","values":{"applicant_type":"natural_person","#
                + #""consent":"yes","name":"李四","phone":"13800138000","region":"柳州市"}},"id":"H000001","#
                + #""intents":["human"],"last_activity_at":"2026-11-23T02:00:00.000Z","#
                + #""messages":[{"at":"2026-11-23T02:00:00.000Z","from":"applicant","text":"人工"},"#
                + #"{"at":"2026-11-23T02:00:00.000Z","author":"desk-1","from":"event","text":"transferred to liuzhou"}],"#
                + #""offered":false,"reason":"requested","requested_at":"2026-11-23T02:00:00.000Z","schema_version":1,"#
                + #""status":"waiting","told_at":"2026-11-23T02:00:00.000Z","told_position":1,"unit":"liuzhou","#
                + #""urgent":[]}"#, as: HandoffRecord.self)
        try self.expectRewritten(
            #"{"applicant":"user-case","attachments":[],"consent":{"accepted_at":"2026-11-23T02:00:00.000Z","#
                + #""notice_version":"2026-11"},"created_at":"2026-11-23T02:00:00.000Z","fields":{"#
                + #""applicant_type":"enterprise","evidence":"有购买记录和网页截图","facts":"他们在网店上销售仿冒我们专利的产品","#
                + #""ip_number":"201310268509.X","ip_type":"patent","name":"南宁某某科技有限公司","#
                + #""other_party":"深圳某某贸易有限公司","phone":"13800138000","region":"南宁市","#
                + #""services":"consultation,ecommerce"},"id":"WQ202611230001","kind":"aid_request","#
                + #""schema_version":1,"status":"submitted","unit":"nanning"}"#, as: CaseRecord.self)
        try self.expectRewritten(
            #"{"action":"handoff_transferred","actor":"desk-1","at":"2026-11-23T02:00:00.000Z","#
                + #""conversation":"o6_user-q","detail":"to_unit=liuzhou","handoff_id":"H000001","id":"audit-5","#
                + #""schema_version":1}"#, as: AuditEvent.self)
        try self.expectRewritten(
            #"{"applicant":"o6_user-q","attempts":0,"author":"staff:desk-1","content":"内容","#
                + #""created_at":"2026-11-23T02:00:00.000Z","delivered_at":null,"id":"0000000000000042","#
                + #""last_error_code":45015,"next_attempt_at":null,"schema_version":1,"state":"held"}"#,
            as: OutboxMessage.self)
        try self.expectRewritten(
            #"{"created_at":"2026-11-23T02:00:00.000Z","#
                + #""hash":"abababababababababababababababababababababababababababababababab","name":"liuzhou-1","#
                + #""role":"staff","schema_version":1,"unit":"liuzhou"}"#, as: StoredToken.self)
    }

    @Test func aConversationMidFormWithRecentMessagesAndASession() throws {
        let machine = TestServer.data.makeMachine()
        let context = ConversationContext(now: Self.at, applicant: "o6_parity", caseID: "WQ202611210001")
        var state = ConversationState()
        for message in ["我要申请维权援助", "1", "2", "南宁某某科技有限公司"] {
            _ = machine.handle(.text(message), state: &state, context: context)
        }
        var conversation = Conversation(applicant: "o6_parity", state: state, updatedAt: Self.at)
        conversation.remember("我的商标被抢注了\n怎么办？\"急\"", at: Self.at)
        conversation.remember(
            "https://example.org/a/b 😀", intent: IntentID("human"), at: Self.at.addingTimeInterval(0.0005))
        conversation.session = ConversationSession(id: "s-1", startedAt: Self.at.addingTimeInterval(-0.0004))
        let json = try self.expectSame(conversation)
        #expect(json.contains("南宁某某科技有限公司"))
        try self.expectSame(Conversation(applicant: "o6_idle", updatedAt: Self.at))
    }

    @Test func retryAuditAndQuestionRecords() throws {
        try self.expectSame(RetryRecord(id: "msg:1", reply: "您好！\n请问有什么可以帮您？", handledAt: Self.at))
        try self.expectSame(RetryRecord(id: "msg:2", reply: nil, handledAt: Date(timeIntervalSince1970: -0.0005)))
        try self.expectSame(
            QuestionRecord(
                id: QuestionID(sequence: 7), applicant: "o6_q", askedAt: Self.at,
                text: "我叫张三，电话13800138000，我的商标被抢注了怎么办？", redacted: "我叫［姓名］，电话［电话］，我的商标被抢注了怎么办？",
                ipType: "trademark", region: nil, urgent: true))
    }

    @Test func whatTheConversationServiceWrites() async throws {
        let store = MemoryDocumentStore()
        let service = try await ConversationService(machine: TestServer.data.makeMachine(), store: store)
        let applicant = ApplicantID("o6_service")
        for (number, message) in ["你好", "201310268509.X", "1", "我要申请维权援助", "1", "2"].enumerated() {
            _ = await service.handle(.text(message), applicant: applicant, key: "msg:\(number)", budget: .seconds(4))
        }
        let conversation = try #require(try await store.get(Conversation.self, id: applicant.rawValue))
        try self.expectSame(conversation)
        let book = try #require(try await store.get(ReminderBook.self, id: applicant.rawValue))
        #expect(!book.entries.isEmpty)
        try self.expectSame(book)
        let retry = try #require(try await store.get(RetryRecord.self, id: "msg:1"))
        try self.expectSame(retry)
    }
}
