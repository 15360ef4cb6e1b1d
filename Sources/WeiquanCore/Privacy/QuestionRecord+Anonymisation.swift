import Foundation

extension QuestionRecord {
    /// Whether the question's personal data was removed (its applicant is a pseudonym).
    public var isAnonymised: Bool { self.applicant.isErased }

    /// Removes what the question holds of the applicant: the OpenID becomes `pseudonym`, the words as written give
    /// way to the redacted text volunteers saw, the replies to follow-ups are redacted with `redact`, and the
    /// rating keeps whether it helped, not the comment. Times, the answer and the review stay for the figures.
    public mutating func anonymise(as pseudonym: ApplicantID, redact: (String) -> String) {
        self.applicant = pseudonym
        self.text = self.redacted
        self.followUps = self.followUps.map { followUp in
            var followUp = followUp
            followUp.reply = followUp.reply.map(redact)
            return followUp
        }
        self.rating?.comment = nil
    }

    /// Whether the question is finished and was asked more than `years` before `now`, still holding personal data.
    public func isPastRetention(years: Int, at now: Date, calendar: Calendar) -> Bool {
        guard !self.isAnonymised, !self.status.isOpen,
            let expiry = calendar.date(byAdding: .year, value: years, to: self.askedAt)
        else { return false }
        return expiry <= now
    }
}
