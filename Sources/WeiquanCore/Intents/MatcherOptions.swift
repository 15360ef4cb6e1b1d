/// The thresholds and weights of `IntentMatcher`, decodable from config; absent keys keep their defaults.
///
/// ```json
/// {"minimumScore": 0.9, "minimumMargin": 0.2}
/// ```
public struct MatcherOptions: Sendable, Codable, Equatable {
    /// Below this score the best intent is not trusted and the result is `unknown`.
    public var minimumScore: Double
    /// The smallest relative margin `(best − runnerUp) / best` for a clear match; below it the
    /// result is `ambiguous` and the conversation asks which one was meant.
    public var minimumMargin: Double
    /// Default keyword weights by length in characters (ASCII words count about one character per
    /// three letters): entry 0 for one character, entry 1 for two, …; the last entry covers longer ones.
    public var keywordWeights: [Double]
    /// The weight of a satisfied pattern without an explicit weight.
    public var patternWeight: Double
    /// The most that similarity to an intent's examples can add to its score.
    public var exampleWeight: Double
    /// Cosine similarity to the nearest example below which the examples add nothing.
    public var exampleThreshold: Double
    /// Score added per point of an intent's priority (negative priorities subtract).
    public var priorityBonus: Double
    /// The largest bonus or malus priority can give, whatever the priority.
    public var maximumPriorityBonus: Double
    /// How many intents an ambiguous result offers at most (2 or 3).
    public var maximumChoices: Int
    /// When true, greetings and thanks (`smalltalk`) give way to any other intent that reaches
    /// `minimumScore`: “你好，我想维权” is an aid request, not a greeting.
    public var smalltalkYields: Bool

    /// Creates options; every argument has a sensible default.
    public init(
        minimumScore: Double = 0.9,
        minimumMargin: Double = 0.2,
        keywordWeights: [Double] = [0.4, 1.0, 1.4, 1.7, 2.0],
        patternWeight: Double = 1.5,
        exampleWeight: Double = 1.6,
        exampleThreshold: Double = 0.3,
        priorityBonus: Double = 0.05,
        maximumPriorityBonus: Double = 0.25,
        maximumChoices: Int = 3,
        smalltalkYields: Bool = true
    ) {
        self.minimumScore = minimumScore
        self.minimumMargin = minimumMargin
        self.keywordWeights = keywordWeights
        self.patternWeight = patternWeight
        self.exampleWeight = exampleWeight
        self.exampleThreshold = exampleThreshold
        self.priorityBonus = priorityBonus
        self.maximumPriorityBonus = maximumPriorityBonus
        self.maximumChoices = maximumChoices
        self.smalltalkYields = smalltalkYields
    }

    private enum CodingKeys: String, CodingKey {
        case minimumScore
        case minimumMargin
        case keywordWeights
        case patternWeight
        case exampleWeight
        case exampleThreshold
        case priorityBonus
        case maximumPriorityBonus
        case maximumChoices
        case smalltalkYields
    }

    /// Decodes options, keeping the default for every absent key.
    public init(from decoder: any Decoder) throws {
        let defaults = MatcherOptions()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.minimumScore = try container.decodeIfPresent(Double.self, forKey: .minimumScore) ?? defaults.minimumScore
        self.minimumMargin =
            try container.decodeIfPresent(Double.self, forKey: .minimumMargin) ?? defaults.minimumMargin
        self.keywordWeights =
            try container.decodeIfPresent([Double].self, forKey: .keywordWeights) ?? defaults.keywordWeights
        self.patternWeight =
            try container.decodeIfPresent(Double.self, forKey: .patternWeight) ?? defaults.patternWeight
        self.exampleWeight =
            try container.decodeIfPresent(Double.self, forKey: .exampleWeight) ?? defaults.exampleWeight
        self.exampleThreshold =
            try container.decodeIfPresent(Double.self, forKey: .exampleThreshold) ?? defaults.exampleThreshold
        self.priorityBonus =
            try container.decodeIfPresent(Double.self, forKey: .priorityBonus) ?? defaults.priorityBonus
        self.maximumPriorityBonus =
            try container.decodeIfPresent(Double.self, forKey: .maximumPriorityBonus)
            ?? defaults.maximumPriorityBonus
        self.maximumChoices =
            try container.decodeIfPresent(Int.self, forKey: .maximumChoices) ?? defaults.maximumChoices
        self.smalltalkYields =
            try container.decodeIfPresent(Bool.self, forKey: .smalltalkYields) ?? defaults.smalltalkYields
    }

    /// The default weight of a keyword of `length` characters.
    public func defaultWeight(forLength length: Int) -> Double {
        guard let last = self.keywordWeights.last else { return 1.0 }
        guard length >= 1 else { return 0 }
        return length <= self.keywordWeights.count ? self.keywordWeights[length - 1] : last
    }
}
