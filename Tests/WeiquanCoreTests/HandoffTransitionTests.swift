import Foundation
import Testing
import WeiquanCore

/// Each change staff make to a handoff is refused where the handoff is not in a state to take it, and a
/// refused change leaves the handoff as it was.
@Suite struct HandoffTransitionTests {
    let now = Date(timeIntervalSince1970: 1_795_399_200)
    let staff = HandoffRecord.Actor(name: "desk-1", isAdmin: false)
    let other = HandoffRecord.Actor(name: "desk-2", isAdmin: false)
    let admin = HandoffRecord.Actor(name: "root", isAdmin: true)

    func handoff(_ status: HandoffRecord.Status, assignee: String? = nil) -> HandoffRecord {
        var record = HandoffRecord(
            id: "H000001", applicant: "user-a", unit: "centre", reason: .requested, status: status,
            requestedAt: self.now
        )
        record.assignee = assignee
        if status == .ended { record.outcome = .released }
        return record
    }

    /// Runs `change` on a copy of `record` and expects it refused with `expected`, the record unchanged.
    func expectRefused(
        _ record: HandoffRecord, _ expected: HandoffError, _ change: (inout HandoffRecord) throws -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var copy = record
        do {
            try change(&copy)
            Issue.record("expected \(expected), but the change was made", sourceLocation: sourceLocation)
        } catch {
            #expect(error as? HandoffError == expected, sourceLocation: sourceLocation)
        }
        #expect(copy == record, "a refused change must leave the handoff as it was", sourceLocation: sourceLocation)
    }

    @Test func claim() throws {
        var waiting = self.handoff(.waiting)
        try waiting.claim(by: "desk-1", at: self.now)
        #expect(waiting.status == .active && waiting.assignee == "desk-1" && waiting.claimedAt == self.now)
        #expect(waiting.messages.last?.text == "claimed")
        self.expectRefused(waiting, .alreadyClaimed(handoff: "H000001", assignee: "desk-1")) {
            try $0.claim(by: "desk-2", at: self.now)
        }
        for status: HandoffRecord.Status in [.question, .callback, .ended] {
            self.expectRefused(self.handoff(status), .notWaiting(handoff: "H000001", status: status)) {
                try $0.claim(by: "desk-2", at: self.now)
            }
        }
    }

    @Test func staffMessages() throws {
        let active = self.handoff(.active, assignee: "desk-1")
        var written = active
        try written.recordStaffMessage("您好", by: self.staff, at: self.now)
        #expect(written.messages.last == HandoffMessage(at: self.now, from: .staff, author: "desk-1", text: "您好"))
        self.expectRefused(active, .notAssignee(handoff: "H000001", assignee: "desk-1")) {
            try $0.recordStaffMessage("您好", by: self.other, at: self.now)
        }
        // Even an admin writes only once they own the conversation: the applicant must know who speaks.
        self.expectRefused(active, .notAssignee(handoff: "H000001", assignee: "desk-1")) {
            try $0.recordStaffMessage("您好", by: self.admin, at: self.now)
        }
        self.expectRefused(self.handoff(.waiting), .notClaimed(handoff: "H000001")) {
            try $0.recordStaffMessage("您好", by: self.staff, at: self.now)
        }
        self.expectRefused(self.handoff(.ended), .ended(handoff: "H000001")) {
            try $0.recordStaffMessage("您好", by: self.staff, at: self.now)
        }
        // A left question is answered by anyone of its unit.
        var question = self.handoff(.question)
        try question.recordStaffMessage("答复", by: self.other, at: self.now)
        #expect(question.messages.last?.author == "desk-2")
    }

    @Test func notes() throws {
        var waiting = self.handoff(.waiting)
        try waiting.addNote("疑似恶意抢注", by: self.other, at: self.now)
        #expect(waiting.messages.last?.from == .note)
        self.expectRefused(self.handoff(.ended), .ended(handoff: "H000001")) {
            try $0.addNote("晚了", by: self.staff, at: self.now)
        }
    }

