import Foundation
import Logging
import WeiquanCore
import WeiquanStore

/// Reminders the applicant asked for (issue 14): stored with the message that set them, sent on their day through
/// the outbox while WeChat's 48-hour window is open, held otherwise and given with the reply to the next message.
extension ConversationService {
    /// How long after the applicant's last message the account may still write to them (WeChat allows 48 hours); an
    /// hour is kept back so that a reminder handed to the outbox at the end of the window still gets through.
    static let reminderWindow: TimeInterval = 47 * 3600

    /// What was sent and held by one sweep.
    public struct ReminderSweep: Sendable, Equatable {
        /// Reminders handed to the outbox.
        public var sent = 0
        /// Reminders held for the applicant's next message.
        public var held = 0

        public init(sent: Int = 0, held: Int = 0) {
            self.sent = sent
            self.held = held
        }
    }

    /// The changes a message's step makes to the applicant's reminders: those set and cancelled, and the held ones
    /// put in front of `reply` (removed from the book in the same write). Called in the applicant's lane and lock.
    /// When the step cancelled reminders but none were set, the reply says so instead. `read` is the book as read
    /// with the conversation (several instances: one read for both); nil reads it here.
    func reminderChanges(
        _ effects: [ConversationEffect], applicant: ApplicantID, stored read: ReminderBook??, reply: inout String?,
        now: Date
    ) async throws -> [DocumentChange] {
        let stored: ReminderBook? =
            if let read { read } else { try await self.store.get(ReminderBook.self, id: applicant.rawValue) }
        var book = stored ?? ReminderBook(applicant: applicant)
        for effect in effects {
            switch effect {
            case .scheduleReminder(let reminder):
                book.set(reminder, at: now)
            case .cancelReminders(let number):
                if book.cancel(number: number) == 0, let text = reply {
                    let replies = self.machine.replies
                    reply = text.replacingOccurrences(
                        of: replies.render("reminder.cancelled"), with: replies.render("reminder.none"))
                }
            default:
                break
            }
        }
        // A reminder held so long that its deadline and the six months' grace after it have passed would only
        // mislead: it is dropped unsaid.
        let today = self.machine.day(of: now)
        let (held, expired) = book.held.reduce(into: ([ReminderBook.Entry](), [ReminderBook.Entry]())) { split, entry in
            if entry.reminder.deadline.adding(months: Self.heldReminderGraceMonths) < today {
                split.1.append(entry)
            } else {
                split.0.append(entry)
            }
        }
        book.remove(expired)
        if !held.isEmpty, let text = reply {
            reply = self.heldRemindersText(held) + "\n\n" + text
            book.remove(held)
        }
        guard book != stored, stored != nil || !book.entries.isEmpty else { return [] }
        return [try book.change()]
    }

    /// How long after its deadline a held reminder is still worth giving: the grace of an annual fee or a renewal.
    static let heldReminderGraceMonths = 6

    /// The held reminders as one paragraph of the reply.
    func heldRemindersText(_ held: [ReminderBook.Entry]) -> String {
        let texts = held.map { self.machine.replies.render($0.reminder.textKey, $0.reminder.values) }
        return self.machine.replies.render("reminder.held", ["messages": texts.joined(separator: "\n\n")])
    }

    /// The applicant wrote but got no reply to carry their held reminders (staff own the conversation, say): the
    /// window is open, so they go through the outbox now. Called in the applicant's lane and lock, after the message
    /// was stored; a failure leaves them held for the next message.
    func sendHeldReminders(of applicant: ApplicantID) async {
        do {
            let now = self.clock()
            guard let book = try await self.store.get(ReminderBook.self, id: applicant.rawValue), !book.held.isEmpty
            else { return }
            try await self.handOn(book.held, in: book, now: now)
        } catch {
            self.logger.warning("held reminders not sent", metadata: ["error": "\(error)"])
        }
    }

    /// Sends every reminder whose day has come (Asia/Shanghai, on the injected clock): through the outbox when the
    /// applicant wrote within the window, else held for their next message. Each applicant's reminders are handled
    /// in their lane and under their lock and read fresh there, so a reminder handed on by another sweep or a
    /// message in the meantime is not sent again. One applicant's failure is logged and the sweep goes on.
    @discardableResult
    public func sendDueReminders() async throws -> ReminderSweep {
        let today = self.machine.day(of: self.clock())
        var sweep = ReminderSweep()
        for book in try await self.store.all(ReminderBook.self) where !book.due(on: today).isEmpty {
            do {
                let done = try await self.lanes.run(book.applicant) {
                    try await self.exclusively(book.applicant) {
                        try await self.retryingConflicts { try await self.sendDueReminders(of: book.applicant) }
                    }
                }
                sweep.sent += done.sent
                sweep.held += done.held
            } catch {
                self.logger.warning("reminders not sent", metadata: ["error": "\(error)"])
            }
        }
        return sweep
    }

    /// One applicant's due reminders, read fresh (the caller holds their lane and lock).
    private func sendDueReminders(of applicant: ApplicantID) async throws -> ReminderSweep {
        let now = self.clock()
        guard var book = try await self.store.get(ReminderBook.self, id: applicant.rawValue) else {
            return ReminderSweep()
        }
        let due = book.due(on: self.machine.day(of: now))
        guard !due.isEmpty else { return ReminderSweep() }
        let conversation = try await self.conversation(applicant, now: now)
        if self.outbound != nil, !conversation.closed, Self.windowIsOpen(for: conversation, at: now) {
            try await self.handOn(due, in: book, now: now)
            return ReminderSweep(sent: due.count)
        }
        book.hold(due, at: now)
        try await self.store.write([try book.change()])
        return ReminderSweep(held: due.count)
    }

    /// Writes `entries` as outbox messages and takes them out of `book`, in one write.
    private func handOn(_ entries: [ReminderBook.Entry], in book: ReminderBook, now: Date) async throws {
        guard let outbound = self.outbound else { return }
        var book = book
        var prepared: [PreparedOutbound] = []
        var changes: [DocumentChange] = []
        for entry in entries {
            let text = self.machine.replies.render(entry.reminder.textKey, entry.reminder.values)
            // The desk's voice: the applicant asked for it, so it goes out whoever owns the conversation then.
            let outgoing = try await outbound.prepare(text, to: book.applicant, author: .desk)
            prepared.append(outgoing)
            changes += outgoing.changes
        }
        book.remove(entries)
        changes.append(try book.change())
        do {
            try await self.store.write(changes)
        } catch {
            for outgoing in prepared { outgoing.rollback() }
            throw error
        }
        for outgoing in prepared { outgoing.commit() }
    }

    /// Whether WeChat still lets the account write to the applicant of `conversation` at `now`: they wrote within
    /// ``reminderWindow``.
    static func windowIsOpen(for conversation: Conversation, at now: Date) -> Bool {
        let heard = [conversation.recent.last?.at, conversation.state.lastActivity].compactMap { $0 }.max()
        guard let heard else { return false }
        return now.timeIntervalSince(heard) < Self.reminderWindow
    }
}
