/// The id of a question left for the volunteers: `Q` and a sequence number of at least six digits, in the order
/// the questions were filed (`Q000042`).
public struct QuestionID: StringIdentifier {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// `Q` and `sequence`, zero-padded to six digits (`Q000042`).
    public init(sequence: Int) {
        let digits = String(sequence)
        self.init(rawValue: "Q" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits)
    }

    /// The sequence number of an id made by ``init(sequence:)``; nil for any other form.
    public var sequence: Int? {
        guard self.rawValue.first == "Q" else { return nil }
        let digits = self.rawValue.dropFirst()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}
