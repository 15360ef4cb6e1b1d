import Foundation
import Testing
import WeiquanCore

/// The case lifecycle, every change from every status of both kinds: the allowed ones land where the table says
/// and record who, when and why; every other one is refused with `illegal_transition` and changes nothing.
@Suite struct CaseTransitionTests {
    static let now = Date(timeIntervalSince1970: 1_795_399_200)
    static let outcome = CaseOutcome(.opinionIssued, number: "桂知援意〔2026〕12号")
    static let transfer = CaseTransfer(authority: "南宁市市场监督管理局", date: "2026-11-24", letterNumber: "转2026-031")

    /// One example of each change.
    static let changes: [CaseChange] = [
        .accept, .notAccept(reason: CasePolicy.defaultReasons[0]), .start, .conclude(outcome), .transfer(transfer),
        .receiptReturned(date: "2026-11-28"), .close(nil), .archive, .withdraw, .refer(to: "liuzhou"),
    ]

    /// Where each change leads, by kind and starting status (written out here, apart from the code).
    static func expected(_ change: CaseChange, kind: CaseKind, from status: CaseStatus) -> CaseStatus? {
        let open: Set<CaseStatus> = [.submitted, .accepted, .inProgress, .transferred, .receiptReturned]
        switch (change.name, kind) {
        case ("accept", .aidRequest): return status == .submitted ? .accepted : nil
        case ("not_accept", .aidRequest): return status == .submitted ? .notAccepted : nil
        case ("start", .aidRequest): return status == .accepted ? .inProgress : nil
        case ("start", .complaint): return status == .submitted ? .inProgress : nil
        case ("conclude", .aidRequest): return [.accepted, .inProgress].contains(status) ? .concluded : nil
        case ("transfer", .complaint): return [.submitted, .inProgress].contains(status) ? .transferred : nil
        case ("receipt_returned", .complaint): return status == .transferred ? .receiptReturned : nil
        case ("close", .complaint): return [.receiptReturned, .inProgress].contains(status) ? .closed : nil
        case ("withdraw", _): return open.contains(status) ? .withdrawn : nil
        case ("refer", _): return [.submitted, .accepted, .inProgress].contains(status) ? .submitted : nil
        case ("archive", _):
            return [.notAccepted, .concluded, .closed, .withdrawn].contains(status) ? .archived : nil
        default: return nil
        }
    }

    static func record(_ kind: CaseKind, _ status: CaseStatus) -> CaseRecord {
        CaseRecord(
            id: "WQ202611230001", kind: kind, status: status, applicant: "user-a", createdAt: now, unit: "nanning",
            fields: [:], consent: nil)
    }

    @Test(arguments: CaseKind.allCases)
    func everyChangeFromEveryStatus(kind: CaseKind) {
        for status in CaseStatus.allCases {
            for change in Self.changes {
                var record = Self.record(kind, status)
                let before = record
                do {
                    try record.apply(change, by: "desk-1", at: Self.now, note: "依据材料")
                    let expected = Self.expected(change, kind: kind, from: status)
                    #expect(record.status == expected, "\(kind) \(status) \(change.name)")
                    let event = record.timeline.last
                    #expect(event?.actor == "desk-1" && event?.at == Self.now && event?.from == status)
                    #expect(event?.to == record.status)
                    #expect(event?.detail?.contains("依据材料") == true, "the why is recorded")
                } catch {
                    #expect(record == before, "a refusal changes nothing")
                    if status == .archived {
                        #expect(error == .archived(case: record.id))
                    } else {
                        #expect(Self.expected(change, kind: kind, from: status) == nil, "\(kind) \(status) \(change)")
                        #expect(error.code == "illegal_transition")
                    }
                }
            }
        }
    }

    @Test func notAcceptingNeedsAConfiguredReason() throws {
        var record = Self.record(.aidRequest, .submitted)
        #expect(throws: CaseError.self) { try record.apply(.notAccept(reason: "看心情"), by: "desk-1", at: Self.now) }
        #expect(record.status == .submitted && record.timeline.isEmpty)
        let policy = CasePolicy(notAcceptedReasons: ["超出服务范围"])
        try record.apply(.notAccept(reason: "超出服务范围"), by: "desk-1", at: Self.now, policy: policy)
        #expect(record.status == .notAccepted && record.notAcceptedReason == "超出服务范围")
    }

