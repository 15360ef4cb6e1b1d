/// What an audit event records. Stored by its raw value in the `audit` collection.
public enum AuditAction: String, Codable, Sendable, CaseIterable {
    /// The bot filed a case.
    case caseFiled = "case_filed"
    /// The applicant unfollowed the account.
    case conversationClosed = "conversation_closed"
    /// The conversation joined a unit's queue for a person.
    case handoffRequested = "handoff_requested"
    /// Outside office hours (or instead of waiting) the applicant left a question.
    case questionLeft = "question_left"
    /// Outside office hours (or instead of waiting) the applicant asked to be called back.
    case callbackRequested = "callback_requested"
    /// The applicant left the queue (取消, or a question or call-back instead).
    case queueLeft = "queue_left"
    /// A staff member claimed a waiting handoff.
    case handoffClaimed = "handoff_claimed"
    /// A staff member took over a conversation nobody had handed over.
    case handoffTakenOver = "handoff_taken_over"
    /// Staff wrote to the applicant.
    case messageSent = "message_sent"
    /// Staff added an internal note.
    case noteAdded = "note_added"
    /// The handoff went to another staff member or unit.
    case handoffTransferred = "handoff_transferred"
    /// The conversation went back to the bot (staff, or the applicant's 结束人工).
    case handoffReleased = "handoff_released"
    /// Staff closed the handoff.
    case handoffClosed = "handoff_closed"
    /// Nobody wrote for too long after the claim: back to the bot.
    case handoffIdleReleased = "handoff_idle_released"
    /// The applicant waited too long and was offered a question or a call-back instead.
    case waitOffer = "wait_offer"
    /// The desk paused (a break) while the applicant waited; they were told once.
    case queuePaused = "queue_paused"
    /// The desk closed for the day while the applicant waited.
    case queueClosed = "queue_closed"
    /// Staff read a case (every read of a case by staff is recorded).
    case caseViewed = "case_viewed"
    /// A case changed status; the detail names the change.
    case caseChanged = "case_changed"
    /// A case was assigned to a staff member and experts.
    case caseAssigned = "case_assigned"
    /// Staff added a note to a case.
    case caseNoted = "case_noted"
    /// The applicant asked the bot to delete their personal data (删除我的信息).
    case erasureRequested = "erasure_requested"
    /// Staff confirmed an erasure: the applicant's cases and handoffs anonymised, their conversation deleted.
    case erasureConfirmed = "erasure_confirmed"
    /// Staff declined an erasure (the detail says why).
    case erasureDeclined = "erasure_declined"
    /// The retention sweep anonymised a case that ended longer ago than `conversation.retention_years`.
    case caseAnonymised = "case_anonymised"
    /// Staff read a question to the volunteers as the applicant wrote it (the detail names the question).
    case questionViewed = "question_viewed"
    /// A volunteer claimed a queued question, declaring no conflict of interest.
    case questionClaimed = "question_claimed"
    /// A volunteer renewed the lease of their claim.
    case questionRenewed = "question_renewed"
    /// A question went back to the queue: given up by its volunteer or freed by staff (the detail says which).
    case questionPutBack = "question_put_back"
    /// A claim's lease ran out: back to the queue.
    case questionLeaseExpired = "question_lease_expired"
    /// A volunteer asked the applicant a follow-up question (sent through the outbox).
    case questionFollowUp = "question_follow_up"
    /// No reply to a follow-up came in time: the question is the volunteer's again.
    case questionFollowUpLapsed = "question_follow_up_lapsed"
    /// A volunteer answered (delivered at once when no review is required: the detail says so).
    case questionAnswered = "question_answered"
    /// Staff approved an answer, which went to the applicant in the same write.
    case questionApproved = "question_approved"
    /// Staff returned an answer to its volunteer for revision.
    case questionReturned = "question_returned"
    /// Staff added an entry to the knowledge base (the detail names it).
    case kbCreated = "kb_created"
    /// Staff changed an entry of the knowledge base (the detail names it and the fields changed).
    case kbUpdated = "kb_updated"
    /// Staff retired an entry: the bot no longer answers with it.
    case kbRetired = "kb_retired"
    /// Staff published a retired entry again.
    case kbPublished = "kb_published"
    /// An admin created a desk token (the detail names it and its role).
    case tokenCreated = "token_created"
    /// An admin revoked a desk token (the detail names it).
    case tokenRevoked = "token_revoked"
    /// An admin issued a one-time console sign-in link for a desk token (the detail names it).
    case tokenLinkIssued = "token_link_issued"
}
