import Foundation

/// Where a waiting applicant stands, as the service tells the machine (``ConversationMachine/handleQueued``).
public struct QueueStanding: Sendable, Equatable {
    /// 1 for the next applicant to be taken.
    public var position: Int
    /// The position the applicant was last told, if any.
    public var toldPosition: Int?
    /// When the applicant was last told anything while waiting.
    public var toldAt: Date?

    public init(position: Int, toldPosition: Int? = nil, toldAt: Date? = nil) {
        self.position = position
        self.toldPosition = toldPosition
        self.toldAt = toldAt
    }
}
