import Foundation
import Testing
import WeiquanCore
import WeiquanServer

/// The rules for copies of messages written by other instances (``OutboxStateMachine/ingest(_:)``), and for
/// delivering only between `start()` and `stop()`.
@Suite struct OutboxStateMachineIngestTests {
    typealias Machine = OutboxStateMachine
    let start = Date(timeIntervalSince1970: 1_795_222_800)

    func message(_ sequence: Int, _ applicant: ApplicantID, _ text: String) -> OutboxMessage {
        OutboxMessage(id: Outbox.id(sequence), applicant: applicant, content: text, createdAt: self.start)
    }

    /// `message` as another instance wrote it next: one revision on, in `state`.
    func written(_ message: OutboxMessage, _ state: OutboxMessage.State) -> OutboxMessage {
        var copy = message
        copy.state = state
        copy.revision += 1
        return copy
    }

    @Test func aNewerCopyWinsAndAFinishedOneLeavesTheQueue() {
        var machine = Machine(stored: [], policy: OutboxRetryPolicy())
        let first = machine.newMessage("a1", to: "a", author: .bot, at: self.start)
        let second = machine.newMessage("a2", to: "a", author: .bot, at: self.start)
        _ = machine.queued(first)
        _ = machine.queued(second)
        // Held by the previous sender.
        let held = self.written(first, .held(code: 45015))
        #expect(machine.ingest(held) == .none)
        #expect(machine.messages(of: "a") == [held, second])
        // An older copy changes nothing.
        #expect(machine.ingest(first) == .none)
        #expect(machine.messages(of: "a") == [held, second])
        // Handed into another instance's passive reply: it leaves the queue; the next is head.
        #expect(machine.ingest(self.written(held, .deliveredInReply)) == .none)
        #expect(machine.messages(of: "a") == [second])
        #expect(machine.ingest(self.written(second, .delivered)) == .none)
        #expect(machine.queues["a"] == nil)
        #expect(machine.queuedCount == 0)
    }

    @Test func aMessageBeingSentIsNotDisturbedByAnOlderCopy() {
        var machine = Machine(stored: [], policy: OutboxRetryPolicy())
        #expect(machine.start().isEmpty)
        let message = machine.newMessage("a1", to: "a", author: .bot, at: self.start)
        #expect(machine.queued(message) == .startWorker("a"))
        #expect(machine.nextStep(for: "a", at: self.start, cancelled: false) == .send(message))
        guard case .recordSending(let sending) = machine.tokenFetched(message) else {
            Issue.record("expected to record sending")
            return
        }
        #expect(sending.revision == message.revision + 1)
        #expect(machine.sendingRecorded(sending) == .call(sending))
        // The pending copy read before `sending` was written, and the `sending` copy itself, change nothing.
        #expect(machine.ingest(message) == .none)
        #expect(machine.ingest(sending) == .none)
        #expect(machine.messages(of: "a") == [sending])
        // The result is recorded over the in-flight copy.
        guard
            case .recordResult(let delivered, .delivered) = machine.callEnded(sending, with: .delivered, at: self.start)
        else {
            Issue.record("expected delivered")
            return
        }
        machine.resultRecorded(delivered)
        #expect(machine.queuedCount == 0)
        // (A copy of a message this instance finished and dropped would be unknown and unfinished: the outbox reads
        // a copy again in the applicant's lane, where it records its results, before the machine takes it in.)
    }

    @Test func aMessageMadeAfterOneFromElsewhereIsSentOnlyAfterIt() {
        var machine = Machine(stored: [], policy: OutboxRetryPolicy())
        #expect(machine.start().isEmpty)
        // Made here right after message 5, which another instance made and this one has not heard of yet.
        let later = machine.newMessage("later", to: "a", author: .bot, at: self.start, after: Outbox.id(5))
        #expect(later.id == Outbox.id(6) && later.previousID == Outbox.id(5))
        #expect(machine.queued(later) == .startWorker("a"))
        #expect(machine.nextStep(for: "a", at: self.start, cancelled: false) == .checkPrevious(later))
        // It is read from the store: unfinished, it goes first; then `later` follows it without another look.
        let earlier = self.message(5, "a", "earlier")
        #expect(machine.ingest(earlier) == .none)
        machine.previousChecked(later)
        #expect(machine.nextStep(for: "a", at: self.start, cancelled: false) == .send(earlier))
        machine.resultRecorded(self.written(earlier, .delivered))
        #expect(machine.nextStep(for: "a", at: self.start, cancelled: false) == .send(later))

        // A previous message found finished (or swept) holds nothing up.
        let next = machine.newMessage("next", to: "b", author: .bot, at: self.start, after: Outbox.id(2))
        #expect(machine.queued(next) == .startWorker("b"))
        #expect(machine.nextStep(for: "b", at: self.start, cancelled: false) == .checkPrevious(next))
        #expect(machine.ingest(self.written(self.message(2, "b", "done"), .delivered)) == .none)
        machine.previousChecked(next)
        #expect(machine.nextStep(for: "b", at: self.start, cancelled: false) == .send(next))
    }

