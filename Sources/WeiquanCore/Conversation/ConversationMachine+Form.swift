import Foundation

extension ConversationMachine {
    // MARK: - Starting and asking

    func startForm(
        _ kind: FormKind, understanding: Understanding?, state: inout ConversationState, context: ConversationContext,
        turn: inout Turn
    ) {
        var progress = FormProgress(kind: kind, current: kind.fields.first?.id)
        // What the opening message already said is kept, and those questions are not asked again.
        if let entities = understanding?.entities {
            if let type = entities.ipType { progress.values["ip_type"] = type.rawValue }
            if let number = entities.patentNumber {
                progress.values["ip_type"] = IPType.patent.rawValue
                progress.values["ip_number"] = number
            } else if let number = entities.trademarkNumber {
                progress.values["ip_type"] = IPType.trademark.rawValue
                progress.values["ip_number"] = number
            }
            if let region = entities.region { progress.values["region"] = region }
        }
        if let number = progress.values["ip_number"],
            self.endIfDuplicate(number, state: &state, context: context, turn: &turn)
        {
            return
        }
        turn.say(self.replies.render("form.\(kind.rawValue).intro"))
        let note = progress.values["ip_number"].flatMap {
            self.rightNotInForce($0, progress: progress, today: self.day(of: context.now))
        }
        let mark = turn.paragraphCount
        self.ask(&progress, state: &state, turn: &turn)
        self.offerStaff(note, before: mark, state: &state, turn: &turn)
    }

    /// In an aid request, a right the registry shows not in force is explained as soon as its number is given (aid
    /// against an infringement needs a right in force): the values of that note, or nil when there is nothing to
    /// note. The form goes on, since staff decide and the data may be old; a person is offered beside the next
    /// question (``offerStaff(_:before:state:turn:)``).
    func rightNotInForce(_ number: String, progress: FormProgress, today: CalendarDay) -> [String: String]? {
        guard progress.kind == .aidRequest, let type = progress.values["ip_type"].flatMap(IPType.init) else {
            return nil
        }
        let kind: LegalStatusRecord.RightKind
        switch type {
        case .patent: kind = .patent
        case .trademark: kind = .trademark
        default: return nil
        }
        guard let record = self.registry.record(kind: kind, number: number, today: today), record.bucket.isNotInForce
        else { return nil }
        return [
            "number": number, "status": self.replies.render("status.\(record.bucket.rawValue)"),
            "data_date": record.dataDate,
        ]
    }

    /// Says the note about a right not in force before the paragraph at `mark` (the question asked after it) and
    /// offers a person as the next number after the question's own options: replying with it hands the
    /// conversation to staff with the form kept; answering the question goes on with the form.
    func offerStaff(_ note: [String: String]?, before mark: Int, state: inout ConversationState, turn: inout Turn) {
        guard var values = note else { return }
        state.choices.append(.askStaff)
        values["choice"] = String(state.choices.count)
        turn.say(self.replies.render("form.right_not_in_force", values), at: mark)
    }

    /// Asks the current question of a form (or shows the summary) and records the numbered options.
    func ask(
        _ progress: inout FormProgress, state: inout ConversationState, turn: inout Turn, showingAnswer: Bool = false
    ) {
        state.phase = .form(progress)
        guard let fieldID = progress.current, let field = progress.kind.field(fieldID) else {
            self.showSummary(progress, state: &state, turn: &turn)
            return
        }
        var question = self.replies.render(self.questionKey(field, progress), self.consentValues)
        if progress.editing || showingAnswer, let previous = progress.values[field.id] {
            question += "\n" + self.replies.render("form.current_value", ["value": self.display(field, previous)])
        }
        let options = self.options(of: field)
        if !options.isEmpty {
            let lines = options.enumerated().map { index, option in "\(index + 1). \(self.optionLabel(field, option))" }
            question += "\n" + lines.joined(separator: "\n")
            if case .multipleChoice = field.kind {
                question += "\n" + self.replies.render("hint.multiple")
            }
            if case .consent = field.kind {
                state.choices = [.option("yes"), .option("no")]
            } else {
                state.choices = options.map { .option($0) }
            }
        }
        if field.isOptional { question += "\n" + self.replies.render("hint.optional") }
        turn.say(question)
    }

