/// A data file that could not be read or understood, with the file it came from.
public struct DataLoadError: Error, CustomStringConvertible, Sendable {
    /// The file or directory at fault.
    public var path: String
    /// What is wrong, in words an operator can act on.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(self.path): \(self.message)" }
}