    @Test func idsKeepIncreasingPastIngestedOnes() {
        var machine = Machine(stored: [], policy: OutboxRetryPolicy())
        #expect(machine.ingest(self.written(self.message(41, "b", "elsewhere"), .delivered)) == .none)
        #expect(machine.nextSequence == 42)
        #expect(machine.newMessage("x", to: "a", author: .bot, at: self.start).id == Outbox.id(42))
        // A reload goes past every stored id, finished or not, and keeps only what changes something.
        let pending = self.message(60, "c", "pending")
        let news = machine.news(in: [self.written(self.message(70, "d", "done"), .delivered), pending])
        #expect(news == [pending])
        #expect(machine.nextSequence == 71)
        // Above the applicant's newest id, whatever the sequence says.
        #expect(
            machine.newMessage("y", to: "a", author: .bot, at: self.start, after: Outbox.id(99)).id == Outbox.id(100))
        machine.sequenceTaken(100)
        #expect(machine.nextSequence == 101)
        machine.sequenceTaken(7)
        #expect(machine.nextSequence == 101)
    }

    @Test func messagesFromElsewhereJoinInIdOrderAndStartWorkersOnlyWhileDelivering() {
        var machine = Machine(stored: [self.message(1, "a", "a1"), self.message(3, "a", "a3")], policy: .init())
        // Not delivering: a mirror only.
        #expect(machine.ingest(self.message(2, "a", "a2")) == .none)
        #expect(machine.ingest(self.message(4, "b", "b4")) == .none)
        #expect(machine.messages(of: "a").map(\.content) == ["a1", "a2", "a3"])
        #expect(machine.queues.values.allSatisfy { !$0.working })
        // An unknown finished message changes nothing.
        #expect(machine.ingest(self.written(self.message(5, "c", "c5"), .delivered)) == .none)
        #expect(machine.queues["c"] == nil)
        #expect(machine.start() == ["a", "b"])
        #expect(machine.ingest(self.message(6, "c", "c6")) == .startWorker("c"))
        // Released by another instance: the held head is pending again and needs a worker.
        let held = self.written(self.message(7, "d", "d7"), .held(code: 45015))
        #expect(machine.ingest(held) == .none)
        #expect(machine.ingest(self.written(held, .pending)) == .startWorker("d"))
    }

    @Test func stoppingLeavesAMirrorThatStartsAgain() {
        var machine = Machine(stored: [], policy: OutboxRetryPolicy())
        let message = machine.newMessage("a1", to: "a", author: .bot, at: self.start)
        // Queued before delivery starts: the worker is claimed when it starts.
        #expect(machine.queued(message) == .none)
        #expect(machine.start() == ["a"])
        #expect(machine.queues["a"]?.working == true)
        machine.stop()
        #expect(!machine.running)
        #expect(machine.queues["a"]?.working == false)
        let next = machine.newMessage("a2", to: "a", author: .bot, at: self.start)
        #expect(machine.queued(next) == .none)
        #expect(machine.start() == ["a"])
    }

    @Test func aRolledBackHandOverKeepsIdOrderWithMessagesThatCameMeanwhile() {
        var held = self.message(1, "a", "held")
        held.state = .held(code: 45015)
        var machine = Machine(stored: [held, self.message(2, "a", "behind")], policy: OutboxRetryPolicy())
        let aside = machine.setAsideHeld(for: "a", owner: .bot, at: self.start)
        #expect(aside.taken.map(\.content) == ["held", "behind"])
        #expect(aside.handed.allSatisfy { $0.state == .deliveredInReply && $0.revision == 1 })
        #expect(machine.ingest(self.message(3, "a", "new")) == .none)
        // The caller's write failed (a conflict, say): they are held again, before the new one.
        machine.handOverRolledBack(aside.taken)
        #expect(machine.messages(of: "a").map(\.content) == ["held", "behind", "new"])
        // The hand-over's messages are one revision on: a copy of them finishes them on another instance.
        var mirror = Machine(stored: aside.taken, policy: OutboxRetryPolicy())
        for message in aside.handed { _ = mirror.ingest(message) }
        #expect(mirror.queuedCount == 0)
    }
}
