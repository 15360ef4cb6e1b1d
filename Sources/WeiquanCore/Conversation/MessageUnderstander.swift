/// What the bot made of one message: its normalised text, the intent and the entities.
public struct Understanding: Sendable, Equatable {
    /// The message as written, trimmed; kept for free-text answers (names, facts).
    public var text: String
    /// The message after ``TextNormalizer/normalize(_:)``.
    public var normalized: String
    public var match: IntentMatch
    public var entities: ExtractedEntities
}

/// Normalises a message, matches it against the intent catalogue and extracts its entities.
///
/// Pure and cheap: built once from the catalogue and config, then shared by every conversation.
public struct MessageUnderstander: Sendable {
    public let normalizer: TextNormalizer
    public let matcher: IntentMatcher
    public let extractor: EntityExtractor

    public init(
        catalogue: IntentCatalogue, ipTypes: IPTypeLexicon, regions: [Region],
        options: MatcherOptions = MatcherOptions()
    ) {
        let normalizer = TextNormalizer()
        self.normalizer = normalizer
        self.matcher = IntentMatcher(catalogue: catalogue, normalizer: normalizer, options: options)
        self.extractor = EntityExtractor(regions: regions, ipTypes: ipTypes)
    }

    /// Understands one message.
    /// - Parameters:
    ///   - text: The message as the applicant wrote it.
    ///   - currentYear: The year now (Asia/Shanghai), which bounds plausible patent filing years.
    public func understand(_ text: String, currentYear: Int) -> Understanding {
        let normalized = self.normalizer.normalize(text)
        return Understanding(
            text: text.trimmingWhitespace(),
            normalized: normalized,
            match: self.matcher.match(normalized: normalized),
            entities: self.extractor.extract(from: normalized, currentYear: currentYear)
        )
    }
}

extension String {
    /// The string without leading and trailing white space and newlines (Foundation-free).
    func trimmingWhitespace() -> String {
        let scalars = self.unicodeScalars
        // Most messages start and end with a character or a printable ASCII one: nothing to trim, nothing copied.
        if let first = scalars.first, let last = scalars.last, !Self.mayBeWhitespace(first), !Self.mayBeWhitespace(last)
        {
            return self
        }
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// False for scalars that are surely not white space (printable ASCII, and everything after U+3000, the last
    /// white-space scalar), without a look at the scalar's properties.
    @inline(__always)
    static func mayBeWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return !((value > 0x20 && value < 0x7F) || value > 0x3000)
    }
}
