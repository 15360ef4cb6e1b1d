/// The id of a handoff to a person: `H` and a sequence number of at least six digits, in the order the
/// handoffs were opened (`H000042`).
public struct HandoffID: StringIdentifier {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
}
