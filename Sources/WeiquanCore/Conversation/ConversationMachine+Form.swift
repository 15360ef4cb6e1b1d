import Foundation

/// The outcome of checking one answer against its field.
enum FieldAnswer: Equatable {
    case accepted(String)
    case skipped
    /// Refused; the reply-book key that says why, with its values.
    case refused(String, [String: String])
    /// A patent number without its check character: ask the applicant to confirm the completed number.
    case confirmNumber(String)
}

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
        turn.say(self.replies.render("form.\(kind.rawValue).intro"))
        self.ask(&progress, state: &state, turn: &turn)
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
                progress.consent = ConsentRecord(noticeVersion: self.policy.consentNoticeVersion, acceptedAt: context.now)
            }
            if field.id == "ip_type", progress.values["ip_type"] != value {
                // A number checked against the old type may not fit the new one.
                progress.values["ip_number"] = nil
            }
            progress.values[field.id] = value
            if field.id == "region", value == "other" { turn.say(self.replies.render("region.outside")) }
            if field.id == "contact" {
                progress.consent = ConsentRecord(noticeVersion: self.policy.consentNoticeVersion, acceptedAt: context.now)
            }
            self.advance(&progress, state: &state, turn: &turn)
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
            progress.current = fields[start...].first { progress.values[$0.id] == nil && !progress.history.contains($0.id) }?.id
        }
        self.ask(&progress, state: &state, turn: &turn)
    }

    /// Checks one answer against its field.
    func check(_ understanding: Understanding, field: FormField, progress: FormProgress, year: Int) -> FieldAnswer {
        let text = understanding.text
        let normalized = understanding.normalized
        if field.isOptional, self.isSkip(normalized) { return .skipped }
        if text.count > self.policy.maxAnswerLength {
            return .refused("invalid.too_long", ["max": String(self.policy.maxAnswerLength)])
        }
        switch field.kind {
        case .consent:
            if self.isYes(normalized) { return .accepted("yes") }
            if self.isNo(normalized) { return .accepted("no") }
            return .refused("invalid.consent", [:])
        case .choice, .ipType, .region:
            if let option = self.option(for: understanding, field: field) { return .accepted(option) }
            return .refused("invalid.\(field.id)", [:])
        case .multipleChoice(let options):
            let picked = self.pickMany(normalized, field: field, options: options)
            return picked.isEmpty ? .refused("invalid.\(field.id)", [:]) : .accepted(picked.joined(separator: ","))
        case .text(let minimumLength):
            return text.count >= minimumLength
                ? .accepted(text) : .refused("invalid.\(field.id)", ["min": String(minimumLength)])
        case .mobile:
            if let phone = MobileNumber.parse(normalized) ?? understanding.entities.phone { return .accepted(phone) }
            return .refused("invalid.\(field.id)", [:])
        case .ipNumber:
            return self.checkNumber(understanding, ipType: progress.values["ip_type"].flatMap(IPType.init), year: year)
        }
    }

    func checkNumber(_ understanding: Understanding, ipType: IPType?, year: Int) -> FieldAnswer {
        switch ipType {
        case .patent:
            switch PatentNumberParser.parse(understanding.normalized, currentYear: year) {
            case .valid(let number):
                return .accepted(number.canonical)
            case .invalid(let digits, .missingCheckCharacter(let expected)):
                return .confirmNumber("\(digits).\(expected)")
            case .invalid(let digits, let problem):
                let (key, values) = self.explain(problem, digits: digits)
                return .refused(key, values)
            case .notAPatentNumber:
                if let number = understanding.entities.patentNumber { return .accepted(number) }
                return .refused("invalid.patent_number", [:])
            }
        case .trademark:
            if let number = TrademarkNumberParser.parse(understanding.normalized) { return .accepted(number.canonical) }
            if let number = understanding.entities.trademarkNumber { return .accepted(number) }
            return .refused("invalid.trademark_number", [:])
        default:
            // Registration and certificate numbers of the other types all carry digits; a sentence does not.
            let hasDigit = understanding.normalized.contains { $0.isASCII && $0.isNumber }
            return hasDigit ? .accepted(understanding.text) : .refused("invalid.ip_number", [:])
        }
    }

    /// The reply-book key and values that explain why a patent number was refused.
    func explain(_ problem: PatentNumberProblem, digits: String) -> (String, [String: String]) {
        switch problem {
        case .wrongCheckCharacter(let written, let expected):
            ("number.wrong_check", ["number": digits, "written": String(written), "expected": String(expected)])
        case .missingCheckCharacter(let expected):
            ("number.confirm_check", ["number": "\(digits).\(expected)"])
        case .unknownType(let type):
            ("number.unknown_type", ["number": digits, "type": String(type)])
        case .implausibleYear(let year):
            ("number.implausible_year", ["number": digits, "year": String(year)])
        case .wrongLength:
            ("number.wrong_length", ["number": digits])
        }
    }

    /// The option an answer names: by its label or one of its words (`synonyms.<field>.<option>`),
    /// or by what the extractors found (IP type, region).
    func option(for understanding: Understanding, field: FormField) -> String? {
        switch field.kind {
        case .ipType:
            if let type = understanding.entities.ipType { return type.rawValue }
        case .region:
            if let region = understanding.entities.region { return region }
        default:
            break
        }
        let normalized = understanding.normalized
        guard !normalized.isEmpty else { return nil }
        for option in self.options(of: field) {
            let label = self.normalizedLabel(field, option)
            let words = self.vocabulary.words("synonyms.\(field.id).\(option)")
            if normalized == label || words.contains(where: { normalized.contains($0) }) { return option }
        }
        return nil
    }

    /// Options named in an answer to a multiple-choice question: numbers ("1 3", "1、3", "13") or words.
    func pickMany(_ normalized: String, field: FormField, options: [String]) -> [String] {
        var picked: [String] = []
        let digits = normalized.filter { $0.isNumber || $0 == " " || $0 == "," || $0 == "、" || $0 == "和" }
        if !normalized.isEmpty, digits.count == normalized.count {
            for character in normalized where character.isNumber {
                guard let index = character.wholeNumberValue, index >= 1, index <= options.count else { return [] }
                let option = options[index - 1]
                if !picked.contains(option) { picked.append(option) }
            }
            return picked
        }
        for option in options {
            let words = [self.normalizedLabel(field, option)] + self.vocabulary.words("synonyms.\(field.id).\(option)")
            if words.contains(where: { !$0.isEmpty && normalized.contains($0) }) { picked.append(option) }
        }
        return picked
    }

    /// "跳过", "没有", or a short answer built around such a word ("还是不知道").
    func isSkip(_ normalized: String) -> Bool {
        let words = self.vocabulary.words("words.skip")
        if words.contains(normalized) { return true }
        return normalized.count <= 6 && words.contains { $0.count >= 2 && normalized.contains($0) }
    }

    func isYes(_ normalized: String) -> Bool {
        self.vocabulary.words("words.yes").contains(normalized)
    }

    func isNo(_ normalized: String) -> Bool {
        self.vocabulary.words("words.no").contains(normalized)
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
            self.requestHandoff(.requested, state: &state, turn: &turn)
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
    func applyFormChoice(_ choice: Choice, state: inout ConversationState, context: ConversationContext, turn: inout Turn) {
        var progress: FormProgress
        switch state.phase {
        case .form(let open), .confirmingCancel(let open): progress = open
        case .idle, .awaitingNumber:
            self.fallback(&state, turn: &turn)
            return
        }
        state.phase = .form(progress)
        switch choice {
        case .option(let value):
            guard let field = progress.current.flatMap(progress.kind.field) else { return }
            self.settle(.accepted(value), field: field, progress: &progress, state: &state, context: context, turn: &turn)
        case .skipField:
            guard let field = progress.current.flatMap(progress.kind.field) else { return }
            self.settle(.skipped, field: field, progress: &progress, state: &state, context: context, turn: &turn)
        case .continueForm, .reenterNumber:
            progress.pendingNumber = nil
            self.ask(&progress, state: &state, turn: &turn)
        case .acceptNumber(let number):
            guard let field = progress.current.flatMap(progress.kind.field) else { return }
            self.settle(.accepted(number), field: field, progress: &progress, state: &state, context: context, turn: &turn)
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

    // MARK: - Summary and filing

    /// The fields shown in the summary: everything asked except the consent.
    func summaryFields(_ progress: FormProgress) -> [FormField] {
        progress.kind.fields.filter { $0.kind != .consent }
    }

    func showSummary(_ progress: FormProgress, state: inout ConversationState, turn: inout Turn) {
        let lines = self.summaryFields(progress).map { field in
            let value = progress.values[field.id].map { self.display(field, $0) } ?? self.replies.render("summary.empty")
            return "\(self.replies.render("label.\(field.id)"))：\(value)"
        }
        var values = ["fields": lines.joined(separator: "\n")]
        values["attachments"] = progress.attachments.isEmpty
            ? "" : self.replies.render("summary.attachments", ["count": String(progress.attachments.count)])
        turn.say(self.replies.render("summary.\(progress.kind.rawValue)", values))
        state.choices = [.submit, .editMenu]
    }

    func showEditMenu(_ progress: FormProgress, state: inout ConversationState, turn: inout Turn) {
        let fields = self.summaryFields(progress)
        let lines = fields.enumerated().map { index, field in "\(index + 1). \(self.replies.render("label.\(field.id)"))" }
        turn.say(self.replies.render("summary.edit_menu", ["options": lines.joined(separator: "\n")]))
        state.choices = fields.map { .editField($0.id) }
    }

    func handleSummaryAnswer(
        _ understanding: Understanding, progress: FormProgress, state: inout ConversationState,
        context: ConversationContext, turn: inout Turn
    ) {
        let normalized = understanding.normalized
        if self.isYes(normalized) || self.vocabulary.words("words.submit").contains(normalized) {
            self.file(progress, state: &state, context: context, turn: &turn)
            return
        }
        // "改电话" / "修改姓名": go straight to that field.
        for field in self.summaryFields(progress) {
            let label = self.vocabulary.label("label.\(field.id)")
            if normalized.contains(label) || self.vocabulary.words("synonyms.label.\(field.id)").contains(where: {
                normalized.contains($0)
            }) {
                self.applyFormChoice(.editField(field.id), state: &state, context: context, turn: &turn)
                return
            }
        }
        if self.vocabulary.words("words.edit").contains(where: { normalized.contains($0) }) {
            self.showEditMenu(progress, state: &state, turn: &turn)
            return
        }
        turn.say(self.replies.render("summary.unclear"))
        self.showSummary(progress, state: &state, turn: &turn)
    }

    func file(_ progress: FormProgress, state: inout ConversationState, context: ConversationContext, turn: inout Turn) {
        var fields = progress.values
        fields["consent"] = nil
        if fields["region"] == nil, let location = fields["location"] {
            // A complaint has no region question: where it happened says which unit should look into it.
            let normalized = self.understander.normalizer.normalize(location)
            fields["region"] = self.understander.extractor.extract(from: normalized, currentYear: self.year(of: context.now)).region
        }
        let region = fields["region"].flatMap { $0 == "other" ? nil : $0 }
        let unit = self.configuration.directory.route(region: region, ipType: fields["ip_type"].flatMap(IPType.init))
        let record = CaseRecord(
            id: context.caseID, kind: progress.kind.caseKind, applicant: context.applicant, createdAt: context.now,
            unit: unit?.id, fields: fields, attachments: progress.attachments, consent: progress.consent
        )
        turn.perform(.fileCase(record))
        state.phase = .idle
        state.choices = []
        turn.say(
            self.replies.render(
                "filed.\(progress.kind.rawValue)",
                ["case_id": context.caseID, "unit": unit?.name ?? self.configuration.contact.centreName]
            )
        )
    }
}