    @Test func transfers() throws {
        let active = self.handoff(.active, assignee: "desk-1")
        var toPerson = active
        try toPerson.transfer(toStaff: "desk-2", by: self.staff, at: self.now)
        #expect(toPerson.assignee == "desk-2" && toPerson.status == .active)
        self.expectRefused(active, .notAssignee(handoff: "H000001", assignee: "desk-1")) {
            try $0.transfer(toStaff: "desk-3", by: self.other, at: self.now)
        }
        var byAdmin = active
        try byAdmin.transfer(toStaff: "desk-3", by: self.admin, at: self.now)
        #expect(byAdmin.assignee == "desk-3")
        // A waiting handoff is claimed first: a person cannot be given a conversation nobody took.
        self.expectRefused(self.handoff(.waiting), .notClaimed(handoff: "H000001")) {
            try $0.transfer(toStaff: "desk-2", by: self.admin, at: self.now)
        }
        self.expectRefused(self.handoff(.callback), .notOpen(handoff: "H000001", status: .callback)) {
            try $0.transfer(toStaff: "desk-2", by: self.admin, at: self.now)
        }
        var toUnit = active
        try toUnit.transfer(toUnit: "nanning", by: self.staff, at: self.now)
        #expect(
            toUnit.status == .waiting && toUnit.unit == "nanning" && toUnit.assignee == nil && toUnit.claimedAt == nil)
        self.expectRefused(active, .notAssignee(handoff: "H000001", assignee: "desk-1")) {
            try $0.transfer(toUnit: "nanning", by: self.other, at: self.now)
        }
        for status: HandoffRecord.Status in [.question, .callback, .ended] {
            self.expectRefused(self.handoff(status), .notOpen(handoff: "H000001", status: status)) {
                try $0.transfer(toUnit: "nanning", by: self.admin, at: self.now)
            }
        }
    }

    @Test func releaseAndClose() throws {
        let active = self.handoff(.active, assignee: "desk-1")
        try active.checkRelease(by: self.staff)
        try active.checkRelease(by: self.admin)
        try self.handoff(.waiting).checkRelease(by: self.other)
        #expect(throws: HandoffError.notAssignee(handoff: "H000001", assignee: "desk-1")) {
            try active.checkRelease(by: self.other)
        }
        #expect(throws: HandoffError.notOpen(handoff: "H000001", status: .question)) {
            try self.handoff(.question).checkRelease(by: self.admin)
        }
        try active.checkClose(by: self.admin)
        try self.handoff(.callback).checkClose(by: self.other)
        #expect(throws: HandoffError.notAssignee(handoff: "H000001", assignee: "desk-1")) {
            try active.checkClose(by: self.other)
        }
        #expect(throws: HandoffError.ended(handoff: "H000001")) { try self.handoff(.ended).checkClose(by: self.admin) }
        var finished = active
        finished.finish(.closed, by: "desk-1", at: self.now)
        #expect(finished.status == .ended && finished.outcome == .closed && finished.endedAt == self.now)
        #expect(finished.messages.last == HandoffMessage(at: self.now, from: .event, author: "desk-1", text: "closed"))
    }

    @Test func everyRefusalHasAStableCodeAndAMessage() {
        let errors: [HandoffError] = [
            .alreadyClaimed(handoff: "H1", assignee: "a"), .notWaiting(handoff: "H1", status: .ended),
            .notClaimed(handoff: "H1"),
            .ended(handoff: "H1"), .notAssignee(handoff: "H1", assignee: nil),
            .notOpen(handoff: "H1", status: .question),
            .conversationTaken(applicant: "u", handoff: nil, assignee: nil),
        ]
        #expect(
            errors.map(\.code) == [
                "already_claimed", "not_waiting", "not_claimed", "ended", "not_assignee", "not_open", "already_claimed",
            ])
        #expect(errors.allSatisfy { !$0.message.isEmpty && $0.description.hasPrefix($0.code + ": ") })
    }
}
