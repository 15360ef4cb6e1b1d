import Foundation

/// The conversation as a pure reducer: `(event, state, context) -> effects`.
///
/// It guides an applicant through the menu, the aid-request and complaint forms, legal-status queries,
/// case progress and frequently asked questions. It performs nothing itself: replies, filed cases and
/// handoffs come back as ``ConversationEffect`` values, which ``step(_:conversation:handoff:context:)`` — the
/// one entry point, deciding by the conversation's owner — interprets into a ``ConversationStep``.
///
/// ```swift
/// var conversation = Conversation(applicant: "o6_…", updatedAt: now)
/// let step = machine.step(.text("我要申请维权援助"), conversation: &conversation, handoff: nil, context: context)
/// // step.reply, step.filed, step.opened, step.audits: what the service writes and sends
/// ```
public struct ConversationMachine: Sendable {
    public let understander: MessageUnderstander
    public let catalogue: IntentCatalogue
    public let replies: ReplyBook
    public let configuration: CentreConfiguration
    public let registry: any LegalStatusRegistry
    /// The centre's calendar (Asia/Shanghai): days, years and deadlines are counted in it.
    package let calendar: Calendar
    let vocabulary: Vocabulary
    /// Hides personal data in what volunteers see (labels from `redaction.label.*`).
    public let redactor: Redactor
    let urgency: UrgencyDetector
    /// The main menu as ``showMenu(_:turn:)`` says it, worked out once: it ends many replies.
    let mainMenuText: String
    /// The normalised `words.cancel_reminder`, looked up once: every message is asked whether it is one of them.
    let cancelReminderWords: [String]

    /// The intents of the main menu, in the order they are numbered.
    static let menu: [Choice] = [
        .intent(.aidRequest), .intent(.complaint), .intent(.legalStatus), .intent(.caseProgress), .faqMenu,
        .intent(.human),
    ]
    /// Intents that act as global commands inside a form or a query.
    static let commands: Set<IntentID> = [.cancel, .back, .help, .human, .faqMenu]

    public init(
        understander: MessageUnderstander, catalogue: IntentCatalogue, replies: ReplyBook,
        configuration: CentreConfiguration, registry: any LegalStatusRegistry
    ) {
        self.understander = understander
        self.catalogue = catalogue
        self.replies = replies.with(contact: configuration.contact)
        self.vocabulary = Vocabulary(replies: self.replies, normalizer: understander.normalizer)
        self.redactor = Redactor(replies: self.replies)
        self.configuration = configuration
        self.registry = registry
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current
        self.calendar = calendar
        self.urgency = UrgencyDetector(
            terms: self.vocabulary.words("words.urgent"), deadlineWords: self.vocabulary.words("words.deadline"),
            deadlineDays: configuration.desk.urgentDeadlineDays, timeZone: calendar.timeZone
        )
        self.mainMenuText = Self.menuText(replies: self.replies)
        self.cancelReminderWords = self.vocabulary.words("words.cancel_reminder")
    }

    var policy: ConversationPolicy { self.configuration.conversation }

    /// Handles one event while the bot owns the conversation (callers outside the core use
    /// ``step(_:conversation:handoff:context:)``).
    /// - Parameters:
    ///   - event: What the applicant did.
    ///   - state: The conversation's state; updated in place.
    ///   - context: Time, identity, the id for a new case and the applicant's cases.
    /// - Returns: The effects to perform, in order: durable ones first, then at most one reply.
    package func handle(
        _ event: ConversationEvent, state: inout ConversationState, context: ConversationContext
    ) -> [ConversationEffect] {
        self.turn(event, state: &state, context: context).output
    }

