import Foundation
import Testing
import WeiquanCore
import WeiquanServer

/// The outbox's queueing rules, without a server, a store or a clock: events in, actions out.
@Suite struct OutboxStateMachineTests {
    typealias Machine = OutboxStateMachine
    let start = Date(timeIntervalSince1970: 1_795_222_800)

    /// A running machine with the given texts queued (stored and queued, in order), and their messages.
    func machine(
        _ texts: [(ApplicantID, String)], author: OutboxAuthor = .bot, policy: OutboxRetryPolicy = OutboxRetryPolicy()
    ) -> (Machine, [OutboxMessage]) {
        var machine = Machine(stored: [], policy: policy)
        #expect(machine.start().isEmpty)
        var messages: [OutboxMessage] = []
        for (applicant, text) in texts {
            let message = machine.newMessage(text, to: applicant, author: author, at: self.start)
            _ = machine.queued(message)
            messages.append(message)
        }
        return (machine, messages)
    }

    /// Runs one attempt through to the call, as the outbox does: token, `sending` written, call.
    func attemptUpToTheCall(_ machine: inout Machine, _ message: OutboxMessage) -> OutboxMessage {
        #expect(machine.attemptStarted(message, checksOwnership: false) == .fetchToken(message))
        guard case .recordSending(let sending) = machine.tokenFetched(message) else {
            Issue.record("expected to record sending")
            return message
        }
        #expect(sending.state == .sending && sending.attempts == message.attempts + 1 && sending.nextAttemptAt == nil)
        #expect(machine.sendingRecorded(sending) == .call(sending))
        return sending
    }

    /// Ends an attempt with `outcome` at `now` and records its result; returns the message as recorded.
    @discardableResult
    func finish(
        _ machine: inout Machine, _ sending: OutboxMessage, _ outcome: OutboxCallOutcome, at now: Date,
        expecting report: Machine.Report
    ) -> OutboxMessage {
        guard case .recordResult(let recorded, let actual) = machine.callEnded(sending, with: outcome, at: now) else {
            Issue.record("expected a result to record")
            return sending
        }
        #expect(actual == report)
        machine.resultRecorded(recorded)
        return recorded
    }

    @Test func eachApplicantIsServedInOrderByOneWorker() {
        var machine = Machine(stored: [], policy: OutboxRetryPolicy())
        // One worker per applicant: the first message of an applicant needs one, the others join its queue.
        var actions: [Machine.QueueAction] = []
        var messages: [OutboxMessage] = []
        for (applicant, text): (ApplicantID, String) in [("a", "a1"), ("b", "b1"), ("a", "a2"), ("a", "a3")] {
            let message = machine.newMessage(text, to: applicant, author: .bot, at: self.start)
            actions.append(machine.queued(message))
            messages.append(message)
        }
        // Not delivering yet: no worker starts.
        #expect(actions == [.none, .none, .none, .none])
        #expect(messages.map(\.id) == (1...4).map { Outbox.id($0) })
        #expect(machine.nextSequence == 5)
        #expect(machine.queuedCount == 4)
        // Delivery starts: one worker per applicant.
        #expect(machine.start() == ["a", "b"])
        let late = machine.newMessage("b2", to: "b", author: .bot, at: self.start)
        #expect(machine.queued(late) == .none)
        let fresh = machine.newMessage("c1", to: "c", author: .bot, at: self.start)
        #expect(machine.queued(fresh) == .startWorker("c"))

        var sent: [String] = []
        while case .send(let head) = machine.nextStep(for: "a", at: self.start, cancelled: false) {
            // Only the head is ever handed out.
            #expect(head.id == machine.queues["a"]?.messages.first?.id)
            let sending = self.attemptUpToTheCall(&machine, head)
            self.finish(&machine, sending, .delivered, at: self.start, expecting: .delivered)
            sent.append(head.content)
        }
        #expect(sent == ["a1", "a2", "a3"])
        // An emptied queue is gone, and the worker stops.
        #expect(machine.queues["a"] == nil)
        #expect(machine.nextStep(for: "a", at: self.start, cancelled: false) == .stop)
        #expect(machine.queuedCount == 3)
    }

