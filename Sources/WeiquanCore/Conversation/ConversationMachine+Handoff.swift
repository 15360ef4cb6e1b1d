import Foundation

/// Handing a conversation to a person: the request, the queue, what to do when nobody is there, and the
/// way back to the bot.
extension ConversationMachine {
    // MARK: - Asking for a person

    /// In office hours: joins the unit's queue and says where the applicant stands. Outside them: offers to
    /// leave a question or to be called back.
    func requestHandoff(
        _ reason: HandoffRequest.Reason, state: inout ConversationState, context: ConversationContext, turn: inout Turn
    ) {
        state.consecutiveFallbacks = 0
        state.choices = []
        let request = self.handoffRequest(reason, state: state)
        guard self.configuration.desk.officeHours.isOpen(at: context.now) else {
            self.offerMessageInstead(state: &state, now: context.now, turn: &turn)
            return
        }
        let position = (context.waiting[request.unit] ?? 0) + 1
        turn.perform(.requestHandoff(request, position: position))
        turn.say(
            self.replies.render(
                request.urgent.isEmpty ? "handoff.queued" : "handoff.queued.urgent",
                ["position": String(position), "unit": self.unitName(request.unit)]
            )
        )
        if request.form?.hasContent == true { turn.say(self.replies.render("handoff.form_kept")) }
        turn.say(self.replies.render("handoff.queue_hint"))
    }

    func handoffRequest(_ reason: HandoffRequest.Reason, state: ConversationState) -> HandoffRequest {
        HandoffRequest(reason: reason, form: state.form, unit: self.handoffUnit(for: state.form), urgent: state.urgent)
    }

    /// The unit whose staff should take it: the one the open form would be filed with, else the centre.
    public func handoffUnit(for form: FormProgress?) -> UnitID {
        let region = form?.values["region"].flatMap { $0 == "other" ? nil : $0 }
        let ipType = form?.values["ip_type"].flatMap(IPType.init(rawValue:))
        return self.configuration.directory.route(region: region, ipType: ipType)?.id ?? "centre"
    }

    /// The display name of a unit, or the centre's name.
    public func unitName(_ id: UnitID) -> String {
        self.configuration.directory.unit(id: id)?.name ?? self.configuration.contact.centreName
    }

    /// Nobody can take the conversation now: offer to leave a question or a number to call back.
    func offerMessageInstead(state: inout ConversationState, now: Date, turn: inout Turn) {
        let choices: [Choice] = [.leaveQuestion, .requestCallback, .mainMenu]
        turn.say(
            self.replies.render(
                "handoff.closed",
                ["next_opening": self.nextOpeningText(after: now), "options": self.optionLines(choices)]
            )
        )
        state.choices = choices
    }

    /// When staff are next there, e.g. `11月23日（周一）9:00`, or the office hours as configured.
    public func nextOpeningText(after date: Date) -> String {
        guard let opening = self.configuration.desk.officeHours.nextOpening(after: date) else {
            return self.configuration.contact.officeHours
        }
        let parts = self.calendar.dateComponents([.month, .day, .weekday, .hour, .minute], from: opening)
        let weekdays = self.replies.words("words.weekdays")
        let weekday = parts.weekday.flatMap { $0 >= 1 && $0 <= weekdays.count ? weekdays[$0 - 1] : nil } ?? ""
        let minute = parts.minute ?? 0
        return self.replies.render(
            "handoff.opening_time",
            [
                "month": String(parts.month ?? 0), "day": String(parts.day ?? 0), "weekday": weekday,
                "time": "\(parts.hour ?? 0):\(minute < 10 ? "0" : "")\(minute)",
            ]
        )
    }

    func optionLines(_ choices: [Choice]) -> String {
        choices.enumerated().map { index, choice in
            "\(index + 1). " + self.replies.render(Self.handoffOptionKey(choice))
        }
        .joined(separator: "\n")
    }

    static func handoffOptionKey(_ choice: Choice) -> String {
        switch choice {
        case .leaveQuestion: "handoff.option.question"
        case .requestCallback: "handoff.option.callback"
        case .keepWaiting: "handoff.option.wait"
        case .leaveQueue: "handoff.option.leave"
        default: "handoff.option.menu"
        }
    }

    // MARK: - Leaving a question or a number

    func startLeavingMessage(
        _ choice: Choice, state: inout ConversationState, context: ConversationContext, turn: inout Turn
    ) {
        let request = self.handoffRequest(.requested, state: state)
        if choice == .requestCallback {
            state.phase = .awaitingCallbackNumber(request, attempts: 0)
            turn.say(self.replies.render("handoff.ask_phone"))
        } else {
            state.phase = .leavingQuestion(request)
            turn.say(self.replies.render("handoff.ask_question"))
        }
    }