    /// Handles one event while the bot owns the conversation: what it says and does.
    func turn(_ event: ConversationEvent, state: inout ConversationState, context: ConversationContext) -> Turn {
        var turn = Turn()
        self.expireIfIdleTooLong(&state, now: context.now, turn: &turn)
        state.lastActivity = context.now
        switch event {
        case .subscribed:
            state = ConversationState()
            state.lastActivity = context.now
            turn.say(self.replies.render("welcome.subscribe"))
            self.showMenu(&state, turn: &turn)
        case .unsubscribed:
            state = ConversationState()
            turn.perform(.closeConversation)
        case .command(let intent):
            state.choices = []
            self.abandonLeavingMessage(&state)
            if case .form = state.phase, Self.commands.contains(intent) || intent.isFAQ {
                self.handleFormCommand(intent, state: &state, context: context, turn: &turn)
            } else {
                self.start(intent, understanding: nil, state: &state, context: context, turn: &turn)
            }
        case .text(let text):
            let understanding = self.understander.understand(text, currentYear: self.year(of: context.now))
            if case .matched(let intent) = understanding.match.decision { turn.understood = intent }
            self.noticeUrgency(understanding, state: &state, context: context, turn: &turn)
            self.handleText(understanding, state: &state, context: context, turn: &turn)
        case .location(let label):
            self.handleLocation(label, state: &state, context: context, turn: &turn)
        case .media(let kind, let reference):
            self.handleMedia(kind: kind, reference: reference, state: &state, turn: &turn)
        case .voiceWithoutText:
            turn.say(self.replies.render("voice.unrecognised"))
            self.reaskIfOpen(&state, turn: &turn)
        }
        return turn
    }

    /// The year of `date` in Asia/Shanghai (the day's arithmetic, not the calendar's time-zone lookups: every
    /// message asks).
    public func year(of date: Date) -> Int { self.day(of: date).year }

    // MARK: - Text

    func handleText(
        _ understanding: Understanding, state: inout ConversationState, context: ConversationContext,
        turn: inout Turn
    ) {
        let offered = state.choices
        state.choices = []
        if let number = Self.choiceNumber(understanding.normalized), number >= 1, number <= offered.count {
            self.apply(offered[number - 1], understanding: understanding, state: &state, context: context, turn: &turn)
            return
        }
        if self.asksToCancelReminders(understanding) {
            self.cancelReminders(number: nil, turn: &turn)
            self.reaskIfOpen(&state, turn: &turn)
            return
        }
        switch state.phase {
        case .form:
            self.handleFormAnswer(understanding, offered: offered, state: &state, context: context, turn: &turn)
        case .confirmingCancel(let progress):
            self.handleCancelConfirmation(
                understanding, progress: progress, state: &state, context: context, turn: &turn)
        case .awaitingNumber(let attempts):
            self.handleNumberAnswer(understanding, attempts: attempts, state: &state, context: context, turn: &turn)
        case .idle:
            self.handleIdle(understanding, offered: offered, state: &state, context: context, turn: &turn)
        case .leavingQuestion(let request):
            self.handleQuestion(understanding, request: request, state: &state, context: context, turn: &turn)
        case .awaitingCallbackNumber(let request, let attempts):
            self.handleCallbackNumber(
                understanding, request: request, attempts: attempts, state: &state, context: context, turn: &turn
            )
        }
    }

    func handleIdle(
        _ understanding: Understanding, offered: [Choice], state: inout ConversationState, context: ConversationContext,
        turn: inout Turn
    ) {
        switch understanding.match.decision {
        case .matched(let intent):
            self.start(intent, understanding: understanding, state: &state, context: context, turn: &turn)
        case .ambiguous(let intents):
            state.consecutiveFallbacks = 0
            let lines = intents.enumerated().map { index, id in "\(index + 1). \(self.title(of: id))" }
            turn.say(self.replies.render("clarify", ["options": lines.joined(separator: "\n")]))
            state.choices = intents.map { .intent($0) }
        case .unknown:
            let entities = understanding.entities
            if entities.patentNumber != nil || entities.patentNumberInvalid != nil || entities.trademarkNumber != nil {
                // A bare number can only mean one thing here: the applicant wants to know its status.
                self.start(.legalStatus, understanding: understanding, state: &state, context: context, turn: &turn)
            } else if Self.choiceNumber(understanding.normalized) != nil && offered.isEmpty {
                turn.say(self.replies.render("choice.stale"))
                self.showMenu(&state, turn: &turn)
            } else if let found = context.knowledge?(understanding.text) {
                // Not one of the bot's flows, but the knowledge base answers it (优秀问答).
                state.consecutiveFallbacks = 0
                turn.say(
                    self.replies.render("volunteer.knowledge_offer", ["title": found.title, "answer": found.answer]))
                state.choices = [.knowledgeHelped(found.id), .knowledgeDidNotHelp(understanding.text)]
            } else {
                self.fallback(&state, turn: &turn, text: understanding.text)
            }
        }
    }

