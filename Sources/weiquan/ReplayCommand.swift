import ArgumentParser
import Foundation
import WeiquanCore
import WeiquanFiles

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay transcripts and report every difference; exits non-zero on a mismatch.",
        discussion: """
            Transcripts are *.txt files (format: README, "Transcripts"). With --record, each file's exact bot
            lines are rewritten with what the bot says now: review the change with git diff before committing.
            """
    )

    @OptionGroup var data: DataOptions

    @Flag(help: "Rewrite the bot lines of each transcript with the bot's current replies.")
    var record = false

    @Argument(help: "Transcript files or directories.")
    var paths: [String] = ["transcripts"]

    func run() throws {
        // The transcripts run with the knowledge base's seed.
        let replayer = TranscriptReplayer(
            machine: try self.data.load().makeMachine(), knowledge: self.data.knowledgeSeed())
        let files = try TranscriptFiles.list(self.paths)
        var passed = 0
        var failed = 0
        for file in files {
            let name = file.path
            let text: String
            do {
                text = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw DataLoadError(path: name, message: "cannot read the transcript (\(error.localizedDescription))")
            }
            if self.record {
                try replayer.record(text, name: name).write(to: file, atomically: true, encoding: .utf8)
            }
            let transcript: Transcript
            do {
                transcript = try Transcript.parse(try String(contentsOf: file, encoding: .utf8), name: name)
            } catch {
                print("FAIL \(name)\n  \(error)")
                failed += 1
                continue
            }
            let result = replayer.replay(transcript)
            if result.passed {
                passed += 1
                print("PASS \(name) — \(transcript.title) (\(result.messages) messages)")
            } else {
                failed += 1
                print("FAIL \(name) — \(transcript.title)")
                for failure in result.failures {
                    print("  line \(failure.line): " + failure.message.replacingOccurrences(of: "\n", with: "\n  "))
                }
            }
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 || files.isEmpty { throw ExitCode.failure }
    }
}
