import Foundation
import Testing
import WeiquanCore

@testable import WeiquanServer

/// The evidence's rules without a server, a store or a clock.
@Suite struct EvidenceStateMachineTests {
    let start = Date(timeIntervalSince1970: 1_795_399_200)

    func job(_ number: Int, case id: String = "WQ202611230001") -> EvidenceJob {
        EvidenceJob(
            caseID: CaseID(stringLiteral: id), applicant: "user-a", number: number, mediaID: "MEDIA_\(number)",
            createdAt: self.start)
    }

    @Test func jobsAreFetchedOneAtATimeInOrderAndFinishedOnesLeave() {
        var machine = EvidenceStateMachine(settings: EvidenceSettings())
        #expect(machine.next(at: self.start) == .idle)
        machine.ingest(self.job(2))
        machine.ingest(self.job(1))
        #expect(machine.next(at: self.start) == .fetch(self.job(1)))
        let done = machine.attempted(
            self.job(1), .received(contentType: "image/jpeg", size: 10, sha256: "x"), at: self.start)
        #expect(done.status == .fetched && done.finishedAt == self.start)
        #expect(machine.next(at: self.start) == .fetch(self.job(2)))
        // A stale copy of a finished job read later does not bring it back; a finished copy takes one out.
        var finished = self.job(2)
        finished.status = .failed
        machine.ingest(finished)
        #expect(machine.next(at: self.start) == .idle)
    }

    @Test func transientErrorsBackOffAndGiveUpAsUnreachable() {
        var machine = EvidenceStateMachine(settings: EvidenceSettings(maxAttempts: 3))
        var job = self.job(1)
        job = machine.attempted(job, .failed(WeChatAPIError(code: -1, message: "busy")), at: self.start)
        #expect(job.status == .pending && job.attempts == 1)
        #expect(machine.next(at: self.start) == .wait(.seconds(1)))
        job = machine.attempted(
            job, .failed(WeChatAPIError(code: WeChatAPIError.timeout, message: "")),
            at: self.start.addingTimeInterval(1))
        #expect(job.attempts == 2 && job.dueAt == self.start.addingTimeInterval(3))
        job = machine.attempted(job, .notStored, at: self.start.addingTimeInterval(3))
        #expect(job.status == .failed && job.reason == .unreachable)
        #expect(machine.next(at: self.start) == .idle)
    }

    @Test func whatTheMediaIsDecidesFailuresThatAreNotRetried() {
        var machine = EvidenceStateMachine(settings: EvidenceSettings(maxBytes: 100))
        let big = machine.attempted(
            self.job(1), .received(contentType: "image/png", size: 101, sha256: "x"), at: self.start)
        #expect(big.reason == .tooLarge && big.sha256 == nil)
        let html = machine.attempted(
            self.job(2), .received(contentType: "Text/HTML; charset=utf-8", size: 5, sha256: "x"), at: self.start)
        #expect(html.reason == .contentType && html.contentType == "text/html")
        let expired = machine.attempted(
            self.job(3), .failed(WeChatAPIError(code: 40007, message: "invalid media_id")), at: self.start)
        #expect(expired.reason == .expired && expired.code == 40007)
        let refused = machine.attempted(
            self.job(4), .failed(WeChatAPIError(code: 48001, message: "api unauthorized")), at: self.start)
        #expect(refused.reason == .rejected && refused.attempts == 0)
    }

    @Test func aFailingTokenEndpointHoldsEveryJobWithoutCountingAttempts() {
        var machine = EvidenceStateMachine(settings: EvidenceSettings())
        machine.ingest(self.job(1))
        machine.tokenUnavailable(at: self.start)
        machine.tokenUnavailable(at: self.start)
        #expect(machine.next(at: self.start) == .wait(.seconds(2)))
        machine.tokenFetched()
        #expect(machine.next(at: self.start) == .fetch(self.job(1)))
    }

    @Test func onlyMediaIDsAreFetchedAndTheCaseKeepsOneEntryPerNumber() {
        var record = CaseRecord(
            id: "WQ202611230001", kind: .aidRequest, applicant: "user-a", createdAt: self.start,
            unit: nil, fields: [:],
            attachments: ["MEDIA_a-1", "https://shop.example/item/1", "合同.pdf", "MEDIA_b"], consent: nil)
        #expect(EvidenceJob.jobs(for: record).map(\.id) == ["WQ202611230001-1", "WQ202611230001-4"])
        let pending = CaseEvidence(number: 4, mediaID: "MEDIA_b", status: .failed, reason: .expired, at: self.start)
        record.recordEvidence(pending)
        record.recordEvidence(CaseEvidence(number: 1, mediaID: "MEDIA_a-1", status: .fetched, at: self.start))
        record.recordEvidence(CaseEvidence(number: 4, mediaID: "MEDIA_b", status: .fetched, at: self.start))
        #expect(record.evidence.map(\.number) == [1, 4])
        #expect(record.evidence.map(\.status) == [.fetched, .fetched])
    }
}
