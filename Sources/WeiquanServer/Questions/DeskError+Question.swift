import WeiquanCore

extension DeskError {
    /// The desk's error for a refusal of the question's rules: a conflict with where the question is (409), a
    /// question another volunteer holds (403), or a request that lacks what the change needs (422).
    init(_ error: QuestionError) {
        switch error {
        case .notYours: self = .forbidden(error.code, error.message)
        case .missing, .conflictNotDeclared: self = .unprocessable(error.code, error.message)
        case .alreadyClaimed, .notClaimed, .leaseExpired, .illegalTransition, .notApproved, .notDue, .tooManyClaims:
            self = .conflict(error.code, error.message)
        }
    }
}