    /// Starts what an intent stands for, from the idle state.
    func start(
        _ intent: IntentID, understanding: Understanding?, state: inout ConversationState,
        context: ConversationContext, turn: inout Turn
    ) {
        state.consecutiveFallbacks = 0
        switch intent {
        case .greeting:
            turn.say(self.replies.render("welcome"))
            self.showMenu(&state, turn: &turn)
        case .help:
            self.showMenu(&state, turn: &turn)
        case .faqMenu:
            self.showFAQMenu(&state, turn: &turn)
        case .aidRequest:
            self.startForm(.aidRequest, understanding: understanding, state: &state, context: context, turn: &turn)
        case .complaint:
            self.startForm(.complaint, understanding: understanding, state: &state, context: context, turn: &turn)
        case .legalStatus:
            self.startLegalStatus(understanding, state: &state, context: context, turn: &turn)
        case .caseProgress:
            self.answerProgress(understanding, context: context, turn: &turn)
        case .withdraw:
            self.offerWithdrawal(understanding, state: &state, context: context, turn: &turn)
        case .askQuestion:
            self.startLeavingMessage(.leaveQuestion, state: &state, context: context, turn: &turn)
        case .erase:
            turn.say(self.replies.render("erase.confirm"))
            state.choices = [.confirmErasure, .mainMenu]
        case .human:
            self.requestHandoff(.requested, state: &state, context: context, turn: &turn)
        case .cancel, .back:
            turn.say(self.replies.render("nothing_to_cancel"))
            self.showMenu(&state, turn: &turn)
        case .thanks:
            turn.say(self.replies.render("thanks"))
        default:
            if let answer = self.catalogue.intent(intent)?.answer {
                turn.say(self.replies.fill(answer))
                turn.say(self.replies.render("faq.more"))
            } else {
                self.fallback(&state, turn: &turn)
            }
        }
    }

    /// Carries out a numbered option the applicant picked.
    func apply(
        _ choice: Choice, understanding: Understanding, state: inout ConversationState, context: ConversationContext,
        turn: inout Turn
    ) {
        switch choice {
        case .intent(let intent):
            if case .form = state.phase, intent.isFAQ {
                self.handleFormCommand(intent, state: &state, context: context, turn: &turn)
            } else {
                self.start(intent, understanding: nil, state: &state, context: context, turn: &turn)
            }
        case .faqMenu:
            self.showFAQMenu(&state, turn: &turn)
        case .mainMenu:
            self.showMenu(&state, turn: &turn)
        case .talkToHuman:
            // Offered after two misunderstandings or after an answer failed too often.
            let reason: HandoffRequest.Reason =
                state.consecutiveFallbacks >= 2 ? .notUnderstood : state.form != nil ? .retriesExhausted : .requested
            self.requestHandoff(reason, state: &state, context: context, turn: &turn)
        case .leaveQuestion, .requestCallback:
            self.startLeavingMessage(choice, state: &state, context: context, turn: &turn)
        case .leaveQuestionAbout, .submitQuestion, .rewriteQuestion, .knowledgeHelped, .knowledgeDidNotHelp:
            self.applyQuestionChoice(choice, state: &state, context: context, turn: &turn)
        case .keepWaiting, .leaveQueue:
            // Only offered while waiting in the queue, which handleQueued answers.
            self.showMenu(&state, turn: &turn)
        case .confirmWithdrawal(let id):
            turn.perform(.withdrawCase(id))
            turn.say(self.replies.render("withdraw.done", ["case_id": id.rawValue]))
        case .confirmErasure:
            turn.perform(.requestErasure)
            turn.say(self.replies.render("erase.requested"))
        case .confirmCancel:
            state.phase = .idle
            turn.say(self.replies.render("form.cancelled"))
            self.showMenu(&state, turn: &turn)
        case .acceptNumber(let number) where state.form == nil:
            self.acceptPendingNumber(number, state: &state, context: context, turn: &turn)
        case .reenterNumber where state.form == nil:
            turn.say(self.replies.render("number.ask"))
        case .option, .skipField, .continueForm, .submit, .editMenu, .editField, .acceptNumber, .reenterNumber:
            self.applyFormChoice(choice, state: &state, context: context, turn: &turn)
        case .askStaff:
            // The applicant took up the offer of a person beside a form's question; the form is kept for staff.
            self.requestHandoff(.requested, state: &state, context: context, turn: &turn)
        case .remindMe(let reminder):
            self.acceptReminder(reminder, state: &state, context: context, turn: &turn)
        case .cancelReminder(let number):
            self.cancelReminders(number: number, turn: &turn)
        }
    }

