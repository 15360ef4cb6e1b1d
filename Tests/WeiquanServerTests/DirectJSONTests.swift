import Foundation
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore
import WeiquanTestSupport

/// What every message writes is written directly (`Conversation+DirectJSON.swift`), not through `Encodable`: the
/// bytes must stay Foundation's (`StoreCoding.encoder`), for every shape the documents take, and a field added to
/// one of the types must fail here until its writer writes it.
@Suite struct DirectJSONTests {
    /// Expects the document's own `storeJSON()` to write Foundation's bytes.
    func expectFoundationBytes<D: StoredDocument>(
        _ document: D, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let direct = try document.storeJSON()
        let foundation = try StoreCoding.encoder.encode(document)
        #expect(
            direct == foundation,
            "direct: \(String(decoding: direct, as: UTF8.self))\nFoundation: \(String(decoding: foundation, as: UTF8.self))",
            sourceLocation: sourceLocation)
    }

    /// The stored properties of `value`'s type, by name.
    func fields(of value: Any) -> Set<String> {
        Set(Mirror(reflecting: value).children.compactMap(\.label))
    }

    static let at = Date(timeIntervalSince1970: 1_795_222_800.25)
    /// Strings that need every kind of escape, and none.
    static let texts = [
        "", "plain", "南宁某某科技有限公司", "引号\"与反斜杠\\", "换行\n回车\r制表\t", "\u{8}\u{c}\u{1}\u{1f}\u{7f}",
        "https://example.org/a/b", "😀 emoji", "staff:desk-1",
    ]
    /// Dates at the edges of the store's date text: milliseconds rounded, before 1970, beyond the civil arithmetic.
    static let dates = [
        at, Date(timeIntervalSince1970: -0.0005), Date(timeIntervalSince1970: 0.0015),
        Date(timeIntervalSinceReferenceDate: -13_000_000_000), Date(timeIntervalSinceReferenceDate: 300_000_000_000),
    ]

    /// The main menu's choices, as the machine offers them.
    static let mainMenu: [Choice] = {
        var state = ConversationState()
        let context = ConversationContext(now: at, applicant: "o6_menu", caseID: "WQ202611210001")
        _ = TestServer.data.makeMachine().handle(.text("菜单"), state: &state, context: context)
        return state.choices
    }()

    /// A reminder with values whose keys need sorting and escaping.
    static func reminder(_ text: String) -> Reminder {
        var reminder = Reminder(
            number: "201310268509.X", kind: .patent, subject: .annualFee,
            remindOn: CalendarDay(year: 2027, month: 6, day: 1)!, deadline: CalendarDay(year: 2027, month: 7, day: 1)!,
            values: ["year": "11", "amount": text, "due": "2027年7月1日", "grace_end": text, "é": text, "Z": "1"])
        reminder.applicant = ApplicantID(text)
        return reminder
    }

    /// One choice of every case (27), with `text` where a case carries a string.
    static func choices(_ text: String) -> [Choice] {
        [
            .intent(IntentID("aid_request")), .faqMenu, .mainMenu, .option(text), .skipField, .talkToHuman,
            .continueForm, .submit, .editMenu, .editField(text), .confirmCancel, .acceptNumber(text), .reenterNumber,
            .leaveQuestion, .requestCallback, .keepWaiting, .leaveQueue, .confirmWithdrawal("WQ202611210007"),
            .confirmErasure, .leaveQuestionAbout(text), .submitQuestion(text), .rewriteQuestion,
            .knowledgeHelped(text), .knowledgeDidNotHelp(text), .askStaff, .remindMe(Self.reminder(text)),
            .cancelReminder(text),
        ]
    }

    @Test func choicesOfEveryCaseAreWrittenAsFoundationWritesThem() throws {
        for text in Self.texts {
            let choices = Self.choices(text)
            #expect(choices.count == 27)
            // Each alone, and all of them in one list (a list of one is not the main menu's).
            for choice in choices + [nil] {
                var state = ConversationState()
                state.choices = choice.map { [$0] } ?? choices
                try self.expectFoundationBytes(Conversation(applicant: "o6_c", state: state, updatedAt: Self.at))
            }
        }
        // The offer a legal-status answer leaves, as the machine leaves it.
        var state = ConversationState()
        let context = ConversationContext(now: Self.at, applicant: "o6_status", caseID: "WQ202611210001")
        _ = TestServer.data.makeMachine().handle(.text("查询专利201310268509.X的法律状态"), state: &state, context: context)
        #expect(state.choices.contains { if case .remindMe = $0 { true } else { false } })
        try self.expectFoundationBytes(Conversation(applicant: "o6_status", state: state, updatedAt: Self.at))
    }

    @Test func theTypesHaveTheFieldsTheirWritersWrite() throws {
        // A new field fails here: write it in Conversation+DirectJSON.swift (or leave it out there, as `recent` is,
        // if `encode(to:)` leaves it out), then add it to the list.
        let conversation = Conversation(applicant: "o6_a", updatedAt: Self.at)
        #expect(
            self.fields(of: conversation) == [
                "schemaVersion", "applicant", "state", "updatedAt", "owner", "handoffID", "recent", "closed",
                "awaitingRating", "session", "questionWait",
            ])
        #expect(
            self.fields(of: ConversationState()) == [
                "phase", "choices", "consecutiveFallbacks", "lastActivity", "urgent",
            ])
        #expect(
            self.fields(of: FormProgress(kind: .aidRequest, current: nil)) == [
                "kind", "values", "current", "history", "invalidAttempts", "editing", "attachments", "consent",
                "pendingNumber",
            ])
        #expect(
            self.fields(of: ConsentRecord(noticeVersion: "2026-11", acceptedAt: Self.at)) == [
                "noticeVersion", "acceptedAt",
            ])
        #expect(
            self.fields(of: ConversationSession(id: "s", startedAt: Self.at)) == [
                "schemaVersion", "id", "startedAt", "handedOff",
            ])
        #expect(
            self.fields(of: Self.reminder("x")) == [
                "applicant", "number", "kind", "subject", "remindOn", "deadline", "textKey", "values",
            ])
        #expect(
            self.fields(of: RetryRecord(id: "msg:1", reply: nil, handledAt: Self.at)) == [
                "schemaVersion", "id", "reply", "handledAt",
            ])
    }

    @Test func conversationsOfEveryShapeAreWrittenAsFoundationWritesThem() throws {
        #expect(Self.mainMenu.count > 1)
        var random = SeededGenerator(seed: 15)
        func text() -> String { Self.texts[random.next(below: Self.texts.count)] }
        func date() -> Date { Self.dates[random.next(below: Self.dates.count)] }
        func form() -> FormProgress {
            let current = random.next(below: 4) == 0 ? nil : text()
            var form = FormProgress(
                kind: FormKind.allCases[random.next(below: FormKind.allCases.count)], current: current)
            // Keys from every part of UTF-8's order (capitals and `_` before lowercase; two-, three- and four-byte
            // characters) and every escape.
            let keys = ["name", "region", "Z", "_x", "é", "ｅ", "😀", "\u{1}"] + Self.texts
            for _ in 0..<random.next(below: 5) { form.values[keys[random.next(below: keys.count)]] = text() }
            form.history = random.next(below: 3) == 0 ? [] : [text(), text()]
            form.invalidAttempts = random.next(below: 3)
            form.editing = random.next(below: 2) == 0
            form.attachments = random.next(below: 2) == 0 ? [] : [text()]
            form.consent = random.next(below: 3) == 0 ? nil : ConsentRecord(noticeVersion: text(), acceptedAt: date())
            form.pendingNumber = random.next(below: 3) == 0 ? text() : nil
            return form
        }
        func phase() -> ConversationState.Phase {
            switch random.next(below: 7) {
            case 0: .idle
            case 1, 6: .form(form())
            case 2: .confirmingCancel(form())
            case 3: .awaitingNumber(attempts: random.next(below: 3))
            case 4: .leavingQuestion(HandoffRequest(reason: .requested, form: nil, unit: "nanning", urgent: [text()]))
            default: .awaitingCallbackNumber(HandoffRequest(reason: .notUnderstood, form: form()), attempts: 1)
            }
        }
        var written = 0
        for _ in 0..<600 {
            var state = ConversationState()
            state.phase = phase()
            switch random.next(below: 3) {
            case 0: state.choices = Self.mainMenu
            case 1:
                state.choices = [.option(text()), .intent(IntentID("human")), .talkToHuman]
                state.choices += (0..<random.next(below: 4)).map { _ in Self.choices(text())[random.next(below: 27)] }
            default: state.choices = []
            }
            state.consecutiveFallbacks = random.next(below: 3)
            state.lastActivity = random.next(below: 4) == 0 ? nil : date()
            state.urgent = random.next(below: 2) == 0 ? [] : [text(), text()]
            var conversation = Conversation(applicant: ApplicantID(text()), state: state, updatedAt: date())
            switch random.next(below: 3) {
            case 0: conversation.owner = .bot
            case 1: conversation.hand(to: .queue, through: HandoffID(text()))
            default: conversation.hand(to: .staff(text()), through: "H000001")
            }
            conversation.closed = random.next(below: 2) == 0
            conversation.awaitingRating =
                random.next(below: 2) == 0 ? nil : AwaitedRating(caseID: "WQ202611210001", reminded: true)
            conversation.session =
                random.next(below: 4) == 0
                ? nil : ConversationSession(id: text(), startedAt: date(), handedOff: random.next(below: 2) == 0)
            conversation.questionWait =
                switch random.next(below: 3) {
                case 0: nil
                case 1: QuestionWait(question: QuestionID(sequence: 7), kind: .rating)
                default: QuestionWait(question: QuestionID(sequence: 8), kind: .reply(until: date()))
                }
            // Recent messages stay in memory: the bytes must not change with them.
            if random.next(below: 2) == 0 { conversation.remember(text(), at: date()) }
            try self.expectFoundationBytes(conversation)
            written += 1
        }
        #expect(written == 600)
    }

    @Test func retryRecordsAndSessions() throws {
        for reply in Self.texts.map(Optional.some) + [nil] {
            for date in Self.dates {
                try self.expectFoundationBytes(
                    RetryRecord(id: "msg:\(reply?.count ?? -1)", reply: reply, handledAt: date))
            }
        }
        for id in Self.texts {
            try self.expectFoundationBytes(ConversationSession(id: id, startedAt: Self.at, handedOff: true))
            try self.expectFoundationBytes(ConversationSession(id: id, startedAt: Self.dates[3]))
        }
    }

    @Test func aPutChangeCarriesTheDirectBytesThroughTheStore() async throws {
        var conversation = Conversation(applicant: "o6_put", updatedAt: Self.at)
        conversation.state.urgent = ["传票\n\"3天内\""]
        conversation.session = ConversationSession(id: "s-put", startedAt: Self.at)
        let change = try DocumentChange.put(conversation)
        #expect(change.json == (try StoreCoding.encoder.encode(conversation)))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("direct-json-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let store = try await FileDocumentStore.open(directory: directory)
            try await store.write([change, try .put(RetryRecord(id: "msg:put", reply: "您好\n", handledAt: Self.at))])
            try await store.close()
        }
        let reopened = try await FileDocumentStore.open(directory: directory)
        #expect(try await reopened.get(Conversation.self, id: "o6_put") == conversation)
        #expect(try await reopened.get(RetryRecord.self, id: "msg:put")?.reply == "您好\n")
        try await reopened.close()
    }

    @Test func aRareValueGoesThroughTheStoresEncoderOrFoundations() throws {
        var writer = DirectJSONWriter()
        try writer.object { writer in
            writer.key("a")
            try writer.encoded(Data([1, 2, 3]))  // the store's encoder leaves Data to Foundation
            writer.key("b")
            try writer.encoded(["y": 1, "x": 2])
            writer.key("c")
            writer.strings([])
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"a":"AQID","b":{"x":2,"y":1},"c":[]}"#)
    }

    #if DEBUG
    @Test func keysOutOfOrderStopADebugBuild() async {
        await #expect(processExitsWith: .failure) {
            var writer = DirectJSONWriter()
            writer.object { writer in
                writer.key("b")
                writer.integer(1)
                writer.key("a")
                writer.integer(2)
            }
        }
    }
    #endif
}
