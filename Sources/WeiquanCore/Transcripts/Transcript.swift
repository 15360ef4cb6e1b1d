import Foundation

/// A conversation written down as plain text: what the applicant sends, what the bot must answer,
/// and what must have happened (a case filed, a handoff requested).
///
/// The format, one line each (blank lines are ignored):
/// ```
/// # A comment. The first comment is the transcript's title.
/// @ 2026-11-21 09:00        the clock (Asia/Shanghai); "@ +25h", "@ +30m", "@ +2d" move it on
/// > 我要申请维权援助          the applicant sends a text
/// > [图片] media-id          other events: [图片]/[视频]/[文件] ref, [位置] label, [语音],
///                            [关注], [取消关注], [菜单] intent-id
/// < 好的，我来协助您……        the bot's reply, line by line ("<" alone is an empty line)
/// <~ 案件编号                  the reply contains this text (instead of the exact lines)
/// = case kind=aid_request phone=13800138000   the last filed case has these values (also `rating=4`, the
///                            applicant's score, and `rating_comment=…`)
/// = cases 1                  so many cases were filed in all
/// = handoff requested        the last message asked for a person (reason optional)
/// = callback 13800138000     the last message left a number to call back (the number optional)
/// = question                 the last message left a question for staff
/// = erasure                  the last message asked for the applicant's personal data to be deleted
/// = reminder 2027-05-30      the last message set a reminder for that day (the day optional); `= reminder
///                            cancelled`: it cancelled reminders (the server sends them, not the transcript)
/// ! status accepted          staff moved the last filed case to this status; `concluded` and `closed` also make
///                            the bot wait for the applicant's rating of it, as the desk does (the notice that
///                            asks for it goes out through the outbox and is not part of the transcript)
/// ! release                  staff hand the conversation back (the form resumes); `! release fresh` starts
///                            afresh, `! close` closes it; `! wait` and `! desk closed` are the notices of a
///                            long wait and of the desk closing. `<` lines after them are the bot's message.
/// ```
/// After `= handoff`, messages are answered as the queue answers them (the applicant is first in line).
/// A message with no `<` or `<~` line after it must get no reply.
public struct Transcript: Sendable, Equatable {
    /// One line of a transcript, with its line number for error messages.
    public enum Step: Sendable, Equatable {
        case setClock(Date)
        case advanceClock(TimeInterval)
        case send(ConversationEvent)
        case reply(String)
        case replyContains(String)
        case expectCase([String: String])
        case expectCaseCount(Int)
        case expectHandoff(String?)
        case expectMessageLeft(kind: String, value: String?)
        case setStatus(CaseStatus)
        case desk(DeskAction)
        case comment(String)
    }

    /// What staff (or the desk's timers) do in a transcript, with `!`.
    public enum DeskAction: String, Sendable, Equatable {
        case release
        case releaseFresh = "release fresh"
        case close
        case wait
        case deskClosed = "desk closed"
    }

    public var name: String
    public var steps: [(line: Int, step: Step)]

    public init(name: String, steps: [(line: Int, step: Step)]) {
        self.name = name
        self.steps = steps
    }

    public static func == (lhs: Transcript, rhs: Transcript) -> Bool {
        lhs.name == rhs.name && lhs.steps.map(\.line) == rhs.steps.map(\.line)
            && lhs.steps.map(\.step) == rhs.steps.map(\.step)
    }

    /// The title: the first comment, else the name.
    public var title: String {
        for (_, step) in self.steps { if case .comment(let text) = step { return text } }
        return self.name
    }
}

/// A line of a transcript that could not be read.
public struct TranscriptError: Error, CustomStringConvertible, Sendable, Equatable {
    public var name: String
    public var line: Int
    public var message: String

    public var description: String { "\(self.name):\(self.line): \(self.message)" }
}

extension Transcript {
    /// The start of every transcript's clock unless it sets its own: 2026-11-21 09:00 in Shanghai.
    public static let defaultStart = Date(timeIntervalSince1970: 1_795_222_800)

