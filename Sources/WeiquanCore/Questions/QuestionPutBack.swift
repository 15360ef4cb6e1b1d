import Foundation

/// A claim given up: the question went back to the queue, with why.
public struct QuestionPutBack: Codable, Sendable, Equatable {
    /// Who put it back: the volunteer, or a staff member freeing it.
    public var by: String
    public var at: Date
    public var reason: String

    public init(by: String, at: Date, reason: String) {
        self.by = by
        self.at = at
        self.reason = reason
    }
}
