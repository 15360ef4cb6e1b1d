import Foundation
import Synchronization
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// The desk's harness with the volunteer queue: a ``QuestionService`` whose redaction is a fake that masks the
/// one phone number the tests write, volunteers with and without profiles, and questions put in the store as the
/// bot would file them.
struct QuestionHarness {
    static let volunteer = DeskHarness.volunteer
    static let volunteer2 = DeskHarness.volunteer2
    static let patentVolunteer = StaffIdentity(name: "vol-patent", role: .volunteer, unit: nil, specialties: ["patent"])
    static let liuzhouVolunteer = StaffIdentity(name: "vol-liuzhou", role: .volunteer, unit: nil, regions: ["liuzhou"])

    /// The desk's tokens and these volunteers'.
    static let tokens = TokenRegistry(
        tokens: [
            DeskHarness.staff1, DeskHarness.staff2, DeskHarness.liuzhou, DeskHarness.admin, volunteer, volunteer2,
            patentVolunteer, liuzhouVolunteer,
        ].map { who in
            StoredToken(
                name: who.name, role: who.role, unit: who.unit, hash: TokenRegistry.hash("token-\(who.name)"),
                createdAt: DeskHarness.mondayMorning, specialties: who.specialties, regions: who.regions)
        }
    )

    /// The applicant's phone number in the questions and replies, which volunteers must never see.
    static let phone = "13800138000"
    /// The fake redaction: the phone number masked, and each call's text recorded.
    static let redact: QuestionService.Redaction = { text, _ in text.replacingOccurrences(of: phone, with: "［电话］") }

    let desk: DeskHarness
    let questions: QuestionService
    let metrics: Metrics

    var store: any DocumentStore { self.desk.store }
    var clock: TestClock { self.desk.clock }
    var outbound: RecordingOutbound { self.desk.outbound }

    init(
        store: any DocumentStore = MemoryDocumentStore(), configure: (inout CentreConfiguration) -> Void = { _ in }
    ) async throws {
        var data = TestServer.data
        configure(&data.configuration)
        self.metrics = Metrics()
        self.desk = try await DeskHarness(store: store, machine: data.makeMachine(), metrics: self.metrics)
        self.questions = QuestionService(service: self.desk.service, redact: Self.redact)
    }

    /// A question as the bot files it: asked `minutesAgo` before now, by `applicant`.
    static func question(
        _ number: Int, applicant: ApplicantID = "oOpenID-secret-1", askedAt: Date, ipType: String? = "trademark",
        region: String? = "南宁市", urgent: Bool = false
    ) -> QuestionRecord {
        QuestionRecord(
            id: QuestionID(sequence: number), applicant: applicant, askedAt: askedAt,
            text: "我叫张三，电话\(Self.phone)，我的商标被抢注了怎么办？（原文\(number)）",
            redacted: "我叫［姓名］，电话［电话］，我的商标被抢注了怎么办？（\(number)）", ipType: ipType, region: region,
            urgent: urgent)
    }

    /// Files `question` as the bot would (the conversation exists: the applicant wrote).
    func file(_ question: QuestionRecord) async throws {
        try await self.store.put(question)
        if try await self.store.get(Conversation.self, id: question.applicant.rawValue) == nil {
            try await self.store.put(Conversation(applicant: question.applicant, updatedAt: question.askedAt))
        }
    }

    /// Files question `number`, asked an hour before now.
    @discardableResult
    func file(
        _ number: Int, applicant: ApplicantID = "oOpenID-secret-1", ipType: String? = "trademark",
        region: String? = "南宁市", urgent: Bool = false, minutesAgo: Double = 60
    ) async throws -> QuestionID {
        let question = Self.question(
            number, applicant: applicant, askedAt: self.clock.now.addingTimeInterval(-minutesAgo * 60), ipType: ipType,
            region: region, urgent: urgent)
        try await self.file(question)
        return question.id
    }

    func stored(_ id: QuestionID) async throws -> QuestionRecord {
        try #require(try await self.store.get(QuestionRecord.self, id: id.rawValue))
    }

    func conversation(_ applicant: ApplicantID = "oOpenID-secret-1") async throws -> Conversation {
        try #require(try await self.store.get(Conversation.self, id: applicant.rawValue))
    }

    /// The bot's side of a reply: ``QuestionRecord/recordReply(text:at:)`` applied and the wait cleared in one write,
    /// as the lead's machine does it inside the applicant's message.
    func applicantReplies(_ id: QuestionID, _ text: String) async throws {
        var question = try await self.stored(id)
        var conversation = try await self.conversation(question.applicant)
        try question.recordReply(text: text, at: self.clock.now)
        conversation.questionWait = nil
        try await self.store.write([try .put(question), try .put(conversation)])
    }

    /// The error a desk call failed with.
    static func refusal(_ body: () async throws -> some Any) async -> DeskError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? DeskError
        }
    }
}
