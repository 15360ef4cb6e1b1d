/// What one event produces, collected while the machine works: reply paragraphs and effects.
struct Turn {
    private(set) var paragraphs: [String] = []
    private(set) var effects: [ConversationEffect] = []

    mutating func say(_ text: String) {
        if !text.isEmpty { self.paragraphs.append(text) }
    }

    mutating func perform(_ effect: ConversationEffect) {
        self.effects.append(effect)
    }

    /// Durable effects first, then the single reply: a case is stored before the reply that confirms it.
    var output: [ConversationEffect] {
        self.paragraphs.isEmpty ? self.effects : self.effects + [.reply(self.paragraphs.joined(separator: "\n\n"))]
    }
}