    // MARK: - Menus and answers

    func showMenu(_ state: inout ConversationState, turn: inout Turn) {
        turn.say(self.mainMenuText)
        state.choices = Self.menu
    }

    /// The `menu` reply with the main menu's numbered options.
    static func menuText(replies: ReplyBook) -> String {
        let lines = Self.menu.enumerated().map { index, choice in
            "\(index + 1). \(Self.label(of: choice, in: replies))"
        }
        return replies.render("menu", ["options": lines.joined(separator: "\n")])
    }

    /// The FAQ intents in the order of the `faq.menu.order` word list, then the rest by id.
    var faqMenu: [IntentID] {
        let all = self.catalogue.intents.filter { $0.id.isFAQ }.map(\.id)
        let ordered = self.replies.words("faq.menu.order").map { IntentID($0) }.filter(all.contains)
        return ordered + all.filter { !ordered.contains($0) }
    }

    func showFAQMenu(_ state: inout ConversationState, turn: inout Turn) {
        // The FAQs, then a question of one's own for the volunteers (我要提问) when the catalogue has it.
        var entries = self.faqMenu
        if self.catalogue.intent(.askQuestion) != nil { entries.append(.askQuestion) }
        let lines = entries.enumerated().map { index, id in "\(index + 1). \(self.title(of: id))" }
        turn.say(self.replies.render("faq.menu", ["options": lines.joined(separator: "\n")]))
        state.choices = entries.map { .intent($0) }
    }

    static func label(of choice: Choice, in replies: ReplyBook) -> String {
        switch choice {
        case .intent(let intent): replies.render("menu.\(intent.rawValue)")
        case .faqMenu: replies.render("menu.faq")
        default: ""
        }
    }

    func title(of intent: IntentID) -> String {
        self.catalogue.intent(intent)?.title ?? intent.rawValue
    }

    /// Not understood: the menu; the second time in a row, a person, the volunteers (with `text`, the message not
    /// understood, as the question) or the menu.
    func fallback(_ state: inout ConversationState, turn: inout Turn, text: String? = nil) {
        state.consecutiveFallbacks += 1
        if state.consecutiveFallbacks >= 2 {
            if let text, !text.isEmpty, text.count <= self.policy.maxAnswerLength {
                turn.say(self.replies.render("fallback.offer_human_or_volunteer"))
                state.choices = [.talkToHuman, .leaveQuestionAbout(text), .mainMenu]
            } else {
                turn.say(self.replies.render("fallback.offer_human"))
                state.choices = [.talkToHuman, .mainMenu]
            }
        } else {
            turn.say(self.replies.render("fallback"))
            self.showMenu(&state, turn: &turn)
        }
    }

    func answerProgress(_ understanding: Understanding?, context: ConversationContext, turn: inout Turn) {
        var cases = context.cases
        if let wanted = understanding?.entities.caseID {
            cases = cases.filter { $0.id == wanted }
            if cases.isEmpty {
                turn.say(self.replies.render("progress.not_yours", ["case_id": wanted.rawValue]))
                return
            }
        }
        guard !cases.isEmpty else {
            turn.say(self.replies.render("progress.none"))
            return
        }
        let lines = cases.prefix(5).map { summary in
            self.replies.render(
                "progress.line",
                [
                    "case_id": summary.id.rawValue,
                    "kind": self.replies.render("case.kind.\(summary.kind.rawValue)"),
                    "status": self.replies.render("case.status.\(summary.status.rawValue)"),
                    "date": self.dayString(summary.createdAt),
                    "unit": summary.unit.flatMap { self.configuration.directory.unit(id: $0)?.name } ?? "",
                ]
            )
        }
        turn.say(self.replies.render("progress.list", ["cases": lines.joined(separator: "\n")]))
    }

