import WeiquanCore

extension DeskError {
    /// The desk's error for a refusal of the case lifecycle: a conflict with the case's status (409), or a request
    /// that lacks what the change needs (422).
    init(_ error: CaseError) {
        switch error {
        case .illegalTransition, .archived: self = .conflict(error.code, error.message)
        case .unknownReason, .missing: self = .unprocessable(error.code, error.message)
        }
    }
}
