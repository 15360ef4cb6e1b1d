import Foundation

extension CaseRecord {
    /// Whether the case's personal data was removed.
    public var isAnonymised: Bool { self.anonymised != nil }

    /// Removes the case's personal data, keeping what the reports count (PIPL Art 47; ip-domain.md §6.1).
    ///
    /// - The applicant's OpenID becomes `pseudonym`; of the answers only those in `kept` stay (the applicant's type,
    ///   the region, the IP type, the services asked for: never a name, a phone number, a right number or the facts).
    /// - The evidence goes (its bytes are deleted by the caller); the rating keeps its score, not its comment; the
    ///   timeline keeps who did what when, not the text (notes and reasons given in words); the decisions (reason,
    ///   outcome, transfer, unit), the legal deadline and the dates stay.
    /// - Parameters:
    ///   - kept: The field ids that stay (`conversation.anonymised_fields_kept`).
    public mutating func anonymise(
        as pseudonym: ApplicantID, keeping kept: Set<String>, reason: CaseAnonymisation.Reason, at now: Date
    ) {
        self.applicant = pseudonym
        self.fields = self.fields.filter { kept.contains($0.key) }
        self.attachments = []
        self.evidence = []
        self.rating?.comment = nil
        // Details mix the decision with staff's free text (``CaseRecord/apply(_:by:at:note:policy:)`` joins them); the
        // decisions themselves stay on the record (reason, outcome, transfer, unit).
        self.timeline = self.timeline.map { event in
            var event = event
            if event.action != .assigned { event.detail = nil }
            return event
        }
        self.anonymised = CaseAnonymisation(at: now, reason: reason)
    }

    /// When the case reached an end (concluded, closed, not accepted, withdrawn, archived), if it has: the start of
    /// its retention period.
    public var endedAt: Date? {
        guard self.status.isFinished else { return nil }
        let ends: Set<CaseEvent.Action> = [.concluded, .closed, .notAccepted, .withdrawn, .archived]
        return self.timeline.first { ends.contains($0.action) }?.at ?? self.timeline.last?.at ?? self.createdAt
    }

    /// Whether the case ended more than `years` before `now` and still holds personal data.
    public func isPastRetention(years: Int, at now: Date, calendar: Calendar) -> Bool {
        guard !self.isAnonymised, let ended = self.endedAt,
            let expiry = calendar.date(byAdding: .year, value: years, to: ended)
        else { return false }
        return expiry <= now
    }
}

extension HandoffRecord {
    /// Removes what the handoff holds of the applicant — the transcript, the form, the question, the call-back
    /// number — keeping its times, unit, reason and outcome for the reports.
    public mutating func anonymise(as pseudonym: ApplicantID) {
        self.applicant = pseudonym
        self.messages = []
        self.form = nil
        self.question = nil
        self.callbackPhone = nil
    }
}
