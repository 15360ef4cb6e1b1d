/// Why something written like a patent application number is not a valid one.
public enum PatentNumberProblem: Error, Sendable, Equatable {
    /// The check character does not match the digits.
    case wrongCheckCharacter(written: Character, expected: Character)
    /// No check character was given where one is required (every number from 1989 on);
    /// the bot should ask the user to confirm `expected`.
    case missingCheckCharacter(expected: Character)
    /// The type digit is not one of 1, 2, 3, 8, 9.
    case unknownType(Character)
    /// The year is outside 2003…current year (12 digits) or 1985–2003 (8 digits); 4-digit year.
    case implausibleYear(Int)
    /// Neither 8 nor 12 digits before the check character.
    case wrongLength
}
