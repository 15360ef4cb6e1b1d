/// A command's failure for a person: printed as `Error: <message>` (no stack trace), exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { self.message }
}
