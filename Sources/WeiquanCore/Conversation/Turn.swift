/// What one event produces, collected while the machine works: reply paragraphs and effects.
struct Turn {
    private(set) var paragraphs: [String] = []
    private(set) var effects: [ConversationEffect] = []
    /// The intent the applicant's message was understood as, when it was text that matched one.
    var understood: IntentID?

    mutating func say(_ text: String) {
        if !text.isEmpty { self.paragraphs.append(text) }
    }

    /// Says `text` before the paragraph at `index` (a note that must precede what was said after it was decided).
    mutating func say(_ text: String, at index: Int) {
        guard !text.isEmpty else { return }
        self.paragraphs.insert(text, at: min(max(0, index), self.paragraphs.count))
    }

    /// How many paragraphs were said so far (a place for ``say(_:at:)``).
    var paragraphCount: Int { self.paragraphs.count }

    mutating func perform(_ effect: ConversationEffect) {
        self.effects.append(effect)
    }

    /// Durable effects first, then the single reply: a case is stored before the reply that confirms it.
    var output: [ConversationEffect] {
        guard let reply else { return self.effects }
        return self.effects + [.reply(reply)]
    }

    /// The paragraphs as one message, or nil when there is nothing to say.
    var reply: String? {
        self.paragraphs.isEmpty ? nil : self.paragraphs.joined(separator: "\n\n")
    }
}
