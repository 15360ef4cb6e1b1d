/// The result of reading a whole answer as a patent application number.
public enum PatentNumberParse: Sendable, Equatable {
    /// A valid number (check character right, or a 1985–1988 number without one).
    case valid(PatentApplicationNumber)
    /// Written like a patent number but wrong; `digits` is what the user wrote, without prefix and spaces,
    /// with `.` and the check character if one was given (`201310268509.1`).
    case invalid(digits: String, PatentNumberProblem)
    /// Not written like a patent number at all.
    case notAPatentNumber
}
