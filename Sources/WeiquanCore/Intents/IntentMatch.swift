/// One intent's score for a message.
public struct ScoredIntent: Sendable, Equatable {
    /// The intent.
    public let id: IntentID
    /// Keyword weights + satisfied patterns + example similarity + priority bonus.
    public let score: Double
    /// How sure the matcher is of this intent, in 0...1, from the score and the margin to the others.
    public let confidence: Double
    /// The normalised keywords and patterns that matched, in text order (patterns as `a…b`).
    public let matchedPhrases: [String]

    /// Creates a scored intent.
    public init(id: IntentID, score: Double, confidence: Double, matchedPhrases: [String]) {
        self.id = id
        self.score = score
        self.confidence = confidence
        self.matchedPhrases = matchedPhrases
    }
}

/// The matcher's verdict on one message.
public struct IntentMatch: Sendable, Equatable {
    /// What the conversation should do with the message.
    public enum Decision: Sendable, Equatable {
        /// One intent clearly wins.
        case matched(IntentID)
        /// Two or three intents score too close to tell apart, best first: ask which one was meant.
        case ambiguous([IntentID])
        /// Nothing scores high enough.
        case unknown
    }

    /// The decision.
    public let decision: Decision
    /// The highest-scoring intent, if any intent scored at all (also for `unknown`).
    public let best: ScoredIntent?
    /// The second-highest-scoring intent, if any.
    public let runnerUp: ScoredIntent?

    /// Creates a match.
    public init(decision: Decision, best: ScoredIntent?, runnerUp: ScoredIntent?) {
        self.decision = decision
        self.best = best
        self.runnerUp = runnerUp
    }

    /// The result for a message nothing matched.
    public static let unknown = IntentMatch(decision: .unknown, best: nil, runnerUp: nil)

    /// The intent to report: the matched id, the best id when ambiguous, `.unknown` otherwise.
    public var intent: IntentID {
        switch self.decision {
        case .matched(let id): return id
        case .ambiguous(let ids): return ids.first ?? .unknown
        case .unknown: return .unknown
        }
    }

    /// The confidence in `intent`, in 0...1; 0 for `unknown`.
    public var confidence: Double {
        switch self.decision {
        case .matched, .ambiguous: return self.best?.confidence ?? 0
        case .unknown: return 0
        }
    }
}
