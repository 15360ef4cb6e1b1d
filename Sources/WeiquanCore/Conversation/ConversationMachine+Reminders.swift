import Foundation

/// Reminders before an annual fee falls due or a trademark's renewal window opens (issue 14): offered as a
/// numbered choice after a legal-status answer, set when taken (``ConversationEffect/scheduleReminder(_:)``),
/// cancelled with 取消提醒 or the choice offered when one is set (``ConversationEffect/cancelReminders(number:)``).
extension ConversationMachine {
    /// The reminder to offer after an answer about `record`, or nil when there is nothing ahead to remind of.
    ///
    /// - A patent in force with a next annual fee: ``ConversationPolicy/reminderDaysBeforeDue`` days before the
    ///   fee's due date.
    /// - A registered trademark whose renewal window is still ahead: ``ConversationPolicy/reminderDaysBeforeRenewal``
    ///   days before the window opens (0: the day it opens); once the window is open, the days before the due
    ///   date before the expiry.
    ///
    /// A reminder's day is never today or earlier (at the soonest tomorrow); none is offered when that day would not
    /// come before the date it is about. Fees in their grace period, lapsed rights and marks in their grace get a
    /// person instead: time matters more than a reminder.
    func reminder(for number: RightNumber, record: LegalStatusRecord, today: CalendarDay) -> Reminder? {
        guard let date = record.date.flatMap(CalendarDay.init) else { return nil }
        let tomorrow = today.adding(days: 1)
        var values = ["number": record.number, "data_date": record.dataDate]
        switch number {
        case .patent(let patent):
            guard record.bucket == .inForce,
                let fee = AnnualFeeSchedule(term: PatentTerm(kind: patent.kind, filingDate: date)).nextFee(on: today)
            else { return nil }
            let remindOn = max(fee.dueDate.adding(days: -self.policy.reminderDaysBeforeDue), tomorrow)
            guard remindOn < fee.dueDate else { return nil }
            values.merge(self.values(of: fee)) { first, _ in first }
            return Reminder(
                number: patent.canonical, kind: .patent, subject: .annualFee, remindOn: remindOn,
                deadline: fee.dueDate, values: values)
        case .trademark(let canonical):
            guard let term = Self.trademarkTerm(record, today: today) else { return nil }
            values.merge(self.values(of: term)) { first, _ in first }
            let deadline: CalendarDay
            let remindOn: CalendarDay
            switch term.phase(on: today) {
            case .inForce:
                deadline = term.renewalWindowOpens
                remindOn = max(deadline.adding(days: -self.policy.reminderDaysBeforeRenewal), tomorrow)
                guard remindOn <= deadline else { return nil }
            case .renewalWindowOpen:
                deadline = term.expiry
                remindOn = max(deadline.adding(days: -self.policy.reminderDaysBeforeDue), tomorrow)
                guard remindOn < deadline else { return nil }
            case .inGrace, .expired:
                return nil
            }
            return Reminder(
                number: canonical, kind: .trademark, subject: .renewal, remindOn: remindOn, deadline: deadline,
                values: values)
        }
    }

    /// The offer of `reminder`, honest about WeChat's 48-hour window, with `choices` numbered.
    func reminderOffer(_ reminder: Reminder, choices: [Choice]) -> String {
        let lines = choices.enumerated().map { index, choice in
            "\(index + 1). " + self.replies.render("reminder.option.\(Self.reminderOptionKey(choice))")
        }
        return self.replies.render(
            "reminder.offer",
            self.reminderValues(reminder).merging(["options": lines.joined(separator: "\n")]) { a, _ in a })
    }

    static func reminderOptionKey(_ choice: Choice) -> String {
        switch choice {
        case .talkToHuman: "human"
        case .remindMe: "remind"
        case .cancelReminder: "cancel"
        default: "menu"
        }
    }

    /// What the offer and the confirmation say of a reminder: its day and what it is about.
    func reminderValues(_ reminder: Reminder) -> [String: String] {
        [
            "remind_on": Self.written(reminder.remindOn),
            "about": self.replies.render("reminder.about.\(reminder.subject.rawValue)", reminder.values),
        ]
    }

    /// The applicant took the offered reminder: it is set for them, and they are told when it comes and how to
    /// cancel it.
    func acceptReminder(
        _ offered: Reminder, state: inout ConversationState, context: ConversationContext, turn: inout Turn
    ) {
        var reminder = offered
        reminder.applicant = context.applicant
        turn.perform(.scheduleReminder(reminder))
        let choices: [Choice] = [.cancelReminder(reminder.number), .mainMenu]
        let lines = choices.enumerated().map { index, choice in
            "\(index + 1). " + self.replies.render("reminder.option.\(Self.reminderOptionKey(choice))")
        }
        turn.say(
            self.replies.render(
                "reminder.set",
                self.reminderValues(reminder).merging(["options": lines.joined(separator: "\n")]) { first, _ in first })
        )
        state.choices = choices
    }

    /// The applicant cancelled reminders: those about `number`, or all of theirs. The service says so otherwise
    /// when it finds none set.
    func cancelReminders(number: String?, turn: inout Turn) {
        turn.perform(.cancelReminders(number: number))
        turn.say(self.replies.render("reminder.cancelled"))
    }

    /// What a cancel request may be wrapped in. Made once: a character set's union is built anew on every call
    /// otherwise (once a message).
    private static let punctuationAndSpaces = CharacterSet.punctuationCharacters.union(.whitespaces)

    /// A message that is nothing but a request to cancel reminders (取消提醒, in the `words.cancel_reminder` list).
    /// Trims by scalar, as `trimmingCharacters(in:)` does, without its bridged string (1 % of a message's time).
    func asksToCancelReminders(_ understanding: Understanding) -> Bool {
        // The trimmed text can only be one of the words if the text holds it: most messages are turned away by
        // a search of their bytes, before the per-scalar trim looks up punctuation (1 % of a message's time).
        let words = self.cancelReminderWords
        guard words.contains(where: { TextBytes.contains($0, in: understanding.normalized) }) else { return false }
        let scalars = understanding.normalized.unicodeScalars
        guard let first = scalars.firstIndex(where: { !Self.punctuationAndSpaces.contains($0) }),
            let last = scalars.lastIndex(where: { !Self.punctuationAndSpaces.contains($0) })
        else { return false }
        let text = String(scalars[first...last])
        return words.contains(text)
    }
}
