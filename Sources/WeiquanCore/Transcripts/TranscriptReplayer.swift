import Foundation

/// One way a replayed transcript differed from what it expects.
public struct TranscriptFailure: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var line: Int
    public var message: String

    public var description: String { "\(self.name):\(self.line): \(self.message)" }
}

/// The outcome of replaying one transcript.
public struct TranscriptResult: Sendable {
    public var name: String
    public var failures: [TranscriptFailure]
    /// Messages sent by the applicant.
    public var messages: Int
    /// The bot's actual reply to each message, by the message's line number (nil: no reply).
    public var replies: [Int: String?]
    /// Cases filed during the replay, oldest first.
    public var cases: [CaseRecord]

    public var passed: Bool { self.failures.isEmpty }
}

/// Replays transcripts through a ``ConversationMachine`` with a scripted clock, sequential case ids and
/// cases kept in memory, and compares what the bot says and does with what the transcript expects.
public struct TranscriptReplayer: Sendable {
    public let machine: ConversationMachine
    /// The applicant id every transcript runs as.
    public static let applicant: ApplicantID = "transcript-applicant"

    /// The knowledge base the bot asks before it queues a question (the shipped seed, for the transcripts).
    public let knowledge: KnowledgeAnswers?

    public init(machine: ConversationMachine, knowledge: KnowledgeAnswers? = nil) {
        self.machine = machine
        self.knowledge = knowledge
    }

    /// Replays one transcript.
    public func replay(_ transcript: Transcript) -> TranscriptResult {
        var result = TranscriptResult(name: transcript.name, failures: [], messages: 0, replies: [:], cases: [])
        var now = Transcript.defaultStart
        var conversation = Conversation(applicant: Self.applicant, updatedAt: now)
        /// The handoff that owns the conversation (waiting or with staff), if any.
        var handoff: HandoffRecord?
        var handoffsOpened = 0
        var lastHandoff: HandoffRequest?
        var lastLeft: (kind: String, value: String)?
        var sequence: [String: Int] = [:]
        let steps = transcript.steps
        var index = 0
        func fail(_ line: Int, _ message: String) {
            result.failures.append(TranscriptFailure(name: transcript.name, line: line, message: message))
        }
        /// Compares `reply` with the `<` and `<~` lines that follow.
        func check(_ reply: String?, line: Int, sent: ConversationEvent?) {
            result.replies[line] = reply
            var exact: [String] = []
            var contains: [String] = []
            while index < steps.count {
                if case .reply(let text) = steps[index].step {
                    exact.append(text)
                } else if case .replyContains(let text) = steps[index].step {
                    contains.append(text)
                } else {
                    break
                }
                index += 1
            }
            if let problem = self.compare(reply: reply, exact: exact, contains: contains, sent: sent) {
                fail(line, problem)
            }
        }
        while index < steps.count {
            let (line, step) = steps[index]
            index += 1
            switch step {
            case .comment:
                break
            case .setClock(let date):
                now = date
            case .advanceClock(let seconds):
                now = now.addingTimeInterval(seconds)
            case .send(let event):
                result.messages += 1
                let day = self.dayKey(now)
                let next = (sequence[day] ?? 0) + 1
                // The applicant is alone: first in line whenever they wait.
                let context = ConversationContext(
                    now: now, applicant: Self.applicant, caseID: self.machine.caseID(filedAt: now, sequence: next),
                    cases: result.cases.reversed().map(\.summary), handoffID: HandoffID("H\(handoffsOpened + 1)"),
                    queuePosition: 1, knowledge: self.knowledge?.lookup
                )
                let outcome = self.machine.step(event, conversation: &conversation, handoff: handoff, context: context)
                if !outcome.filed.isEmpty { sequence[day] = next }
                result.cases += outcome.filed
                if outcome.opened != nil { handoffsOpened += 1 }
                handoff = [outcome.opened, outcome.handoff].compactMap { $0 }.first { $0.ownsConversation }
                lastHandoff = nil
                lastLeft = nil
                for effect in outcome.effects {
                    switch effect {
                    case .requestHandoff(let request, _): lastHandoff = request
                    case .leaveQuestion(_, let text): lastLeft = ("question", text)
                    case .requestCallback(_, let phone): lastLeft = ("callback", phone)
                    case .rateCase(let id, let score, let comment):
                        for index in result.cases.indices where result.cases[index].id == id {
                            try? result.cases[index].rate(score: score, comment: comment, at: now)
                        }
                    case .withdrawCase(let id):
                        for index in result.cases.indices where result.cases[index].id == id {
                            try? result.cases[index].apply(.withdraw, by: "applicant", at: now)
                        }
                    case .requestErasure: lastLeft = ("erasure", "")
                    case .scheduleReminder(let reminder): lastLeft = ("reminder", reminder.remindOn.description)
                    case .cancelReminders: lastLeft = ("reminder", "cancelled")
                    case .reply, .fileCase, .leaveQueue, .closeConversation, .replyToQuestion, .rateAnswer:
                        break
                    }
                }
                check(outcome.reply, line: line, sent: event)
            case .desk(let action):
                guard var owning = handoff else {
                    fail(line, "'! \(action.rawValue)' needs a conversation handed to the desk ('= handoff requested')")
                    continue
                }
                var message: String?
                switch action {
                case .release, .releaseFresh, .close:
                    message = self.machine.handBack(
                        &owning, conversation: &conversation, outcome: action == .close ? .closed : .released,
                        resume: action == .release, by: "transcript", now: now
                    )
                case .wait:
                    message = self.machine.offer(
                        .waitedTooLong, &owning, conversation: &conversation, position: 1, now: now)
                case .deskClosed:
                    message = self.machine.closeQueue(&owning, conversation: &conversation, now: now)
                }
                handoff = owning.ownsConversation ? owning : nil
                check(message, line: line, sent: nil)
            case .expectMessageLeft(let kind, let value):
                if let lastLeft, lastLeft.kind == kind {
                    if let value, lastLeft.value != value {
                        fail(line, "expected \(kind) '\(value)', got '\(lastLeft.value)'")
                    }
                } else {
                    fail(line, "expected the last message to leave a \(kind), but it did not")
                }
            case .reply, .replyContains:
                fail(line, "a bot line must follow a '>' line")
            case .expectCase(let expected):
                guard let record = result.cases.last else {
                    fail(line, "expected a filed case, but none was filed")
                    continue
                }
                for (key, value) in expected.sorted(by: { $0.key < $1.key }) {
                    let actual = Self.value(of: key, in: record)
                    if actual != value {
                        fail(line, "case \(record.id): expected \(key)=\(value), got \(key)=\(actual ?? "(absent)")")
                    }
                }
            case .expectCaseCount(let count):
                if result.cases.count != count {
                    fail(line, "expected \(count) case(s) filed, got \(result.cases.count)")
                }
            case .expectHandoff(let reason):
                if let lastHandoff {
                    if let reason, lastHandoff.reason.rawValue != reason {
                        fail(line, "expected a handoff for '\(reason)', got '\(lastHandoff.reason.rawValue)'")
                    }
                } else {
                    fail(line, "expected the last message to ask for a person, but it did not")
                }
            case .setStatus(let status):
                if result.cases.isEmpty {
                    fail(line, "'! status' needs a filed case")
                } else {
                    let last = result.cases.count - 1
                    let previous = result.cases[last].status
                    result.cases[last].status = status
                    // As when staff end a case through the desk: the bot waits for the applicant's rating.
                    conversation.caseMoved(result.cases[last], from: previous)
                }
            }
        }
        return result
    }

