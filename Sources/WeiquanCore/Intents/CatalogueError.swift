/// Why an intent catalogue could not be built.
public enum CatalogueError: Error, Equatable, CustomStringConvertible {
    /// A file is not a valid intent definition; `problem` says what is wrong and where.
    case invalidFile(name: String, problem: String)
    /// A file's name does not match the id inside it (`faq.free.json` must hold `"id": "faq.free"`).
    case fileNameMismatch(name: String, id: IntentID)
    /// Two intents share an id; `sources` names the files (or positions) that declare it.
    case duplicateID(IntentID, sources: [String])
    /// An intent has an empty id.
    case emptyID(source: String)

    /// A message for staff, naming the file and the problem.
    public var description: String {
        switch self {
        case .invalidFile(let name, let problem):
            return "\(name): \(problem)"
        case .fileNameMismatch(let name, let id):
            return "\(name): the file holds intent '\(id)' but is named '\(name)'; name it '\(id).json'"
        case .duplicateID(let id, let sources):
            return "intent id '\(id)' is declared more than once: \(sources.joined(separator: ", "))"
        case .emptyID(let source):
            return "\(source): the intent id is empty"
        }
    }
}