    /// The id of the `sequence`-th case filed on the day of `date` (Asia/Shanghai), e.g. `WQ202611210007`, or
    /// `WQ2026112110000` from the day's 10,000th case on. A date outside the years 2000–2999 (a clock set far
    /// off) is clamped as ``CaseID/make(year:month:day:sequence:)`` describes; filing never stops on it.
    public func caseID(filedAt date: Date, sequence: Int) -> CaseID {
        let day = self.day(of: date)
        return CaseID.make(year: day.year, month: day.month, day: day.day, sequence: sequence)
    }

    /// The day of `date` in Asia/Shanghai as `yyyy-MM-dd`.
    public func dayString(_ date: Date) -> String {
        let day = self.day(of: date)
        return "\(day.year)-\(day.month < 10 ? "0" : "")\(day.month)-\(day.day < 10 ? "0" : "")\(day.day)"
    }

    // MARK: - Other events

    func handleLocation(
        _ label: String?, state: inout ConversationState, context: ConversationContext, turn: inout Turn
    ) {
        if case .form(let progress) = state.phase, progress.current == "region" {
            let understanding = self.understander.understand(label ?? "", currentYear: self.year(of: context.now))
            self.handleFormAnswer(understanding, offered: [], state: &state, context: context, turn: &turn)
            return
        }
        state.choices = []
        turn.say(self.replies.render("location.received"))
        self.reaskIfOpen(&state, turn: &turn)
    }

    func handleMedia(kind: String, reference: String, state: inout ConversationState, turn: inout Turn) {
        if case .form(var progress) = state.phase {
            progress.attachments.append(reference)
            state.phase = .form(progress)
            turn.say(self.replies.render("media.attached", ["count": String(progress.attachments.count)]))
            self.ask(&progress, state: &state, turn: &turn)
        } else {
            turn.say(self.replies.render("media.received"))
        }
    }

    func reaskIfOpen(_ state: inout ConversationState, turn: inout Turn) {
        switch state.phase {
        case .form(var progress): self.ask(&progress, state: &state, turn: &turn)
        case .awaitingNumber: turn.say(self.replies.render("number.ask"))
        case .confirmingCancel: self.askCancelConfirmation(&state, turn: &turn)
        case .leavingQuestion: turn.say(self.replies.render("handoff.ask_question"))
        case .awaitingCallbackNumber: turn.say(self.replies.render("handoff.ask_phone"))
        case .idle: break
        }
    }

    /// An open form or query untouched for longer than the policy allows is dropped, and the applicant told.
    func expireIfIdleTooLong(_ state: inout ConversationState, now: Date, turn: inout Turn) {
        guard let last = state.lastActivity,
            now.timeIntervalSince(last) > Double(self.policy.formExpiryMinutes) * 60
        else { return }
        if state.phase != .idle {
            let hours = max(1, self.policy.formExpiryMinutes / 60)
            turn.say(self.replies.render("form.expired", ["hours": String(hours)]))
        }
        state.phase = .idle
        state.choices = []
        state.consecutiveFallbacks = 0
        state.urgent = []
    }

    /// The number a message picks: one or two ASCII digits, or a single Chinese numeral.
    static func choiceNumber(_ normalized: String) -> Int? {
        // Over the UTF-8 bytes: every message is asked, and most are sentences, not choices (counting the characters
        // of one cost a microsecond). The prefix and the suffixes are characters of their own: what is left is at
        // most three bytes, so a text of more than 3 + 3 + 3 bytes is no choice, and most are turned away here.
        guard normalized.utf8.count <= 9 else { return nil }
        var text = Substring(normalized).utf8
        if text.starts(with: "第".utf8) { text = text.dropFirst("第".utf8.count) }
        for suffix in ["个", "项", "."] where text.count >= suffix.utf8.count {
            if text.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) {
                text = text.dropLast(suffix.utf8.count)
                break
            }
        }
        // At most three bytes: two digits, or one numeral (a small string, no allocation).
        guard text.count <= 3 else { return nil }
        let choice = String(decoding: text, as: UTF8.self)
        if text.count <= 2, let value = Int(choice) { return value }
        return Self.numerals[choice]
    }

    /// Made once, not on every message.
    private static let numerals: [String: Int] = [
        "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]
}