    @Test func transientErrorsBackOffDoublingUntilTheLastAttempt() {
        let policy = OutboxRetryPolicy(maxAttempts: 4)
        var (machine, messages) = self.machine([("a", "x"), ("a", "y")], policy: policy)
        var now = self.start
        var pauses: [Duration] = []
        for attempt in 1...4 {
            guard case .send(let head) = machine.nextStep(for: "a", at: now, cancelled: false) else {
                Issue.record("expected attempt \(attempt)")
                return
            }
            #expect(head.id == messages[0].id)
            let sending = self.attemptUpToTheCall(&machine, head)
            #expect(sending.attempts == attempt)
            if attempt < 4 {
                let recorded = self.finish(
                    &machine, sending, .retry(code: -1), at: now, expecting: .willRetry(code: -1, attempts: attempt))
                #expect(recorded.state == .pending && recorded.lastErrorCode == -1)
                // The head waits out its back-off, and a step a moment too early still waits.
                guard case .wait(let pause) = machine.nextStep(for: "a", at: now, cancelled: false) else {
                    Issue.record("expected a back-off")
                    return
                }
                pauses.append(pause)
                #expect(
                    machine.nextStep(for: "a", at: now.addingTimeInterval(pause.inSeconds - 0.5), cancelled: false)
                        == .wait(.milliseconds(500)))
                now = now.addingTimeInterval(pause.inSeconds)
            } else {
                let recorded = self.finish(
                    &machine, sending, .retry(code: -1), at: now, expecting: .gaveUp(code: -1, attempts: 4))
                #expect(recorded.state == .failed(code: -1))
            }
        }
        #expect(pauses == [1, 2, 4].map { Duration.seconds($0) })
        // The failed message left the queue; the next one goes out at once.
        guard case .send(let next) = machine.nextStep(for: "a", at: now, cancelled: false) else {
            Issue.record("expected the next message")
            return
        }
        #expect(next.id == messages[1].id && next.attempts == 0)
    }

    @Test func aHeldHeadStopsItsQueueUntilReleasedOrTakenIntoAReply() {
        var (machine, messages) = self.machine([("a", "held"), ("b", "other")])
        guard case .send(let head) = machine.nextStep(for: "a", at: self.start, cancelled: false) else {
            Issue.record("expected a send")
            return
        }
        let sending = self.attemptUpToTheCall(&machine, head)
        let held = self.finish(&machine, sending, .hold(code: 45015), at: self.start, expecting: .held(code: 45015))
        #expect(held.state == .held(code: 45015))
        #expect(machine.nextStep(for: "a", at: self.start, cancelled: false) == .stop)
        #expect(machine.queues["a"]?.working == false)
        // A later message waits behind the held one: no worker starts for it.
        let behind = machine.newMessage("behind", to: "a", author: .staff("desk-1"), at: self.start)
        #expect(machine.queued(behind) == .none)
        // Another applicant's queue is not held up.
        #expect(machine.nextStep(for: "b", at: self.start, cancelled: false) == .send(messages[1]))

        // Released: exactly the held message goes back, pending, and the worker starts again.
        let released = machine.releasing(heldFor: "a")
        #expect(released.map(\.id) == [messages[0].id])
        #expect(released.allSatisfy { $0.state == .pending && $0.nextAttemptAt == nil })
        #expect(machine.releasing(heldFor: "b").isEmpty)
        #expect(machine.released(released) == .startWorker("a"))
        #expect(machine.released([]) == .none)
    }

    @Test func heldMessagesAreSetAsideForAPassiveReplyOrPutBack() {
        var (machine, messages) = self.machine([("a", "held")], author: .bot)
        guard case .send(let head) = machine.nextStep(for: "a", at: self.start, cancelled: false) else {
            Issue.record("expected a send")
            return
        }
        let sending = self.attemptUpToTheCall(&machine, head)
        self.finish(&machine, sending, .hold(code: 45015), at: self.start, expecting: .held(code: 45015))
        #expect(machine.nextStep(for: "a", at: self.start, cancelled: false) == .stop)
        let notice = machine.newMessage("notice", to: "a", author: .queue, at: self.start)
        _ = machine.queued(notice)
        let staff = machine.newMessage("staff", to: "a", author: .staff("desk-1"), at: self.start)
        _ = machine.queued(staff)
        #expect(machine.setAsideHeld(for: "b", owner: .bot, at: self.start).taken.isEmpty)

        // The bot owns the conversation again: the bot's and staff's texts go into the reply, the queue's notice
        // is withheld.
        let later = self.start.addingTimeInterval(3600)
        let aside = machine.setAsideHeld(for: "a", owner: .bot, at: later)
        #expect(aside.taken.map(\.id) == [messages[0].id, notice.id, staff.id])
        #expect(aside.handed.map(\.state) == [.deliveredInReply, .withheld, .deliveredInReply])
        #expect(aside.handed.filter { $0.state == .deliveredInReply }.allSatisfy { $0.deliveredAt == later })
        #expect(machine.queuedCount == 0)

        // The caller's write failed: they are queued again, held as before.
        machine.handOverRolledBack(aside.taken)
        #expect(machine.queues["a"]?.messages == aside.taken)
        // Set aside again and committed: the emptied queue goes.
        _ = machine.setAsideHeld(for: "a", owner: .bot, at: later)
        machine.handOverCommitted(for: "a")
        #expect(machine.queues["a"] == nil)
    }

    @Test func theBotAndTheQueueAreWithheldWhenTheyNoLongerOwnTheConversation() {
        let (machine, _) = self.machine([])
        let bot = OutboxMessage(id: Outbox.id(1), applicant: "a", content: "bot", createdAt: self.start, author: .bot)
        let queue = OutboxMessage(
            id: Outbox.id(2), applicant: "a", content: "queue", createdAt: self.start, author: .queue)
        let staff = OutboxMessage(
            id: Outbox.id(3), applicant: "a", content: "staff", createdAt: self.start, author: .staff("d"))
        let desk = OutboxMessage(
            id: Outbox.id(4), applicant: "a", content: "desk", createdAt: self.start, author: .desk)
        #expect(machine.attemptStarted(bot, checksOwnership: true) == .checkOwner(bot))
        #expect(machine.attemptStarted(queue, checksOwnership: true) == .checkOwner(queue))
        #expect(machine.attemptStarted(bot, checksOwnership: false) == .fetchToken(bot))
        // Staff's and the desk's messages were checked when they were written.
        #expect(machine.attemptStarted(staff, checksOwnership: true) == .fetchToken(staff))
        #expect(machine.attemptStarted(desk, checksOwnership: true) == .fetchToken(desk))

        var withheld = bot
        withheld.state = .withheld
        withheld.revision = 1
        #expect(machine.ownerChecked(bot, owner: .staff("d")) == .recordResult(withheld, .withheld))
        #expect(machine.ownerChecked(bot, owner: .bot) == .fetchToken(bot))
        var withheldNotice = queue
        withheldNotice.state = .withheld
        withheldNotice.revision = 1
        #expect(machine.ownerChecked(queue, owner: .bot) == .recordResult(withheldNotice, .withheld))
        #expect(machine.ownerChecked(queue, owner: .queue) == .fetchToken(queue))
    }

    @Test func aFailingTokenEndpointDelaysEveryQueueWithoutSpendingAttempts() {
        var (machine, messages) = self.machine([("a", "x"), ("b", "y")])
        var now = self.start
        for expected in [1, 2, 4] {
            guard case .send(let head) = machine.nextStep(for: "a", at: now, cancelled: false) else {
                Issue.record("expected an attempt")
                return
            }
            #expect(machine.tokenFailed(head, at: now) == .done)
            #expect(machine.nextStep(for: "a", at: now, cancelled: false) == .wait(.seconds(expected)))
            now = now.addingTimeInterval(TimeInterval(expected))
        }
        #expect(machine.tokenFailures == 3)
        // The failures count across queues: the next applicant's wait is longer still.
        #expect(machine.tokenFailed(messages[1], at: now) == .done)
        #expect(machine.nextStep(for: "b", at: now, cancelled: false) == .wait(.seconds(8)))
        guard case .send(let head) = machine.nextStep(for: "a", at: now, cancelled: false) else {
            Issue.record("expected an attempt")
            return
        }
        #expect(head.attempts == 0)
        // A token at last: the count starts again and the attempt goes on.
        let sending = self.attemptUpToTheCall(&machine, head)
        #expect(machine.tokenFailures == 0)
        #expect(sending.attempts == 1)
    }

    @Test func aSendThatCouldNotBeRecordedWaitsWithoutACall() {
        var (machine, messages) = self.machine([("a", "x")])
        #expect(machine.nextStep(for: "a", at: self.start, cancelled: false) == .send(messages[0]))
        guard case .recordSending(let sending) = machine.tokenFetched(messages[0]) else {
            Issue.record("expected to record sending")
            return
        }
        #expect(machine.sendingNotRecorded(sending, at: self.start) == .done)
        // The head is unchanged but for its due time: no attempt was counted.
        #expect(machine.nextStep(for: "a", at: self.start, cancelled: false) == .wait(.seconds(1)))
        #expect(machine.queues["a"]?.messages.first?.attempts == 0)
    }

    @Test func terminalErrorsFailAtOnceAndOtherErrorsAreSorted() {
        var (machine, _) = self.machine([("a", "x")])
        guard case .send(let head) = machine.nextStep(for: "a", at: self.start, cancelled: false) else {
            Issue.record("expected a send")
            return
        }
        let sending = self.attemptUpToTheCall(&machine, head)
        let failed = self.finish(
            &machine, sending, .fail(code: 43004), at: self.start, expecting: .refused(code: 43004))
        #expect(failed.state == .failed(code: 43004) && failed.attempts == 1)
        #expect(machine.queuedCount == 0)

        #expect(OutboxCallOutcome(classifying: WeChatAPIError(code: 45047, message: "")) == .hold(code: 45047))
        #expect(OutboxCallOutcome(classifying: WeChatAPIError(code: -502, message: "")) == .retry(code: -502))
        #expect(OutboxCallOutcome(classifying: WeChatAPIError(code: 40003, message: "")) == .fail(code: 40003))
        #expect(OutboxCallOutcome(classifying: CancellationError()) == .retry(code: WeChatAPIError.transport))
    }

    @Test func cancelledWorkersStopAndStartAgainLater() {
        var (machine, messages) = self.machine([("a", "x")])
        #expect(machine.nextStep(for: "a", at: self.start, cancelled: true) == .stop)
        #expect(machine.queues["a"]?.working == false)
        #expect(machine.queues["a"]?.messages == messages)
        let next = machine.newMessage("y", to: "a", author: .bot, at: self.start)
        #expect(machine.queued(next) == .startWorker("a"))
    }

    @Test func storedMessagesAreQueuedAgainAtStart() {
        var held = OutboxMessage(id: Outbox.id(3), applicant: "c", content: "held", createdAt: self.start)
        held.state = .held(code: 45015)
        var sending = OutboxMessage(id: Outbox.id(2), applicant: "a", content: "sending", createdAt: self.start)
        sending.state = .sending
        var delivered = OutboxMessage(id: Outbox.id(7), applicant: "a", content: "done", createdAt: self.start)
        delivered.state = .delivered
        let pending = OutboxMessage(id: Outbox.id(4), applicant: "b", content: "pending", createdAt: self.start)
        var machine = Machine(stored: [held, sending, delivered, pending], policy: OutboxRetryPolicy())
        #expect(machine.queuedCount == 3)
        #expect(machine.nextSequence == 8)
        // A held queue needs no worker until the applicant writes.
        #expect(machine.start() == ["a", "b"])
        #expect(machine.nextStep(for: "a", at: self.start, cancelled: false) == .send(sending))
    }
}
