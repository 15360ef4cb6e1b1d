/// Why a patent event is refused. The importer reports these with the row's line.
public enum PatentEventError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which date could not be read.
    public enum Field: String, Sendable {
        case announced
        case effective
    }

    /// A date is not an existing day written `yyyy-MM-dd`.
    case unreadableDate(field: Field, text: String)
    /// The event has neither an event code nor a title: nothing says what happened.
    case missingTitleAndCode

    /// Stable and machine-readable: the import report groups refusals by it.
    public var code: String {
        switch self {
        case .unreadableDate: "unreadable_date"
        case .missingTitleAndCode: "missing_title_and_code"
        }
    }

    /// For people: what went wrong.
    public var message: String {
        switch self {
        case .unreadableDate(let field, let text):
            "\(field.rawValue): '\(text)' is not a date written yyyy-MM-dd"
        case .missingTitleAndCode:
            "the event has neither an event code nor a title"
        }
    }

    public var description: String { self.message }
}