    /// The question's key: the number question is worded for the IP type chosen (`ask.ip_number.patent`).
    func questionKey(_ field: FormField, _ progress: FormProgress) -> String {
        if field.kind == .ipNumber, let type = progress.values["ip_type"], self.replies.has("ask.\(field.id).\(type)") {
            return "ask.\(field.id).\(type)"
        }
        return "ask.\(field.id)"
    }

    var consentValues: [String: String] {
        [
            "version": self.policy.consentNoticeVersion, "retention_years": String(self.policy.retentionYears),
        ]
    }

    /// The option ids a field lists, in order.
    func options(of field: FormField) -> [String] {
        switch field.kind {
        case .consent: ["yes", "no"]
        case .choice(let options), .multipleChoice(let options): options
        case .region: self.configuration.directory.regions.map(\.name) + ["other"]
        case .ipType: IPType.allCases.map(\.rawValue)
        case .text, .mobile, .ipNumber: []
        }
    }

    /// An option's label in normalised form, for comparing with answers.
    func normalizedLabel(_ field: FormField, _ option: String) -> String {
        if case .region = field.kind, option != "other" { return self.understander.normalizer.normalize(option) }
        return self.vocabulary.label("option.\(field.id).\(option)")
    }

    func optionLabel(_ field: FormField, _ option: String) -> String {
        if case .region = field.kind, option != "other" { return option }
        return self.replies.render("option.\(field.id).\(option)")
    }

    /// How an answer is shown back in the summary.
    func display(_ field: FormField, _ value: String) -> String {
        switch field.kind {
        case .choice, .ipType, .region, .consent:
            return self.optionLabel(field, value)
        case .multipleChoice:
            return value.split(separator: ",").map { self.optionLabel(field, String($0)) }.joined(separator: "、")
        case .text, .mobile, .ipNumber:
            return value
        }
    }

    // MARK: - Answers

    func handleFormAnswer(
        _ understanding: Understanding, offered: [Choice], state: inout ConversationState,
        context: ConversationContext, turn: inout Turn
    ) {
        guard case .form(var progress) = state.phase else { return }
        if understanding.normalized.count <= self.policy.commandMaxLength,
            case .matched(let intent) = understanding.match.decision, Self.commands.contains(intent)
        {
            state.choices = offered
            self.handleFormCommand(intent, state: &state, context: context, turn: &turn)
            return
        }
        guard let fieldID = progress.current, let field = progress.kind.field(fieldID) else {
            self.handleSummaryAnswer(understanding, progress: progress, state: &state, context: context, turn: &turn)
            return
        }
        if self.isDigression(understanding, field: field),
            case .matched(let intent) = understanding.match.decision
        {
            state.choices = offered
            self.handleFormCommand(intent, state: &state, context: context, turn: &turn)
            return
        }
        let answer = self.check(understanding, field: field, progress: progress, year: self.year(of: context.now))
        self.settle(answer, field: field, progress: &progress, state: &state, context: context, turn: &turn)
    }

    /// A question about something else in the middle of a form: a confident FAQ match that is either
    /// phrased as a question or is no valid answer anyway.
    func isDigression(_ understanding: Understanding, field: FormField) -> Bool {
        guard case .matched(let intent) = understanding.match.decision, intent.isFAQ else { return false }
        switch field.kind {
        case .text:
            let text = understanding.normalized
            let questionWords = self.vocabulary.words("words.question")
            return text.hasSuffix("?") || questionWords.contains { text.contains($0) }
        default:
            return true
        }
    }

