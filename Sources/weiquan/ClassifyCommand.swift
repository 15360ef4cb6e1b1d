import ArgumentParser
import WeiquanCore
import WeiquanFiles

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Print the intent, confidence and entities of a message as one JSON object.",
        discussion: """
            Example: weiquan classify "我的专利ZL201310268509.X被侵权了"
            With --stdin, every input line is classified and printed as one JSON object per line.
            """
    )

    @OptionGroup var data: DataOptions

    @Flag(help: "Classify every line of standard input.")
    var stdin = false

    @Argument(help: "The message to classify.")
    var text: String?

    func validate() throws {
        if self.stdin == (self.text != nil) {
            throw ValidationError("give either a message or --stdin")
        }
    }

    func run() throws {
        let understander = try self.data.load().makeMachine().understander
        let year = currentYear()
        if let text = self.text {
            print(Classification(understander.understand(text, currentYear: year)).json())
            return
        }
        while let line = readLine(strippingNewline: true) {
            print(Classification(understander.understand(line, currentYear: year)).json())
        }
    }
}
