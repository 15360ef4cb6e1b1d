extension Conversation {
    /// What staff moving one of the applicant's cases means for the conversation: once the case ends with a
    /// result (an aid request concluded, a complaint closed) the bot waits for the applicant's rating of it, which
    /// the notice asks for. Nothing changes when the status did not, or for any other status.
    ///
    /// - Parameters:
    ///   - record: The case as it is now.
    ///   - previous: Its status before the change.
    /// - Returns: Whether the bot now waits for a rating of `record`.
    @discardableResult
    public mutating func caseMoved(_ record: CaseRecord, from previous: CaseStatus) -> Bool {
        guard record.status != previous, Self.statusesRated.contains(record.status) else { return false }
        self.awaitingRating = AwaitedRating(caseID: record.id)
        return true
    }

    /// The statuses whose notice asks the applicant for a rating.
    public static let statusesRated: Set<CaseStatus> = [.concluded, .closed]
}
