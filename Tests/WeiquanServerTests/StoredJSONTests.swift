import Foundation
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// The documents on disk keep their exact JSON now that the ids in them are typed: each one below was written
/// by the version that kept the ids as strings, and reads back into the typed ids and writes out byte for byte
/// the same.
@Suite struct StoredJSONTests {
    /// Reads `json` as the store does and writes it again.
    func rewritten<Document: Codable>(_ json: String, as type: Document.Type) throws -> (Document, String) {
        let document = try StoreCoding.decoder.decode(Document.self, from: Data(json.utf8))
        return (document, String(decoding: try StoreCoding.encoder.encode(document), as: UTF8.self))
    }

    @Test func aConversationOwnedByTheQueue() throws {
        let json =
            #"{"handoff_id":"H000001","id":"o6_user-q","owner":"queue","schema_version":2,"state":{"#
            + #""last_activity":"2026-11-23T02:00:00.000Z","phase":{"form":{"_0":{"attachments":[],"#
            + #""consent":{"accepted_at":"2026-11-23T02:00:00.000Z","notice_version":"2026-11"},"current":"ip_type","#
            + #""editing":false,"history":["consent","applicant_type","name","phone","region"],"invalid_attempts":0,"#
            + #""kind":"aid_request","values":{"applicant_type":"natural_person","consent":"yes","name":"李四","#
            + #""phone":"13800138000","region":"柳州市"}}}}},"updated_at":"2026-11-23T02:00:00.000Z"}"#
        let (conversation, written) = try self.rewritten(json, as: Conversation.self)
        #expect(conversation.applicant == ApplicantID("o6_user-q"))
        #expect(conversation.handoffID == HandoffID("H000001"))
        #expect(conversation.documentID == "o6_user-q")
        #expect(written == json)
    }

    @Test func aConversationLeavingAQuestionForAUnit() throws {
        let json =
            #"{"id":"o6_user-l","owner":"bot","schema_version":2,"state":{"phase":{"leavingQuestion":{"_0":{"#
            + #""reason":"requested","unit":"centre","urgent":[]}}}},"updated_at":"2026-11-23T02:00:00.000Z"}"#
        let (conversation, written) = try self.rewritten(json, as: Conversation.self)
        guard case .leavingQuestion(let request) = conversation.state.phase else {
            Issue.record("not leaving a question: \(conversation.state.phase)")
            return
        }
        #expect(request.unit == UnitID("centre"))
        #expect(written == json)
    }

    @Test func aConversationOwnedByStaff() throws {
        let json =
            #"{"handoff_id":"H000002","id":"o6_user-s","owner":"staff:desk-1","schema_version":2,"state":{},"#
            + #""updated_at":"2026-11-23T02:00:00.000Z"}"#
        let (conversation, written) = try self.rewritten(json, as: Conversation.self)
        #expect(conversation.owner == .staff("desk-1") && conversation.handoffID == HandoffID("H000002"))
        #expect(written == json)
    }

    @Test func aHandoffTransferredToAnotherUnit() throws {
        let json =
            #"{"conversation":"o6_user-q","form":{"attachments":[],"consent":{"accepted_at":"2026-11-23T02:00:00.000Z","#
            + #""notice_version":"2026-11"},"current":"ip_type","editing":false,"history":["consent","applicant_type","#
            + #""name","phone","region"],"invalid_attempts":0,"kind":"aid_request","values":{"#
            + #""applicant_type":"natural_person","consent":"yes","name":"李四","phone":"13800138000","#
            + #""region":"柳州市"}},"id":"H000001","intents":["human"],"last_activity_at":"2026-11-23T02:00:00.000Z","#
            + #""messages":[{"at":"2026-11-23T02:00:00.000Z","from":"applicant","text":"人工"},"#
            + #"{"at":"2026-11-23T02:00:00.000Z","author":"desk-1","from":"event","text":"transferred to liuzhou"}],"#
            + #""offered":false,"reason":"requested","requested_at":"2026-11-23T02:00:00.000Z","schema_version":1,"#
            + #""status":"waiting","told_at":"2026-11-23T02:00:00.000Z","told_position":1,"unit":"liuzhou","urgent":[]}"#
        let (handoff, written) = try self.rewritten(json, as: HandoffRecord.self)
        #expect(handoff.id == HandoffID("H000001") && handoff.documentID == "H000001")
        #expect(handoff.applicant == ApplicantID("o6_user-q"))
        #expect(handoff.unit == UnitID("liuzhou"))
        #expect(written == json)
    }

