import Foundation
import WeiquanCore
import WeiquanStore

// What every message writes, written directly (`DirectJSONWriter`): the applicant's conversation (with its state,
// its choices, an open form and the session) and the message's retry record. Each writer writes the keys its
// type's `encode(to:)` writes, in UTF-8 order, and leaves out what that leaves out; the rare parts (a rating
// awaited, a question's wait, a message being left for staff) go through the store's encoder. `DirectJSONTests`
// holds every writer to Foundation's bytes and to its type's stored properties: a field added to one of these
// types fails there until it is written here (a case added to `Choice` fails to compile here).

extension Conversation {
    /// The conversation's JSON, as `StoreCoding.encode` writes it.
    public func storeJSON() throws -> Data {
        try DirectJSONWriter.object { try self.write(into: &$0) }
    }

    /// The members `encode(to:)` writes. `recent` stays in memory.
    func write(into writer: inout DirectJSONWriter) throws {
        if let awaitingRating = self.awaitingRating {
            writer.key("awaiting_rating")
            try writer.encoded(awaitingRating)
        }
        if self.closed {
            writer.key("closed")
            writer.bool(true)
        }
        if let handoffID = self.handoffID {
            writer.key("handoff_id")
            writer.string(handoffID.rawValue)
        }
        writer.key("id")
        writer.string(self.applicant.rawValue)
        writer.key("owner")
        writer.string(self.owner.description)
        if let questionWait = self.questionWait {
            writer.key("question_wait")
            try writer.encoded(questionWait)
        }
        writer.key("schema_version")
        writer.integer(self.schemaVersion)
        if let session = self.session {
            writer.key("session")
            writer.object { session.write(into: &$0) }
        }
        writer.key("state")
        try writer.object { try self.state.write(into: &$0) }
        writer.key("updated_at")
        writer.date(self.updatedAt)
    }
}

extension ConversationState {
    /// The members `encode(to:)` writes.
    func write(into writer: inout DirectJSONWriter) throws {
        // The main menu's choices are the flag "menu", which sorts after "fallbacks" and "last_activity".
        let mainMenu = self.choicesAreMainMenu
        if !mainMenu, !self.choices.isEmpty {
            writer.key("choices")
            writer.array(self.choices) { writer, choice in choice.write(into: &writer) }
        }
        if self.consecutiveFallbacks != 0 {
            writer.key("fallbacks")
            writer.integer(self.consecutiveFallbacks)
        }
        if let lastActivity = self.lastActivity {
            writer.key("last_activity")
            writer.date(lastActivity)
        }
        if mainMenu {
            writer.key("menu")
            writer.bool(true)
        }
        if self.phase != .idle {
            writer.key("phase")
            try self.phase.write(into: &writer)
        }
        if !self.urgent.isEmpty {
            writer.key("urgent")
            writer.strings(self.urgent)
        }
    }
}

extension Choice {
    /// The choice as its synthesized `encode(to:)` writes it: `{"<case>":{}}`, or `{"<case>":{"_0":<value>}}` for a
    /// case with one unlabelled value. (A legal-status answer leaves its reminder offer among the choices.)
    func write(into writer: inout DirectJSONWriter) {
        switch self {
        case .intent(let intent): Self.write("intent", string: intent.rawValue, into: &writer)
        case .faqMenu: Self.write("faqMenu", into: &writer)
        case .mainMenu: Self.write("mainMenu", into: &writer)
        case .option(let option): Self.write("option", string: option, into: &writer)
        case .skipField: Self.write("skipField", into: &writer)
        case .talkToHuman: Self.write("talkToHuman", into: &writer)
        case .continueForm: Self.write("continueForm", into: &writer)
        case .submit: Self.write("submit", into: &writer)
        case .editMenu: Self.write("editMenu", into: &writer)
        case .editField(let field): Self.write("editField", string: field, into: &writer)
        case .confirmCancel: Self.write("confirmCancel", into: &writer)
        case .acceptNumber(let number): Self.write("acceptNumber", string: number, into: &writer)
        case .reenterNumber: Self.write("reenterNumber", into: &writer)
        case .leaveQuestion: Self.write("leaveQuestion", into: &writer)
        case .requestCallback: Self.write("requestCallback", into: &writer)
        case .keepWaiting: Self.write("keepWaiting", into: &writer)
        case .leaveQueue: Self.write("leaveQueue", into: &writer)
        case .confirmWithdrawal(let caseID): Self.write("confirmWithdrawal", string: caseID.rawValue, into: &writer)
        case .confirmErasure: Self.write("confirmErasure", into: &writer)
        case .leaveQuestionAbout(let text): Self.write("leaveQuestionAbout", string: text, into: &writer)
        case .submitQuestion(let text): Self.write("submitQuestion", string: text, into: &writer)
        case .rewriteQuestion: Self.write("rewriteQuestion", into: &writer)
        case .knowledgeHelped(let entry): Self.write("knowledgeHelped", string: entry, into: &writer)
        case .knowledgeDidNotHelp(let entry): Self.write("knowledgeDidNotHelp", string: entry, into: &writer)
        case .askStaff: Self.write("askStaff", into: &writer)
        case .remindMe(let reminder):
            writer.object { writer in
                writer.key("remindMe")
                writer.object { writer in
                    writer.key("_0")
                    writer.object { reminder.write(into: &$0) }
                }
            }
        case .cancelReminder(let id): Self.write("cancelReminder", string: id, into: &writer)
        }
    }