    /// Applies the result of checking an answer: store and go on, or explain and count the attempt.
    func settle(
        _ answer: FieldAnswer, field: FormField, progress: inout FormProgress, state: inout ConversationState,
        context: ConversationContext, turn: inout Turn
    ) {
        switch answer {
        case .accepted(let value):
            if field.kind == .consent {
                guard value == "yes" else {
                    state.phase = .idle
                    turn.say(self.replies.render("consent.declined"))
                    return
                }
                progress.consent = ConsentRecord(
                    noticeVersion: self.policy.consentNoticeVersion, acceptedAt: context.now)
            }
            if field.id == "ip_type", progress.values["ip_type"] != value {
                // A number checked against the old type may not fit the new one.
                progress.values["ip_number"] = nil
            }
            progress.values[field.id] = value
            if field.id == "ip_number", self.endIfDuplicate(value, state: &state, context: context, turn: &turn) {
                return
            }
            let note =
                field.id == "ip_number"
                ? self.rightNotInForce(value, progress: progress, today: self.day(of: context.now)) : nil
            if field.id == "region", value == "other" { turn.say(self.replies.render("region.outside")) }
            if field.id == "contact" {
                progress.consent = ConsentRecord(
                    noticeVersion: self.policy.consentNoticeVersion, acceptedAt: context.now)
            }
            let mark = turn.paragraphCount
            self.advance(&progress, state: &state, turn: &turn)
            self.offerStaff(note, before: mark, state: &state, turn: &turn)
        case .skipped:
            progress.values[field.id] = nil
            self.advance(&progress, state: &state, turn: &turn)
        case .confirmNumber(let number):
            progress.pendingNumber = number
            state.phase = .form(progress)
            turn.say(self.replies.render("number.confirm_check", ["number": number]))
            state.choices = [.acceptNumber(number), .reenterNumber]
        case .refused(let key, let values):
            progress.invalidAttempts += 1
            if progress.invalidAttempts >= self.policy.retryBudget {
                progress.invalidAttempts = 0
                state.phase = .form(progress)
                self.offerWayOut(field, state: &state, turn: &turn)
            } else {
                turn.say(self.replies.render(key, values))
                self.ask(&progress, state: &state, turn: &turn)
            }
        }
    }

    /// After too many refused answers: explain with an example and offer to skip or to talk to a person.
    func offerWayOut(_ field: FormField, state: inout ConversationState, turn: inout Turn) {
        var choices: [Choice] = field.isOptional ? [.skipField] : []
        choices += [.talkToHuman, .continueForm]
        let lines = choices.enumerated().map { index, choice in
            "\(index + 1). " + self.replies.render("retry.option.\(Self.choiceKey(choice))")
        }
        turn.say(
            self.replies.render(
                "retry.exhausted",
                ["example": self.replies.render("example.\(field.id)"), "options": lines.joined(separator: "\n")]
            )
        )
        state.choices = choices
    }

    static func choiceKey(_ choice: Choice) -> String {
        switch choice {
        case .skipField: "skip"
        case .talkToHuman: "human"
        case .continueForm: "continue"
        default: "other"
        }
    }

    /// Moves to the next unanswered question, or to the summary once all are answered.
    func advance(_ progress: inout FormProgress, state: inout ConversationState, turn: inout Turn) {
        if let current = progress.current, progress.history.last != current { progress.history.append(current) }
        progress.invalidAttempts = 0
        progress.pendingNumber = nil
        if progress.editing {
            progress.editing = false
            // A new IP type may need a new number.
            if progress.current == "ip_type", progress.values["ip_number"] == nil {
                progress.current = "ip_number"
                self.ask(&progress, state: &state, turn: &turn)
                return
            }
            progress.current = nil
        } else {
            let fields = progress.kind.fields
            let start = fields.firstIndex { $0.id == progress.current }.map { $0 + 1 } ?? fields.count
            progress.current =
                fields[start...].first { progress.values[$0.id] == nil && !progress.history.contains($0.id) }?.id
        }
        self.ask(&progress, state: &state, turn: &turn)
    }

    // MARK: - Commands inside a form

