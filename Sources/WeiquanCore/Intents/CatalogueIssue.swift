/// A problem `CatalogueValidator` found in the intent catalogue.
public struct CatalogueIssue: Sendable, Equatable, CustomStringConvertible {
    /// How serious an issue is.
    public enum Severity: String, Sendable, Equatable, Comparable {
        /// The catalogue must not be used as it is: `weiquan check` fails.
        case error
        /// Worth fixing, but the catalogue works.
        case warning

        /// Errors sort before warnings.
        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    /// How serious the issue is.
    public let severity: Severity
    /// The intent concerned, if the issue belongs to one.
    public let intent: IntentID?
    /// What is wrong, for staff.
    public let message: String

    /// Creates an issue.
    public init(severity: Severity, intent: IntentID?, message: String) {
        self.severity = severity
        self.intent = intent
        self.message = message
    }

    /// Creates an error.
    public static func error(_ intent: IntentID?, _ message: String) -> CatalogueIssue {
        CatalogueIssue(severity: .error, intent: intent, message: message)
    }

    /// Creates a warning.
    public static func warning(_ intent: IntentID?, _ message: String) -> CatalogueIssue {
        CatalogueIssue(severity: .warning, intent: intent, message: message)
    }

    /// `error [faq.free]: message`.
    public var description: String {
        if let intent = self.intent {
            return "\(self.severity.rawValue) [\(intent)]: \(self.message)"
        }
        return "\(self.severity.rawValue): \(self.message)"
    }
}
