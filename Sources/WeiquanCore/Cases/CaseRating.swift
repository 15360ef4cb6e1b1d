import Foundation

/// The applicant's rating of the service after their case ended (回访): 1 to 5, with an optional comment.
public struct CaseRating: Codable, Sendable, Equatable {
    public var score: Int
    public var comment: String?
    public var at: Date

    public init(score: Int, comment: String? = nil, at: Date) {
        self.score = score
        self.comment = comment
        self.at = at
    }
}
