import Foundation
import WeiquanCore
import WeiquanStore

/// A message's work up to its durable write (``ConversationService``): what to write, and what the rest of the work
/// needs once the write is done — in the task that waits for the answer, or in the background when that task
/// stopped waiting.
struct PreparedMessage: Sendable {
    let applicant: ApplicantID
    /// The message's retry key.
    let key: String
    /// When the message was handled (its answer's time).
    let now: Date
    /// The conversation as it is written.
    let conversation: Conversation
    /// Everything written in the one durable write: the conversation and the retry record among them.
    let changes: [DocumentChange]
    /// The passive reply, answers held for the applicant's window included (nil: `success`).
    let reply: String?
    let step: ConversationStep
    /// The applicant's cases withdrawn or rated in this message, as written.
    let changedCases: [CaseRecord]
    /// The answers held for the applicant's window that ride along with the reply.
    let held: HeldHandover
}

/// What preparing a message came to.
enum Preparation: Sendable {
    /// Nothing to write: the message was answered already (a retry, by another instance).
    case answered(ConversationService.Outcome)
    /// The changes to write, and the rest of the work once they are durable.
    case write(PreparedMessage)
}
