import WeiquanCore

extension DeskError {
    /// The desk's error for a report that cannot be made: an unknown unit is 404, anything else in the query 400.
    init(_ error: ReportError) {
        switch error {
        case .unknownUnit(let unit): self = .notFound("unit '\(unit)'")
        case .invalidDay, .emptyPeriod, .periodTooLong, .unknownTimeZone:
            self = .badRequest(error.message, code: error.code)
        }
    }
}