    /// Reads a transcript.
    /// - Parameters:
    ///   - text: The transcript's text.
    ///   - name: Its name in messages (usually the file name).
    public static func parse(_ text: String, name: String) throws -> Transcript {
        var steps: [(line: Int, step: Step)] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = String(rawLine).trimmingWhitespace()
            if line.isEmpty { continue }
            func fail(_ message: String) -> TranscriptError {
                TranscriptError(name: name, line: lineNumber, message: message)
            }
            let (marker, rest) = Self.split(line)
            switch marker {
            case "#": steps.append((lineNumber, .comment(rest)))
            case ">": steps.append((lineNumber, .send(try Self.event(rest, fail: fail))))
            case "<": steps.append((lineNumber, .reply(rest)))
            case "<~":
                guard !rest.isEmpty else { throw fail("'<~' needs the text the reply must contain") }
                steps.append((lineNumber, .replyContains(rest)))
            case "@": steps.append((lineNumber, try Self.clock(rest, fail: fail)))
            case "=": steps.append((lineNumber, try Self.expectation(rest, fail: fail)))
            case "!":
                if let action = DeskAction(rawValue: rest) {
                    steps.append((lineNumber, .desk(action)))
                    continue
                }
                let words = rest.split(separator: " ").map(String.init)
                guard words.count == 2, words[0] == "status", let status = CaseStatus(rawValue: words[1]) else {
                    throw fail(
                        "expected '! status <\(CaseStatus.allCases.map(\.rawValue).joined(separator: "|"))>', '! release', "
                            + "'! release fresh', '! close', '! wait' or '! desk closed'"
                    )
                }
                steps.append((lineNumber, .setStatus(status)))
            default:
                throw fail("a line starts with #, >, <, <~, @, = or !")
            }
        }
        return Transcript(name: name, steps: steps)
    }

    private static func split(_ line: String) -> (String, String) {
        for marker in ["<~", "#", ">", "<", "@", "=", "!"] where line.hasPrefix(marker) {
            return (marker, String(line.dropFirst(marker.count)).trimmingWhitespace())
        }
        return ("", line)
    }

    private static let mediaKinds: [String: String] = ["图片": "image", "视频": "video", "文件": "file", "链接": "link"]

    private static func event(_ text: String, fail: (String) -> TranscriptError) throws -> ConversationEvent {
        guard text.hasPrefix("["), let close = text.firstIndex(of: "]") else { return .text(text) }
        let tag = String(text[text.index(after: text.startIndex)..<close])
        let argument = String(text[text.index(after: close)...]).trimmingWhitespace()
        if let kind = self.mediaKinds[tag] {
            return .media(kind: kind, reference: argument.isEmpty ? "media" : argument)
        }
        switch tag {
        case "位置": return .location(label: argument.isEmpty ? nil : argument)
        case "语音": return argument.isEmpty ? .voiceWithoutText : .text(argument)
        case "关注": return .subscribed
        case "取消关注": return .unsubscribed
        case "菜单":
            guard !argument.isEmpty else { throw fail("'[菜单]' needs an intent id, e.g. '> [菜单] aid_request'") }
            return .command(IntentID(argument))
        default:
            throw fail("unknown event [\(tag)]: use 图片, 视频, 文件, 链接, 位置, 语音, 关注, 取消关注 or 菜单")
        }
    }

    private static func clock(_ text: String, fail: (String) -> TranscriptError) throws -> Step {
        if text.hasPrefix("+") {
            let amount = text.dropFirst()
            guard let unit = amount.last, let value = Double(amount.dropLast()), value >= 0 else {
                throw fail("expected '@ +<number><m|h|d>', e.g. '@ +25h'")
            }
            let seconds: Double
            switch unit {
            case "m": seconds = 60
            case "h": seconds = 3600
            case "d": seconds = 86400
            default: throw fail("the clock moves in m (minutes), h (hours) or d (days)")
            }
            return .advanceClock(value * seconds)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        guard let date = formatter.date(from: text) else { throw fail("expected '@ yyyy-MM-dd HH:mm' or '@ +25h'") }
        return .setClock(date)
    }

    private static func expectation(_ text: String, fail: (String) -> TranscriptError) throws -> Step {
        var words = text.split(separator: " ").map(String.init)
        guard !words.isEmpty else { throw fail("expected 'case …', 'cases N' or 'handoff'") }
        let head = words.removeFirst()
        switch head {
        case "case":
            var values: [String: String] = [:]
            for word in words {
                guard let equals = word.firstIndex(of: "=") else { throw fail("expected key=value, got '\(word)'") }
                values[String(word[..<equals])] = String(word[word.index(after: equals)...])
            }
            guard !values.isEmpty else { throw fail("'= case' needs at least one key=value") }
            return .expectCase(values)
        case "cases":
            guard words.count == 1, let count = Int(words[0]) else { throw fail("expected '= cases <number>'") }
            return .expectCaseCount(count)
        case "handoff":
            return .expectHandoff(words.first)
        case "callback", "question", "erasure", "reminder":
            return .expectMessageLeft(kind: head, value: words.first)
        default:
            throw fail(
                "unknown expectation '\(head)': use case, cases, handoff, callback, question, erasure or reminder")
        }
    }
}
