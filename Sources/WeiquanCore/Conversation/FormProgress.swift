import Foundation

/// A form being filled in: the answers so far and the question now open.
public struct FormProgress: Codable, Sendable, Equatable {
    public var kind: FormKind
    /// Answers by field id. Choice answers are option ids; several options are joined with `,`.
    public var values: [String: String]
    /// The field being asked; nil while the summary is shown for confirmation.
    public var current: String?
    /// Fields answered, in order, so 返回 can step back.
    public var history: [String]
    /// Invalid answers to the current question since it was last asked afresh.
    public var invalidAttempts: Int
    /// True when the current field is being corrected from the summary: the summary follows the answer.
    public var editing: Bool
    /// Media sent while the form was open (MediaId or URL).
    public var attachments: [String]
    public var consent: ConsentRecord?
    /// A patent number read without its check character, waiting for the applicant to confirm it.
    public var pendingNumber: String?

    public init(kind: FormKind, current: String?) {
        self.kind = kind
        self.values = [:]
        self.current = current
        self.history = []
        self.invalidAttempts = 0
        self.editing = false
        self.attachments = []
        self.consent = nil
        self.pendingNumber = nil
    }

    enum CodingKeys: String, CodingKey {
        case kind, values, current, history, editing, attachments, consent
        case invalidAttempts = "invalid_attempts"
        case pendingNumber = "pending_number"
    }

    /// True once the applicant has given any answer worth asking before throwing away.
    public var hasContent: Bool { self.values.keys.contains { $0 != "consent" } || !self.attachments.isEmpty }
}
