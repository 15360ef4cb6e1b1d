/// Why a knowledge-base entry is refused. The HTTP edge and the import decide how each is reported.
public enum KnowledgeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The texts of an entry, by their JSON names.
    public enum Field: String, Sendable, Equatable {
        case title, question, answer
        case tag = "tags"
        case sourceQuestion = "source_question_id"
    }

    /// The id is not 1 to 64 ASCII letters, digits, `-`, `_` or `.`.
    case badID(String)
    /// The text is empty (or only white space).
    case empty(Field)
    /// The text is longer than its limit.
    case tooLong(Field, count: Int, limit: Int)
    /// The text holds a control character, or a line break where one line is wanted.
    case controlCharacters(Field)
    /// More tags than allowed.
    case tooManyTags(count: Int, limit: Int)

    /// Stable and machine-readable: clients branch on it.
    public var code: String {
        switch self {
        case .tooLong: "text_too_long"
        case .badID, .empty, .controlCharacters, .tooManyTags: "bad_request"
        }
    }

    /// For people: what is wrong.
    public var message: String {
        switch self {
        case .badID(let id):
            "'\(id.prefix(80))' is not an entry id: use 1 to 64 ASCII letters, digits, '-', '_' or '.'"
        case .empty(let field):
            "'\(field.rawValue)' is empty"
        case .tooLong(let field, let count, let limit):
            "'\(field.rawValue)' has \(count) characters; at most \(limit)"
        case .controlCharacters(let field):
            field == .answer || field == .question
                ? "'\(field.rawValue)' holds a control character"
                : "'\(field.rawValue)' must be one line without control characters"
        case .tooManyTags(let count, let limit):
            "\(count) tags; at most \(limit)"
        }
    }

    public var description: String { "\(self.code): \(self.message)" }
}