    /// The transcript's text with every exact bot line replaced by what the bot says now.
    ///
    /// Messages checked with `<~` keep their checks; everything else stays as written.
    public func record(_ text: String, name: String) throws -> String {
        let transcript = try Transcript.parse(text, name: name)
        let result = self.replay(transcript)
        var loose: Set<Int> = []
        var lastSend = 0
        for (line, step) in transcript.steps {
            switch step {
            case .send, .desk: lastSend = line
            default: break
            }
            if case .replyContains = step { loose.insert(lastSend) }
        }
        let exactLines = Set(
            transcript.steps.compactMap { line, step -> Int? in
                if case .reply = step { return line } else { return nil }
            })
        var output: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            if exactLines.contains(number) { continue }
            output.append(String(line))
            if let reply = result.replies[number], !loose.contains(number), let reply {
                output += reply.split(separator: "\n", omittingEmptySubsequences: false).map {
                    $0.isEmpty ? "<" : "< \($0)"
                }
            }
        }
        return output.joined(separator: "\n")
    }

    func compare(reply: String?, exact: [String], contains: [String], sent: ConversationEvent?) -> String? {
        if exact.isEmpty && contains.isEmpty {
            guard let reply else { return nil }
            return "expected no reply, got:\n"
                + reply.split(separator: "\n").map { "  + \($0)" }.joined(separator: "\n")
        }
        guard let reply else { return "expected a reply, got none" }
        if !exact.isEmpty {
            let actualLines = reply.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if actualLines != exact {
                return "the reply differs (- expected, + actual):\n" + Self.diff(exact, actualLines)
            }
        }
        for fragment in contains where !reply.contains(fragment) {
            return "the reply does not contain '\(fragment)'; it was:\n"
                + reply.split(separator: "\n").map { "  + \($0)" }.joined(separator: "\n")
        }
        return nil
    }

    /// A line diff (longest common subsequence), unchanged lines prefixed with two spaces.
    static func diff(_ expected: [String], _ actual: [String]) -> String {
        let n = expected.count
        let m = actual.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = expected[i] == actual[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var lines: [String] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, expected[i] == actual[j] {
                lines.append("    \(expected[i])")
                i += 1
                j += 1
            } else if j < m, i == n || table[i][j + 1] >= table[i + 1][j] {
                lines.append("  + \(actual[j])")
                j += 1
            } else {
                lines.append("  - \(expected[i])")
                i += 1
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A case value by transcript key: kind, status, unit, id, consent (notice version), attachments
    /// (count), rating (the score) and rating_comment, or any field id.
    static func value(of key: String, in record: CaseRecord) -> String? {
        switch key {
        case "rating": record.rating.map { String($0.score) }
        case "rating_comment": record.rating?.comment
        case "kind": record.kind.rawValue
        case "status": record.status.rawValue
        case "unit": record.unit?.rawValue
        case "id": record.id.rawValue
        case "consent": record.consent?.noticeVersion ?? "none"
        case "attachments": String(record.attachments.count)
        default: record.fields[key]
        }
    }

    func dayKey(_ date: Date) -> String { self.machine.dayString(date) }
}
