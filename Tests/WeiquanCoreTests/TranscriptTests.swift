import Foundation
import Testing
import WeiquanCore
import WeiquanFiles

@Suite struct TranscriptTests {
    /// With the shipped knowledge-base seed, as `weiquan replay` runs them.
    let replayer = TranscriptReplayer(
        machine: TestBot.machine,
        knowledge: try? KnowledgeAnswers(
            file: Data(contentsOf: RepositoryPaths.url("intents/knowledge-seed.json")),
            now: Date(timeIntervalSince1970: 0)))

    static let files: [URL] = (try? TranscriptFiles.list([RepositoryPaths.url("transcripts").path])) ?? []

    /// A `[key.name]` left in a reply by ``ReplyBook/render(_:_:)`` for a key the wording lacks.
    static func missingKey(in reply: String) -> String? {
        var current: String?
        for character in reply {
            if character == "[" {
                current = ""
            } else if character == "]", let key = current {
                if key.contains("."), !key.isEmpty { return key }
                current = nil
            } else if current != nil {
                if character.isASCII && (character.isLowercase || character == "." || character == "_") {
                    current?.append(character)
                } else {
                    current = nil
                }
            }
        }
        return nil
    }

    @Test func theMissingKeyScanFindsKeys() {
        #expect(Self.missingKey(in: "你好 [ask.name] 再见") == "ask.name")
        #expect(Self.missingKey(in: "[图片] 1. 同意 [x]") == nil)
    }

    @Test func thereAreEnoughTranscripts() {
        #expect(Self.files.count >= 15)
    }

    @Test(arguments: Self.files)
    func replays(_ file: URL) throws {
        let transcript = try Transcript.parse(
            try String(contentsOf: file, encoding: .utf8), name: file.lastPathComponent)
        let result = self.replayer.replay(transcript)
        #expect(result.messages > 0)
        for failure in result.failures { Issue.record("\(failure)") }
        // No reply may show a missing wording key ("[ask.name]").
        for case let reply? in result.replies.values {
            #expect(Self.missingKey(in: reply) == nil, "a wording key is missing: \(reply)")
        }
    }

