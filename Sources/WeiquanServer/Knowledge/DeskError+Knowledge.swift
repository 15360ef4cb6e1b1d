import WeiquanCore

extension DeskError {
    /// The desk's error for an entry of the knowledge base that is refused: a 400, `text_too_long` for a text past
    /// its limit and `bad_request` for anything else.
    init(_ error: KnowledgeError) {
        self = .badRequest(error.message, code: error.code)
    }
}
