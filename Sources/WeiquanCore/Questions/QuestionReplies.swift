/// The wording the desk's question service sends to applicants (`intents/replies.json`), and the placeholders it
/// fills; `weiquan check` reports the keys the file lacks.
public enum QuestionReplies {
    /// A volunteer's follow-up question: `{question_id}`, `{text}`, `{hours}` (how long the reply is awaited).
    public static let followUp = "question.follow_up"
    /// The answer delivered: `{question_id}`, `{text}`, `{team}` (the signature); it says it is for reference only,
    /// not legal advice, and asks whether it helped.
    public static let answer = "question.answer"

    /// Every key the service renders.
    public static let keys: Set<String> = [Self.followUp, Self.answer]

    /// The placeholders the service fills besides the centre's contact details.
    public static let placeholders: Set<String> = ["question_id", "text", "team", "hours"]
}