    @Test func outcomesAndTransfersNeedTheirParts() throws {
        var aid = Self.record(.aidRequest, .inProgress)
        for bad in [CaseOutcome(.opinionIssued), CaseOutcome(.other, text: "")] {
            #expect(throws: CaseError.missing(case: aid.id, what: bad.problem ?? "")) {
                try aid.apply(.conclude(bad), by: "desk-1", at: Self.now)
            }
        }
        try aid.apply(.conclude(Self.outcome), by: "desk-1", at: Self.now)
        #expect(aid.outcome == Self.outcome)

        var complaint = Self.record(.complaint, .submitted)
        for bad in [
            CaseTransfer(authority: "", date: "2026-11-24", letterNumber: "1"),
            CaseTransfer(authority: "市监局", date: "24/11/2026", letterNumber: "1"),
            CaseTransfer(authority: "市监局", date: "2026-13-01", letterNumber: "1"),
        ] {
            #expect(throws: CaseError.self) { try complaint.apply(.transfer(bad), by: "desk-1", at: Self.now) }
        }
        try complaint.apply(.transfer(Self.transfer), by: "desk-1", at: Self.now)
        #expect(throws: CaseError.self) {
            try complaint.apply(.receiptReturned(date: "昨天"), by: "desk-1", at: Self.now)
        }
        try complaint.apply(.receiptReturned(date: "2026-11-28"), by: "desk-1", at: Self.now)
        try complaint.apply(.close(nil), by: "desk-1", at: Self.now)
        #expect(complaint.transfer?.receiptDate == "2026-11-28" && complaint.status == .closed)
        #expect(complaint.timeline.map(\.action) == [.transferred, .receiptReturned, .closed])
    }

    @Test func aReferralMovesTheCaseAndKeepsItsHistory() throws {
        var record = Self.record(.aidRequest, .submitted)
        try record.assign(to: "desk-1", experts: [], by: "admin", at: Self.now)
        try record.apply(.accept, by: "desk-1", at: Self.now)
        try record.apply(.refer(to: "liuzhou"), by: "desk-1", at: Self.now, note: "侵权行为地在柳州")
        #expect(record.unit == "liuzhou" && record.status == .submitted && record.assignee == nil)
        #expect(record.timeline.map(\.action) == [.assigned, .accepted, .referred])
        #expect(record.timeline.last?.detail == "nanning → liuzhou；侵权行为地在柳州")
        #expect(throws: CaseError.self) { try record.apply(.refer(to: "liuzhou"), by: "desk-1", at: Self.now) }
    }

    @Test func assignmentTakesExpertsOfTheDirectoryOnly() throws {
        let policy = CasePolicy(experts: [CasePolicy.Expert(name: "王律师", fields: ["专利"])])
        var record = Self.record(.aidRequest, .accepted)
        #expect(throws: CaseError.self) {
            try record.assign(to: "desk-1", experts: ["李某"], by: "admin", at: Self.now, policy: policy)
        }
        try record.assign(to: "desk-1", experts: ["王律师"], by: "admin", at: Self.now, policy: policy)
        #expect(record.assignee == "desk-1" && record.experts == ["王律师"])
        #expect(record.timeline.last?.detail == "desk-1, 王律师")
        var archived = Self.record(.aidRequest, .archived)
        #expect(throws: CaseError.archived(case: archived.id)) {
            try archived.assign(to: "desk-1", experts: [], by: "admin", at: Self.now)
        }
        // Notes are kept even on an archived case; an empty one is refused.
        try archived.addNote("补充归档说明", by: "admin", at: Self.now)
        #expect(throws: CaseError.self) { try archived.addNote("  ", by: "admin", at: Self.now) }
        #expect(archived.timeline.map(\.action) == [.noted])
    }

    @Test func casesOfEarlierVersionsReadWithTodaysStatuses() throws {
        let old = #"""
            {"schema_version":1,"id":"WQ202611230001","kind":"aid_request","status":"rejected","applicant":"u",
             "created_at":"2026-11-23T02:00:00.000Z","unit":"nanning","fields":{},"attachments":[]}
            """#
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601withFractionalSecondsForTests
        let record = try decoder.decode(CaseRecord.self, from: Data(old.utf8))
        #expect(record.status == .notAccepted && record.timeline.isEmpty && record.experts.isEmpty)
    }
}

extension JSONDecoder.DateDecodingStrategy {
    /// The store's date form, for a test that reads a stored document without the store.
    static var iso8601withFractionalSecondsForTests: Self {
        .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return try Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
        }
    }
}
