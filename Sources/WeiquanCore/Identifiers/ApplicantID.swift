/// The applicant's channel identity: the WeChat OpenID of the follower who writes to the account
/// (`oABC…`, 28 characters), or the user id of a test or terminal channel. It is also the id of the
/// applicant's conversation.
public struct ApplicantID: StringIdentifier {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
}
