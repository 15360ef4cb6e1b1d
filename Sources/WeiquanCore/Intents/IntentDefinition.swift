/// One intent of the catalogue, as staff write it in `intents/<id>.json`.
///
/// ```json
/// {
///   "id": "faq.free", "kind": "faq", "title": "援助收费吗", "priority": 0,
///   "keywords": ["收费", {"text": "要钱吗", "weight": 1.5}],
///   "patterns": ["援助…钱"], "negative": ["不收费吗"],
///   "examples": ["维权援助收费吗"], "answer": "……{hotline}……"
/// }
/// ```
///
/// Only `id`, `kind` and `title` are required. Unknown keys are rejected so that a misspelt key
/// (`"keyowrds"`) is reported instead of silently ignored; keys starting with `_` are free for
/// comments.
public struct IntentDefinition: Codable, Sendable, Equatable {
    /// The intent's id, such as `faq.free`; also the file name (`faq.free.json`).
    public var id: IntentID
    /// What the intent does in a conversation.
    public var kind: IntentKind
    /// A short Chinese label shown in clarify menus (“您是想问：1. … 2. …”).
    public var title: String
    /// Tie-breaker between intents: higher wins. Adds a small score bonus at most.
    public var priority: Int
    /// Phrases whose presence in a message counts for the intent.
    public var keywords: [IntentPhrase]
    /// Ordered fragments separated by `…` that must all occur, in order, e.g. `援助…钱`.
    public var patterns: [IntentPhrase]
    /// Phrases whose presence excludes the intent, e.g. `不要人工` for `human`.
    public var negative: [String]
    /// Example utterances: documentation, a regression check, and the matcher's similarity signal.
    public var examples: [String]
    /// The answer text of a FAQ intent, with `{placeholders}` filled from config; nil for other kinds.
    public var answer: String?

    /// Creates a definition; everything but the id, kind and title defaults to empty.
    public init(
        id: IntentID,
        kind: IntentKind,
        title: String,
        priority: Int = 0,
        keywords: [IntentPhrase] = [],
        patterns: [IntentPhrase] = [],
        negative: [String] = [],
        examples: [String] = [],
        answer: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.priority = priority
        self.keywords = keywords
        self.patterns = patterns
        self.negative = negative
        self.examples = examples
        self.answer = answer
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case kind
        case title
        case priority
        case keywords
        case patterns
        case negative
        case examples
        case answer
    }

    /// Decodes a definition, rejecting unknown keys (other than `_comment`-style keys).
    public init(from decoder: any Decoder) throws {
        let allKeys = try decoder.container(keyedBy: AnyJSONKey.self)
        let known = Set(CodingKeys.allCases.map(\.stringValue))
        for key in allKeys.allKeys where !known.contains(key.stringValue) && !key.stringValue.hasPrefix("_") {
            let allowed = CodingKeys.allCases.map(\.stringValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath + [key],
                    debugDescription:
                        "unknown key '\(key.stringValue)' (allowed: \(allowed); keys starting with _ are comments)"
                )
            )
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(IntentID.self, forKey: .id)
        self.kind = try container.decode(IntentKind.self, forKey: .kind)
        self.title = try container.decode(String.self, forKey: .title)
        self.priority = try container.decodeIfPresent(Int.self, forKey: .priority) ?? 0
        self.keywords = try container.decodeIfPresent([IntentPhrase].self, forKey: .keywords) ?? []
        self.patterns = try container.decodeIfPresent([IntentPhrase].self, forKey: .patterns) ?? []
        self.negative = try container.decodeIfPresent([String].self, forKey: .negative) ?? []
        self.examples = try container.decodeIfPresent([String].self, forKey: .examples) ?? []
        self.answer = try container.decodeIfPresent(String.self, forKey: .answer)
    }

    /// Encodes the definition, leaving out empty lists, a zero priority and an absent answer.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.kind, forKey: .kind)
        try container.encode(self.title, forKey: .title)
        if self.priority != 0 {
            try container.encode(self.priority, forKey: .priority)
        }
        if !self.keywords.isEmpty {
            try container.encode(self.keywords, forKey: .keywords)
        }
        if !self.patterns.isEmpty {
            try container.encode(self.patterns, forKey: .patterns)
        }
        if !self.negative.isEmpty {
            try container.encode(self.negative, forKey: .negative)
        }
        if !self.examples.isEmpty {
            try container.encode(self.examples, forKey: .examples)
        }
        try container.encodeIfPresent(self.answer, forKey: .answer)
    }
}

/// A coding key for any JSON object key, used to find keys a type does not know.
struct AnyJSONKey: CodingKey {
    let stringValue: String
    let intValue: Int? = nil
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}