    @Test func aFiledCase() throws {
        let json =
            #"{"applicant":"user-case","attachments":[],"consent":{"accepted_at":"2026-11-23T02:00:00.000Z","#
            + #""notice_version":"2026-11"},"created_at":"2026-11-23T02:00:00.000Z","fields":{"#
            + #""applicant_type":"enterprise","evidence":"有购买记录和网页截图","facts":"他们在网店上销售仿冒我们专利的产品","#
            + #""ip_number":"201310268509.X","ip_type":"patent","name":"南宁某某科技有限公司","#
            + #""other_party":"深圳某某贸易有限公司","phone":"13800138000","region":"南宁市","#
            + #""services":"consultation,ecommerce"},"id":"WQ202611230001","kind":"aid_request","schema_version":1,"#
            + #""status":"submitted","unit":"nanning"}"#
        let (record, written) = try self.rewritten(json, as: CaseRecord.self)
        #expect(
            record.id == CaseID(year: 2026, month: 11, day: 23, sequence: 1) && record.documentID == "WQ202611230001")
        #expect(record.applicant == ApplicantID("user-case"))
        #expect(record.unit == UnitID("nanning"))
        #expect(written == json)
    }

    @Test func auditEvents() throws {
        let filed =
            #"{"action":"case_filed","actor":"bot","at":"2026-11-23T02:00:00.000Z","case_id":"WQ202611230001","#
            + #""conversation":"user-case","id":"audit-1","schema_version":1}"#
        let (filing, writtenFiling) = try self.rewritten(filed, as: AuditEvent.self)
        #expect(filing.caseID == CaseID(year: 2026, month: 11, day: 23, sequence: 1))
        #expect(filing.conversation == ApplicantID("user-case") && filing.handoffID == nil)
        #expect(writtenFiling == filed)
        let transferred =
            #"{"action":"handoff_transferred","actor":"desk-1","at":"2026-11-23T02:00:00.000Z","#
            + #""conversation":"o6_user-q","detail":"to_unit=liuzhou","handoff_id":"H000001","id":"audit-5","#
            + #""schema_version":1}"#
        let (transfer, writtenTransfer) = try self.rewritten(transferred, as: AuditEvent.self)
        #expect(transfer.handoffID == HandoffID("H000001") && transfer.caseID == nil)
        #expect(writtenTransfer == transferred)
    }

    @Test func anOutboxMessage() throws {
        let json =
            #"{"applicant":"o6_user-q","attempts":0,"author":"staff:desk-1","content":"内容","#
            + #""created_at":"2026-11-23T02:00:00.000Z","delivered_at":null,"id":"0000000000000042","#
            + #""last_error_code":45015,"next_attempt_at":null,"schema_version":1,"state":"held"}"#
        let (message, written) = try self.rewritten(json, as: OutboxMessage.self)
        #expect(message.applicant == ApplicantID("o6_user-q"))
        #expect(written == json)
    }

    @Test func aDeskToken() throws {
        let json =
            #"{"created_at":"2026-11-23T02:00:00.000Z","#
            + #""hash":"abababababababababababababababababababababababababababababababab","name":"liuzhou-1","#
            + #""role":"staff","schema_version":1,"unit":"liuzhou"}"#
        let (token, written) = try self.rewritten(json, as: StoredToken.self)
        #expect(token.unit == UnitID("liuzhou"))
        #expect(written == json)
    }
}