    /// 取消, 返回, 菜单/帮助, 人工 and FAQ questions while a form is open.
    func handleFormCommand(
        _ intent: IntentID, state: inout ConversationState, context: ConversationContext, turn: inout Turn
    ) {
        guard case .form(var progress) = state.phase else {
            self.start(intent, understanding: nil, state: &state, context: context, turn: &turn)
            return
        }
        switch intent {
        case .cancel:
            if progress.hasContent {
                state.phase = .confirmingCancel(progress)
                self.askCancelConfirmation(&state, turn: &turn)
            } else {
                state.phase = .idle
                turn.say(self.replies.render("form.cancelled"))
                self.showMenu(&state, turn: &turn)
            }
        case .back:
            if let previous = progress.history.popLast() {
                progress.current = previous
                progress.editing = false
                progress.invalidAttempts = 0
                turn.say(self.replies.render("form.back"))
                self.ask(&progress, state: &state, turn: &turn, showingAnswer: true)
            } else {
                turn.say(self.replies.render("form.back_at_start"))
                self.ask(&progress, state: &state, turn: &turn)
            }
        case .help:
            turn.say(self.replies.render("form.help"))
            self.ask(&progress, state: &state, turn: &turn)
        case .faqMenu:
            // The form stays open: a question picked from the list is answered, then the form goes on.
            self.showFAQMenu(&state, turn: &turn)
        case .human:
            state.choices = []
            self.requestHandoff(.requested, state: &state, context: context, turn: &turn)
        default:
            if let answer = self.catalogue.intent(intent)?.answer {
                turn.say(self.replies.fill(answer))
                turn.say(self.replies.render("form.resume"))
            }
            self.ask(&progress, state: &state, turn: &turn)
        }
    }

    func askCancelConfirmation(_ state: inout ConversationState, turn: inout Turn) {
        turn.say(self.replies.render("form.confirm_cancel"))
        state.choices = [.confirmCancel, .continueForm]
    }

    func handleCancelConfirmation(
        _ understanding: Understanding, progress: FormProgress, state: inout ConversationState,
        context: ConversationContext, turn: inout Turn
    ) {
        let normalized = understanding.normalized
        if self.isYes(normalized) || understanding.match.decision == .matched(.cancel) {
            self.apply(.confirmCancel, understanding: understanding, state: &state, context: context, turn: &turn)
        } else if self.isNo(normalized) || self.vocabulary.words("words.continue").contains(normalized) {
            var progress = progress
            self.ask(&progress, state: &state, turn: &turn)
        } else {
            self.askCancelConfirmation(&state, turn: &turn)
        }
    }

    /// Numbered options that belong to a form.
    func applyFormChoice(
        _ choice: Choice, state: inout ConversationState, context: ConversationContext, turn: inout Turn
    ) {
        var progress: FormProgress
        switch state.phase {
        case .form(let open), .confirmingCancel(let open): progress = open
        case .idle, .awaitingNumber, .leavingQuestion, .awaitingCallbackNumber:
            self.fallback(&state, turn: &turn)
            return
        }
        state.phase = .form(progress)
        switch choice {
        case .option(let value):
            guard let field = progress.current.flatMap(progress.kind.field) else { return }
            self.settle(
                .accepted(value), field: field, progress: &progress, state: &state, context: context, turn: &turn)
        case .skipField:
            guard let field = progress.current.flatMap(progress.kind.field) else { return }
            self.settle(.skipped, field: field, progress: &progress, state: &state, context: context, turn: &turn)
        case .continueForm, .reenterNumber:
            progress.pendingNumber = nil
            self.ask(&progress, state: &state, turn: &turn)
        case .acceptNumber(let number):
            guard let field = progress.current.flatMap(progress.kind.field) else { return }
            self.settle(
                .accepted(number), field: field, progress: &progress, state: &state, context: context, turn: &turn)
        case .submit:
            self.file(progress, state: &state, context: context, turn: &turn)
        case .editMenu:
            self.showEditMenu(progress, state: &state, turn: &turn)
        case .editField(let id):
            progress.current = id
            progress.editing = true
            self.ask(&progress, state: &state, turn: &turn)
        default:
            break
        }
    }
}