    /// Back to the form (or to nothing) that was open before the applicant started leaving a message.
    func abandonLeavingMessage(_ state: inout ConversationState) {
        switch state.phase {
        case .leavingQuestion(let request), .awaitingCallbackNumber(let request, _):
            state.phase = request.form.map { .form($0) } ?? .idle
        default:
            break
        }
    }

    func isLeaving(_ understanding: Understanding) -> Bool {
        guard understanding.normalized.count <= self.policy.commandMaxLength else { return false }
        switch understanding.match.decision {
        case .matched(.cancel), .matched(.back): return true
        default: return self.vocabulary.words("words.leave_queue").contains(understanding.normalized)
        }
    }

    /// 取消 while leaving a question or a number: back to where the applicant was.
    func cancelLeavingMessage(_ understanding: Understanding, state: inout ConversationState, turn: inout Turn) -> Bool
    {
        guard self.isLeaving(understanding) else { return false }
        self.abandonLeavingMessage(&state)
        turn.say(self.replies.render("handoff.message_cancelled"))
        self.resumeOrMenu(&state, turn: &turn)
        return true
    }

    func handleCallbackNumber(
        _ understanding: Understanding, request: HandoffRequest, attempts: Int, state: inout ConversationState,
        context: ConversationContext, turn: inout Turn
    ) {
        if self.cancelLeavingMessage(understanding, state: &state, turn: &turn) { return }
        guard let phone = understanding.entities.phone ?? Self.landline(in: understanding.normalized) else {
            if attempts + 1 >= self.policy.retryBudget {
                self.abandonLeavingMessage(&state)
                turn.say(self.replies.render("handoff.callback_failed"))
                if state.form != nil { self.resumeOrMenu(&state, turn: &turn) }
            } else {
                state.phase = .awaitingCallbackNumber(request, attempts: attempts + 1)
                turn.say(self.replies.render("handoff.invalid_phone"))
            }
            return
        }
        turn.perform(.requestCallback(request, phone: phone))
        self.abandonLeavingMessage(&state)
        turn.say(self.whenStaffAreBack("handoff.callback_booked", ["phone": phone], now: context.now))
        if state.form != nil { self.resumeOrMenu(&state, turn: &turn) }
    }

    /// `key` with the next opening time, or its `.open` variant while staff are at work.
    func whenStaffAreBack(_ key: String, _ values: [String: String], now: Date) -> String {
        if self.configuration.desk.officeHours.isOpen(at: now) { return self.replies.render(key + ".open", values) }
        return self.replies.render(key, values.merging(["next_opening": self.nextOpeningText(after: now)]) { $1 })
    }

    /// A fixed-line number with its area code (`0771-5551234`, `07715551234`), as written.
    static func landline(in normalized: String) -> String? {
        let scalars = Array(normalized.unicodeScalars)
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "0" else {
                index += 1
                continue
            }
            var digits = ""
            var end = index
            var dashes = 0
            while end < scalars.count {
                let scalar = scalars[end]
                if scalar.properties.numericType != nil, scalar.isASCII {
                    digits.unicodeScalars.append(scalar)
                } else if scalar == "-", dashes == 0, digits.count >= 3, digits.count <= 4 {
                    dashes += 1
                } else {
                    break
                }
                end += 1
            }
            if digits.count >= 10, digits.count <= 12, index == 0 || !Self.isDigit(scalars[index - 1]) {
                return String(String.UnicodeScalarView(scalars[index..<end]))
            }
            index = max(end, index + 1)
        }
        return nil
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && scalar.properties.numericType != nil }

    func resumeOrMenu(_ state: inout ConversationState, turn: inout Turn) {
        if case .form(var progress) = state.phase {
            turn.say(self.replies.render("form.resume"))
            self.ask(&progress, state: &state, turn: &turn)
        } else {
            self.showMenu(&state, turn: &turn)
        }
    }

    // MARK: - Urgency

    /// Words like 传票 or a deadline within days: offer a person at once, once per sign.
    func noticeUrgency(
        _ understanding: Understanding, state: inout ConversationState, context: ConversationContext, turn: inout Turn
    ) {
        let signals = self.urgency.signals(in: understanding.normalized, now: context.now).filter {
            !state.urgent.contains($0)
        }
        guard !signals.isEmpty else { return }
        state.urgent = Array((state.urgent + signals).suffix(5))
        switch state.phase {
        case .leavingQuestion, .awaitingCallbackNumber:
            return
        default:
            break
        }
        if understanding.match.decision == .matched(.human) { return }
        turn.say(self.replies.render("urgent.offer", ["signals": signals.joined(separator: "、")]))
    }
}
