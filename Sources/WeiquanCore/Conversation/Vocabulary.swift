/// The reply book's word lists and option labels, normalised once when the machine is built.
///
/// Answers are compared in normalised form; normalising the lists on every message would cost more
/// than understanding the message itself.
struct Vocabulary: Sendable {
    private let lists: [String: [String]]
    private let labels: [String: String]

    init(replies: ReplyBook, normalizer: TextNormalizer) {
        var lists: [String: [String]] = [:]
        var labels: [String: String] = [:]
        for key in replies.templates.keys {
            if key.hasPrefix("words.") || key.hasPrefix("synonyms.") {
                lists[key] = replies.words(key).map(normalizer.normalize).filter { !$0.isEmpty }
            } else if key.hasPrefix("option.") || key.hasPrefix("label.") {
                labels[key] = normalizer.normalize(replies.render(key))
            }
        }
        self.lists = lists
        self.labels = labels
    }

    /// The normalised words under `key` (`words.yes`, `synonyms.services.mediation`), empty when absent.
    func words(_ key: String) -> [String] { self.lists[key] ?? [] }

    /// The normalised text of an option or label key, empty when absent.
    func label(_ key: String) -> String { self.labels[key] ?? "" }
}
