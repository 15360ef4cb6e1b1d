import Hummingbird

extension DeskError {
    /// The desk's error for a token that could not be created or revoked: 409 `duplicate_name` for a name an active
    /// token has, 404 `not_found` for revoking one no active token has, 422 for the rest (`invalid_name`,
    /// `unknown_unit`, `unknown_specialty`).
    init(_ error: TokenAdministrationError) {
        switch error {
        case .duplicateName:
            self = .conflict("duplicate_name", error.description)
        case .unknownToken:
            self = DeskError("not_found", error.description, status: .notFound)
        case .invalidName:
            self = .unprocessable("invalid_name", error.description)
        case .unknownUnit:
            self = .unprocessable("unknown_unit", error.description)
        case .unknownSpecialty:
            self = .unprocessable("unknown_specialty", error.description)
        }
    }
}
