import Foundation

/// The applicant's verdict on the answer delivered (有帮助 / 没帮助), with what else they wrote.
public struct QuestionRating: Codable, Sendable, Equatable {
    public var helpful: Bool
    public var comment: String?
    public var at: Date

    public init(helpful: Bool, comment: String? = nil, at: Date) {
        self.helpful = helpful
        self.comment = comment
        self.at = at
    }
}
