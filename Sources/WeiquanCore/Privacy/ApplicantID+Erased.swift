extension ApplicantID {
    /// The prefix of the pseudonyms that replace an applicant's OpenID when their data is deleted.
    static let erasedPrefix = "erased:"

    /// The pseudonym that replaces an applicant's OpenID on what is kept of their data: the same for all of one
    /// erasure (their cases still count as one applicant's), linked to nothing else.
    public static func erased(_ erasure: String) -> ApplicantID {
        ApplicantID(rawValue: Self.erasedPrefix + erasure)
    }

    /// Whether this is an erased applicant's pseudonym: nobody to write to, no conversation.
    public var isErased: Bool { self.rawValue.hasPrefix(Self.erasedPrefix) }
}
