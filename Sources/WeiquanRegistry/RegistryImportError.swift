/// Why a registry file could not be imported at all (a row that cannot be read is refused in the report instead).
public struct RegistryImportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for the person running the import.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}
