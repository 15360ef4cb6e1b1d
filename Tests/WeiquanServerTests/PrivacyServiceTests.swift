import Foundation
import Logging
import Synchronization
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanStore

@testable import WeiquanServer

/// What an erasure and the retention sweep do to the evidence's bytes, the applicant's handoffs, and the cases of
/// the retention period, on the service (time from the harness's clock).
@Suite struct PrivacyServiceTests {
    static let sharedBytes = String(repeating: "ab", count: 32)
    static let ownBytes = String(repeating: "cd", count: 32)

    func file(_ harness: DeskHarness, user: ApplicantID, first id: Int) async throws -> CaseRecord {
        for (index, text) in ConversationClusterTests.aidRequest.enumerated() {
            await harness.say(text, from: user, id: id + index)
        }
        return try #require(try await harness.store.all(CaseRecord.self).first { $0.applicant == user })
    }

    /// Stores `record` with fetched evidence of these hashes, as the evidence worker would have.
    func withEvidence(_ record: CaseRecord, _ hashes: [String], harness: DeskHarness) async throws {
        var record = record
        for (index, sha256) in hashes.enumerated() {
            record.recordEvidence(
                CaseEvidence(
                    number: index + 1, mediaID: "MEDIA_\(index)", status: .fetched, contentType: "image/jpeg", size: 1,
                    sha256: sha256, at: harness.clock.now))
        }
        try await harness.store.put(record)
        harness.service.takeIn([record])
    }

    func requestID(_ harness: DeskHarness, user: ApplicantID, first id: Int) async throws -> String {
        await harness.say("删除我的信息", from: user, id: id)
        await harness.say("1", from: user, id: id + 1)
        return try #require(try await harness.store.all(ErasureRequest.self).first { $0.applicant == user }?.id)
    }

    @Test func anErasureDeletesTheBytesNoOtherCaseRefersToAndEndsTheOpenHandoff() async throws {
        let harness = try await DeskHarness()
        let blobs = MemoryBlobStore()
        let privacy = PrivacyService(service: harness.service, blobs: blobs, logger: Logger(label: "test"))
        try await blobs.put([1], sha256: Self.sharedBytes)
        try await blobs.put([2], sha256: Self.ownBytes)
        let mine = try await self.file(harness, user: "user-a", first: 100)
        let theirs = try await self.file(harness, user: "user-b", first: 200)
        try await self.withEvidence(mine, [Self.sharedBytes, Self.ownBytes], harness: harness)
        try await self.withEvidence(theirs, [Self.sharedBytes], harness: harness)
        let id = try await self.requestID(harness, user: "user-a", first: 300)
        await harness.say("人工", from: "user-a", id: 400)
        #expect(try harness.handoff(of: "user-a").status == .waiting)

        let done = try await privacy.confirm(DeskHarness.staff1, id)
        #expect(done.status == .done && done.casesAnonymised == 1 && done.handoffsAnonymised == 1)
        #expect(try await blobs.get(sha256: Self.ownBytes) == nil)
        #expect(try await blobs.get(sha256: Self.sharedBytes) == [1])
        // The handoff was ended and emptied; the queue no longer shows it.
        let handoff = try #require(try await harness.store.all(HandoffRecord.self).first)
        #expect(handoff.status == .ended && handoff.applicant.isErased && handoff.messages.isEmpty)
        #expect(try harness.desk.list(DeskHarness.admin).isEmpty)
        #expect(try await harness.store.get(Conversation.self, id: "user-a") == nil)
        // The other applicant's case is untouched and still theirs.
        #expect(
            try await harness.store.get(CaseRecord.self, id: theirs.id.rawValue)
                == theirs.withEvidence(
                    [Self.sharedBytes], at: harness.clock.now))
        #expect(harness.service.casesByApplicant.withLock { $0["user-a"] } == nil)
        #expect(harness.service.casesByApplicant.withLock { $0["user-b"]?.count } == 1)
        #expect(harness.outbound.sent(to: "user-a").last?.text.contains("已按您的要求删除") == true)
    }

    @Test func theSweepAnonymisesCasesAndHandoffsOnceTheirRetentionYearsAreOver() async throws {
        let harness = try await DeskHarness()
        let privacy = PrivacyService(service: harness.service, blobs: MemoryBlobStore(), logger: Logger(label: "t"))
        var ended = try await self.file(harness, user: "user-a", first: 100)
        try ended.apply(.notAccept(reason: CasePolicy.defaultReasons[0]), by: "desk-1", at: harness.clock.now)
        try await harness.store.put(ended)
        harness.service.takeIn([ended])
        await harness.say("人工", from: "user-b", id: 300)
        let handoff = try harness.handoff(of: "user-b")
        _ = try await harness.desk.close(DeskHarness.staff1, handoff.id, note: nil)
        // Filed later and still open: never swept.
        harness.clock.advance(86_400)
        let open = try await self.file(harness, user: "user-c", first: 500)

        let years = TestServer.data.configuration.conversation.retentionYears
        let expiry = try #require(privacy.calendar.date(byAdding: .year, value: years, to: harness.clock.now - 86_400))
        harness.clock.advance(expiry.timeIntervalSince(harness.clock.now) - 1)
        #expect(try await privacy.sweepRetention() == (0, 0))
        harness.clock.advance(1)
        #expect(try await privacy.sweepRetention() == (1, 1))
        #expect(try await privacy.sweepRetention() == (0, 0))

        let swept = try #require(try await harness.store.get(CaseRecord.self, id: ended.id.rawValue))
        #expect(swept.anonymised?.reason == .retention && swept.applicant.isErased && swept.fields["phone"] == nil)
        #expect(swept.status == .notAccepted && swept.notAcceptedReason == CasePolicy.defaultReasons[0])
        #expect(try await harness.store.get(CaseRecord.self, id: open.id.rawValue) == open)
        #expect(try await harness.store.all(HandoffRecord.self).allSatisfy { $0.applicant.isErased })
        #expect(harness.service.casesByApplicant.withLock { $0["user-a"] } == nil)
        let audit = try await harness.store.all(AuditEvent.self)
        let anonymised = audit.filter { $0.action == .caseAnonymised }
        #expect(anonymised.count == 2 && anonymised.contains { $0.caseID == ended.id && $0.actor == "retention" })
        // The filing's event names the pseudonym now; the open case's still names its applicant.
        #expect(audit.first { $0.action == .caseFiled && $0.caseID == ended.id }?.conversation == swept.applicant)
        #expect(audit.first { $0.action == .caseFiled && $0.caseID == open.id }?.conversation == "user-c")
    }
}

extension CaseRecord {
    fileprivate func withEvidence(_ hashes: [String], at now: Date) -> CaseRecord {
        var record = self
        for (index, sha256) in hashes.enumerated() {
            record.recordEvidence(
                CaseEvidence(
                    number: index + 1, mediaID: "MEDIA_\(index)", status: .fetched, contentType: "image/jpeg", size: 1,
                    sha256: sha256, at: now))
        }
        return record
    }
}