    /// `{"<name>":{}}`: a case without values.
    private static func write(_ name: StaticString, into writer: inout DirectJSONWriter) {
        writer.object { writer in
            writer.key(name)
            writer.object { _ in }
        }
    }

    /// `{"<name>":{"_0":"<value>"}}`: a case whose one, unlabelled value is written as a string.
    private static func write(_ name: StaticString, string value: String, into writer: inout DirectJSONWriter) {
        writer.object { writer in
            writer.key(name)
            writer.object { writer in
                writer.key("_0")
                writer.string(value)
            }
        }
    }
}

extension Reminder {
    /// The members `encode(to:)` writes, under its coding keys.
    func write(into writer: inout DirectJSONWriter) {
        writer.key("applicant")
        writer.string(self.applicant.rawValue)
        writer.key("deadline")
        writer.string(self.deadline.description)
        writer.key("kind")
        writer.string(self.kind.rawValue)
        writer.key("number")
        writer.string(self.number)
        writer.key("remind_on")
        writer.string(self.remindOn.description)
        writer.key("subject")
        writer.string(self.subject.rawValue)
        writer.key("text_key")
        writer.string(self.textKey)
        writer.key("values")
        writer.strings(self.values)
    }
}

extension ConversationState.Phase {
    /// The phase as its synthesized `encode(to:)` writes it: the case's name, then its values under their labels
    /// (`_0` for an unlabelled one). Never called for `.idle`, which the state leaves out.
    func write(into writer: inout DirectJSONWriter) throws {
        switch self {
        case .form(let progress):
            Self.write(progress, in: "form", into: &writer)
        case .confirmingCancel(let progress):
            Self.write(progress, in: "confirmingCancel", into: &writer)
        case .awaitingNumber(let attempts):
            writer.object { writer in
                writer.key("awaitingNumber")
                writer.object { writer in
                    writer.key("attempts")
                    writer.integer(attempts)
                }
            }
        case .idle, .leavingQuestion, .awaitingCallbackNumber:
            try writer.encoded(self)
        }
    }

    /// `{"<name>":{"_0":<form>}}`: a case whose one, unlabelled value is a form.
    private static func write(_ progress: FormProgress, in name: StaticString, into writer: inout DirectJSONWriter) {
        writer.object { writer in
            writer.key(name)
            writer.object { writer in
                writer.key("_0")
                writer.object { progress.write(into: &$0) }
            }
        }
    }
}

extension FormProgress {
    /// The members the synthesized `encode(to:)` writes (an optional one only when it has a value).
    func write(into writer: inout DirectJSONWriter) {
        writer.key("attachments")
        writer.strings(self.attachments)
        if let consent = self.consent {
            writer.key("consent")
            writer.object { writer in
                writer.key("accepted_at")
                writer.date(consent.acceptedAt)
                writer.key("notice_version")
                writer.string(consent.noticeVersion)
            }
        }
        if let current = self.current {
            writer.key("current")
            writer.string(current)
        }
        writer.key("editing")
        writer.bool(self.editing)
        writer.key("history")
        writer.strings(self.history)
        writer.key("invalid_attempts")
        writer.integer(self.invalidAttempts)
        writer.key("kind")
        writer.string(self.kind.rawValue)
        if let pendingNumber = self.pendingNumber {
            writer.key("pending_number")
            writer.string(pendingNumber)
        }
        writer.key("values")
        writer.strings(self.values)
    }
}

extension ConversationSession {
    /// The session's JSON, as `StoreCoding.encode` writes it (a new visit writes it in the `sessions` collection too).
    public func storeJSON() throws -> Data {
        DirectJSONWriter.object(capacity: 128) { self.write(into: &$0) }
    }

    /// The members the synthesized `encode(to:)` writes.
    func write(into writer: inout DirectJSONWriter) {
        writer.key("handed_off")
        writer.bool(self.handedOff)
        writer.key("id")
        writer.string(self.id)
        writer.key("schema_version")
        writer.integer(self.schemaVersion)
        writer.key("started_at")
        writer.date(self.startedAt)
    }
}

extension RetryRecord {
    /// The record's JSON, as `StoreCoding.encode` writes it.
    public func storeJSON() throws -> Data {
        DirectJSONWriter.object(capacity: 128 + (self.reply?.utf8.count ?? 0)) { writer in
            writer.key("handled_at")
            writer.date(self.handledAt)
            writer.key("id")
            writer.string(self.id)
            if let reply = self.reply {
                writer.key("reply")
                writer.string(reply)
            }
            writer.key("schema_version")
            writer.integer(self.schemaVersion)
        }
    }
}
