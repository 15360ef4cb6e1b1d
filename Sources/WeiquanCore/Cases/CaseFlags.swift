/// What a case was filed for that gives it a shorter deadline than the acceptance review.
///
/// Read from the aid request's `services` answer (option ids joined with `,`, such as `consultation,ecommerce`):
/// `ecommerce` (电商维权) and `exhibition` (展会维权). Derived from the answers whenever asked, so nothing extra is
/// stored. The complaint form has no such question: complaints have no flags.
public struct CaseFlags: OptionSet, Sendable, Hashable {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    /// An e-commerce dispute: concluded within ``CasePolicy/ecommerceHours`` of filing.
    public static let ecommerce = CaseFlags(rawValue: 1 << 0)
    /// A case at an exhibition or trade fair: concluded the day it is filed (``CasePolicy/exhibitionSameDay``).
    public static let exhibition = CaseFlags(rawValue: 1 << 1)

    /// The flags of a `services` answer; none when there is no answer.
    public init(services: String?) {
        self = []
        for service in services?.split(separator: ",") ?? [] {
            switch service {
            case "ecommerce": self.insert(.ecommerce)
            case "exhibition": self.insert(.exhibition)
            default: break
            }
        }
    }
}
