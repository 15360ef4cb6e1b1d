/// The id of a knowledge-base entry (`kb-3f9a1c20b7e4`, or a readable one an import gave, `kb-patent-sued`).
///
/// Checked where it comes in (``isWellFormed``): 1 to 64 characters of ASCII letters, digits, `-`, `_` and `.`,
/// so that it is safe in a URL path, an HTML anchor and a file name alike.
public struct KnowledgeEntryID: StringIdentifier {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The longest id accepted.
    public static let maximumLength = 64

    /// Whether the id has the accepted form.
    public var isWellFormed: Bool {
        let bytes = self.rawValue.utf8
        guard !bytes.isEmpty, bytes.count <= Self.maximumLength else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                true
            default:
                false
            }
        }
    }
}
