import Foundation
import WeiquanCore
import WeiquanStore

/// A staff member's practice conversation with the bot ("try the bot"): kept in the store under their token's name,
/// so that it carries on whichever instance answers, and apart from every applicant's.
///
/// What the practice "filed" is kept here only, as `weiquan chat` keeps it in memory: the cases (so that progress
/// questions find them) and the handoff that owns the conversation while it "waits for a person". Nothing of it is a
/// case, handoff or question of the desk.
public struct PracticeConversation: StoredDocument, Equatable {
    public static var collection: String { "practice" }
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// The token name of the staff member practising.
    public var id: String
    public var conversation: Conversation
    /// The practice handoff that owns the conversation (the bot does not), if any.
    public var handoff: HandoffRecord?
    /// The cases the practice filed, oldest first.
    public var cases: [CaseRecord]
    /// How many handoffs and questions the practice opened (their ids: `P1`, `P2` …).
    public var handoffsOpened: Int
    public var questionsLeft: Int
    /// What was said, oldest first, at most ``transcriptLimit`` lines: for the page to show again after a reload.
    public var transcript: [Line]

    /// One line of the practice transcript.
    public struct Line: Codable, Sendable, Equatable {
        /// `applicant` (the staff member playing one), `bot`, or `note` (what the service would have done).
        public var from: String
        public var text: String
        public var at: Date
    }

    /// The most lines kept.
    public static let transcriptLimit = 60

    /// Adds lines, dropping the oldest past ``transcriptLimit``.
    mutating func record(_ from: String, _ texts: [String], at now: Date) {
        self.transcript += texts.map { Line(from: from, text: $0, at: now) }
        if self.transcript.count > Self.transcriptLimit {
            self.transcript.removeFirst(self.transcript.count - Self.transcriptLimit)
        }
    }

    public var documentID: String { self.id }

    /// A fresh practice conversation of `name`, as an applicant who never wrote.
    public init(name: String, at now: Date) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = name
        self.conversation = Conversation(applicant: Self.applicant(of: name), updatedAt: now)
        self.handoff = nil
        self.cases = []
        self.handoffsOpened = 0
        self.questionsLeft = 0
        self.transcript = []
    }

    /// The made-up applicant a staff member plays: `practice:` and their token's name (never a WeChat OpenID).
    public static func applicant(of name: String) -> ApplicantID {
        ApplicantID("practice:" + name)
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, conversation, handoff, cases, transcript
        case handoffsOpened = "handoffs_opened"
        case questionsLeft = "questions_left"
    }
}
