import Foundation

/// What the bot waits for from the applicant about one of their questions to the volunteers (stored on the
/// ``Conversation`` as `question_wait`).
///
/// The desk's question service sets it, in the same write as the message that asks: `.reply(until:)` with a
/// volunteer's follow-up, `.rating` with the delivered answer. The bot reads it when the applicant's next message
/// comes, applies ``QuestionRecord/recordReply(text:at:)`` or ``QuestionRecord/rate(helpful:comment:at:)`` to the
/// question in that message's write, and clears it. A wait the desk ends (the follow-up's time ran out, the
/// question was put back) is cleared by the desk.
public struct QuestionWait: Codable, Sendable, Equatable {
    /// What is awaited.
    public enum Kind: Sendable, Equatable {
        /// The applicant's answer to a volunteer's follow-up question, until this time.
        case reply(until: Date)
        /// 有帮助 / 没帮助 after an answer was delivered.
        case rating
    }

    /// The question it is about.
    public var question: QuestionID
    public var kind: Kind

    public init(question: QuestionID, kind: Kind) {
        self.question = question
        self.kind = kind
    }

    /// Whether it still waits at `now` (a reply's time may run out; a rating waits until answered or replaced).
    public func isAwaited(at now: Date) -> Bool {
        switch self.kind {
        case .reply(let until): now < until
        case .rating: true
        }
    }

    enum CodingKeys: String, CodingKey {
        case question = "question_id"
        case kind, until
    }

    /// `{"question_id": "Q000001", "kind": "reply", "until": "…"}` or `{"question_id": "Q000001", "kind": "rating"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.question = try container.decode(QuestionID.self, forKey: .question)
        switch try container.decode(String.self, forKey: .kind) {
        case "reply": self.kind = .reply(until: try container.decode(Date.self, forKey: .until))
        case "rating": self.kind = .rating
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown question wait '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.question, forKey: .question)
        switch self.kind {
        case .reply(let until):
            try container.encode("reply", forKey: .kind)
            try container.encode(until, forKey: .until)
        case .rating:
            try container.encode("rating", forKey: .kind)
        }
    }
}