    @Test func transcriptsCoverEveryFlow() throws {
        var intents: Set<String> = []
        var kinds: Set<CaseKind> = []
        var handoff = false
        var traditional = false
        for file in Self.files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let result = self.replayer.replay(try Transcript.parse(text, name: file.lastPathComponent))
            kinds.formUnion(result.cases.map(\.kind))
            if text.contains("= handoff") { handoff = true }
            if text.contains("申請") || text.contains("檢舉") { traditional = true }
            for line in text.split(separator: "\n") where line.hasPrefix(">") {
                let understanding = TestBot.machine.understander.understand(String(line.dropFirst()), currentYear: 2026)
                intents.insert(understanding.match.intent.rawValue)
            }
        }
        #expect(kinds == Set(CaseKind.allCases))
        #expect(handoff && traditional)
        for needed in [
            "aid_request", "complaint", "legal_status", "case_progress", "human", "cancel", "back", "help", "erase",
        ] {
            #expect(intents.contains(needed), "no transcript says anything classified as \(needed)")
        }
    }

    // MARK: - Failure paths

    @Test func aWrongReplyIsReportedWithADiff() throws {
        let transcript = try Transcript.parse("# t\n> 谢谢\n< 不客气\n< 第二行\n", name: "t.txt")
        let result = self.replayer.replay(transcript)
        #expect(result.failures.count == 1)
        let message = result.failures.first?.message ?? ""
        #expect(result.failures.first?.line == 2)
        #expect(message.contains("  - 不客气"))
        #expect(message.contains("  - 第二行"))
        #expect(message.contains("  + " + TestBot.replies.render("thanks")))
    }

    @Test func unmetExpectationsAreReported() throws {
        let text = "> 谢谢\n<~ 不客气\n= case kind=aid_request\n= cases 2\n= handoff\n! status closed\n"
        let result = self.replayer.replay(try Transcript.parse(text, name: "t.txt"))
        #expect(result.failures.map(\.line) == [3, 4, 5, 6])
    }

    @Test func aReminderExpectationChecksTheDaySet() throws {
        let asked = "> 201310268509.X\n<~ 提醒我\n> 1\n<~ 已设置提醒\n"
        let right = self.replayer.replay(try Transcript.parse(asked + "= reminder 2027-05-30\n", name: "t.txt"))
        #expect(right.passed, "\(right.failures)")
        let wrong = self.replayer.replay(try Transcript.parse(asked + "= reminder 2027-05-31\n", name: "t.txt"))
        #expect(wrong.failures.map(\.message) == ["expected reminder '2027-05-31', got '2027-05-30'"])
        let none = self.replayer.replay(try Transcript.parse("> 谢谢\n<~ 不客气\n= reminder\n", name: "t.txt"))
        #expect(none.failures.map(\.line) == [3])
        let cancelled = self.replayer.replay(
            try Transcript.parse("> 取消提醒\n<~ 已取消\n= reminder cancelled\n", name: "t.txt"))
        #expect(cancelled.passed, "\(cancelled.failures)")
    }

    @Test func anUnexpectedReplyIsAFailure() throws {
        let result = self.replayer.replay(try Transcript.parse("> 你好\n", name: "t.txt"))
        #expect(result.failures.first?.message.hasPrefix("expected no reply") == true)
    }

    @Test func containsChecksPassAndFail() throws {
        let pass = self.replayer.replay(try Transcript.parse("> 谢谢\n<~ 不客气\n", name: "t.txt"))
        #expect(pass.passed)
        let fail = self.replayer.replay(try Transcript.parse("> 谢谢\n<~ 不存在的文字\n", name: "t.txt"))
        #expect(fail.failures.first?.message.contains("does not contain '不存在的文字'") == true)
    }

    @Test(arguments: [
        ("? 什么", 1, "a line starts with"),
        ("> [未知] x", 1, "unknown event [未知]"),
        ("> [菜单]", 1, "needs an intent id"),
        ("@ +3w", 1, "m (minutes), h (hours) or d (days)"),
        ("@ tomorrow", 1, "yyyy-MM-dd HH:mm"),
        ("# ok\n= case", 2, "at least one key=value"),
        ("= case kind", 1, "expected key=value"),
        ("= cases many", 1, "'= cases <number>'"),
        ("= nothing", 1, "unknown expectation"),
        ("! status lost", 1, "! status <"),
        ("<~", 1, "needs the text"),
    ])
    func malformedLinesAreRejectedWithTheirLine(text: String, line: Int, message: String) {
        #expect {
            _ = try Transcript.parse(text, name: "bad.txt")
        } throws: { error in
            guard let error = error as? TranscriptError else { return false }
            return error.line == line && error.message.contains(message)
                && error.description.hasPrefix("bad.txt:\(line): ")
        }
    }

    /// `! status concluded` and `! status closed` do what the desk does when staff end a case: the bot then waits for
    /// the applicant's rating of it. Other statuses, and a status that did not change, leave the conversation alone.
    @Test func anEndedCaseWaitsForTheApplicantsRating() {
        var conversation = Conversation(applicant: "user-a", updatedAt: CaseTransitionTests.now)
        let accepted = CaseTransitionTests.record(.aidRequest, .accepted)
        let acceptedWaits = conversation.caseMoved(accepted, from: .submitted)
        let unchangedWaits = conversation.caseMoved(
            CaseTransitionTests.record(.aidRequest, .concluded), from: .concluded)
        #expect(!acceptedWaits && !unchangedWaits)
        #expect(conversation.awaitingRating == nil)
        let closed = CaseTransitionTests.record(.complaint, .closed)
        let closedWaits = conversation.caseMoved(closed, from: .receiptReturned)
        #expect(closedWaits)
        #expect(conversation.awaitingRating == AwaitedRating(caseID: closed.id))
    }

    @Test func clockLinesMoveTime() throws {
        let transcript = try Transcript.parse("@ 2026-12-01 10:30\n@ +90m\n", name: "t.txt")
        guard case .setClock(let date) = transcript.steps[0].step,
            case .advanceClock(let seconds) = transcript.steps[1].step
        else {
            Issue.record("expected two clock steps")
            return
        }
        #expect(date == Date(timeIntervalSince1970: 1_796_092_200))
        #expect(seconds == 5400)
    }

    @Test func recordingFillsInTheBotAndKeepsLooseChecks() throws {
        let text = "# 记录\n> 谢谢\n< 旧的回复\n> 你好\n<~ 您好\n= cases 0"
        let recorded = try self.replayer.record(text, name: "t.txt")
        let lines = recorded.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "# 记录")
        #expect(lines[1] == "> 谢谢")
        #expect(lines[2] == "< " + TestBot.replies.render("thanks"))
        #expect(lines[3] == "> 你好")
        #expect(lines[4] == "<~ 您好")
        #expect(lines.last == "= cases 0")
        #expect(self.replayer.replay(try Transcript.parse(recorded, name: "t.txt")).passed)
    }
}
