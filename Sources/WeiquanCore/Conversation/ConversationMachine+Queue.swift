import Foundation

/// While the queue owns a conversation, and the way back to the bot.
extension ConversationMachine {
    /// Seconds between reminders of the queue position when the applicant writes while waiting.
    static let queueReminderInterval: TimeInterval = 300

    // MARK: - While waiting in the queue

    /// Handles a message while the conversation waits in the queue: the applicant may leave the queue, take
    /// up an offer made while waiting, or ask where they stand; everything else goes to staff with at most a
    /// short reminder of their place.
    /// - Returns: The effects; ``ConversationEffect/leaveQueue`` when the conversation goes back to the bot.
    package func handleQueued(
        _ event: ConversationEvent, state: inout ConversationState, standing: QueueStanding,
        context: ConversationContext
    ) -> [ConversationEffect] {
        var turn = Turn()
        state.lastActivity = context.now
        switch event {
        case .unsubscribed:
            state = ConversationState()
            turn.perform(.leaveQueue)
            turn.perform(.closeConversation)
        case .command(.cancel), .command(.back):
            self.leaveQueue(&state, turn: &turn)
        case .command, .subscribed:
            self.remind(standing, force: true, now: context.now, turn: &turn)
        case .text(let text):
            let understanding = self.understander.understand(text, currentYear: self.year(of: context.now))
            let offered = state.choices
            if let number = Self.choiceNumber(understanding.normalized), number >= 1, number <= offered.count {
                state.choices = []
                switch offered[number - 1] {
                case .leaveQuestion, .requestCallback:
                    turn.perform(.leaveQueue)
                    self.startLeavingMessage(offered[number - 1], state: &state, context: context, turn: &turn)
                case .leaveQueue, .mainMenu:
                    self.leaveQueue(&state, turn: &turn)
                default:
                    self.remind(standing, force: true, now: context.now, turn: &turn)
                }
            } else if self.isLeaving(understanding) {
                self.leaveQueue(&state, turn: &turn)
            } else if understanding.match.decision == .matched(.human) {
                self.remind(standing, force: true, now: context.now, turn: &turn)
            } else {
                self.remind(standing, force: false, now: context.now, turn: &turn)
            }
        case .location, .media, .voiceWithoutText:
            self.remind(standing, force: false, now: context.now, turn: &turn)
        }
        return turn.output
    }

    func leaveQueue(_ state: inout ConversationState, turn: inout Turn) {
        state.choices = []
        turn.perform(.leaveQueue)
        turn.say(self.replies.render("handoff.left_queue"))
        self.resumeOrMenu(&state, turn: &turn)
    }

    /// The place in the queue: always when asked, else only when it changed or a while has passed.
    func remind(_ standing: QueueStanding, force: Bool, now: Date, turn: inout Turn) {
        let due = standing.toldAt.map { now.timeIntervalSince($0) >= Self.queueReminderInterval } ?? true
        guard force || due || standing.toldPosition != standing.position else { return }
        turn.say(self.replies.render("handoff.waiting", ["position": String(standing.position)]))
    }

    /// The notice for an applicant whose place improved, or nil when the change is too small to mention
    /// (at least ``DeskPolicy/positionNoticeStep`` places, or reaching the front).
    public func positionNotice(told: Int?, now position: Int) -> String? {
        guard let told, position < told else { return nil }
        guard position == 1 || told - position >= self.configuration.desk.positionNoticeStep else { return nil }
        return self.replies.render(
            position == 1 ? "handoff.position.next" : "handoff.position", ["position": String(position)])
    }

    /// After the configured wait: the applicant may leave a question or a number instead, or keep waiting.
    public func waitedTooLong(_ state: inout ConversationState, position: Int) -> String {
        self.offerWhileWaiting(
            "handoff.wait_offer",
            ["minutes": String(self.configuration.desk.maxWaitMinutes), "position": String(position)],
            state: &state
        )
    }

    /// `key` with the choices open to someone waiting: leave a question, leave a number, or keep waiting.
    func offerWhileWaiting(_ key: String, _ values: [String: String], state: inout ConversationState) -> String {
        let choices: [Choice] = [.leaveQuestion, .requestCallback, .keepWaiting]
        state.choices = choices
        return self.replies.render(key, values.merging(["options": self.optionLines(choices)]) { $1 })
    }

    /// True when the desk is closed now but opens again later the same day (a lunch break): the queue waits.
    public func deskPausedForToday(at now: Date) -> Bool {
        let hours = self.configuration.desk.officeHours
        guard !hours.isOpen(at: now), let opening = hours.nextOpening(after: now) else { return false }
        return self.dayString(opening) == self.dayString(now)
    }

    /// The desk paused (a break) while the applicant waited: they stay in the queue and may leave a question
    /// or a number instead.
    public func deskPaused(_ state: inout ConversationState, position: Int, now: Date) -> String {
        self.offerWhileWaiting(
            "handoff.desk_paused", ["next_opening": self.nextOpeningText(after: now), "position": String(position)],
            state: &state
        )
    }

    /// The desk closed while the applicant waited: they leave the queue and may leave a question or a number.
    public func deskClosed(_ state: inout ConversationState, now: Date) -> String {
        var turn = Turn()
        self.offerMessageInstead(state: &state, now: now, turn: &turn)
        return self.replies.render("handoff.desk_closed") + "\n\n" + turn.paragraphs.joined(separator: "\n\n")
    }

    // MARK: - Back to the bot

    /// The conversation comes back from staff (or the queue) to the bot.
    /// - Parameters:
    ///   - key: The reply to open with: `handoff.released`, `handoff.closed_by_staff`, `handoff.idle_released`.
    ///   - resume: Go on with the form that was open when the applicant asked for a person; otherwise start
    ///     afresh.
    /// - Returns: The message for the applicant.
    public func handBack(_ state: inout ConversationState, key: String, resume: Bool, now: Date) -> String {
        var turn = Turn()
        state.choices = []
        state.consecutiveFallbacks = 0
        state.urgent = []
        if !resume {
            state.phase = .idle
        }
        turn.say(self.replies.render(key))
        if case .form(var progress) = state.phase {
            turn.say(self.replies.render("form.resume"))
            self.ask(&progress, state: &state, turn: &turn)
        } else if resume {
            self.reaskIfOpen(&state, turn: &turn)
        }
        state.lastActivity = now
        return turn.paragraphs.joined(separator: "\n\n")
    }

    /// True when a message to staff asks to end the chat with a person (结束人工).
    public func endsStaffChat(_ text: String) -> Bool {
        self.vocabulary.words("words.end_handoff").contains(self.understander.normalizer.normalize(text))
    }

    /// The text of an event as a transcript line for staff: the message, or `[图片] media-id` and the like.
    public func transcriptText(of event: ConversationEvent) -> String {
        switch event {
        case .text(let text): text
        case .command(let intent): "[菜单] " + self.title(of: intent)
        case .location(let label): "[位置] " + (label ?? "")
        case .media(let kind, let reference): "[\(kind)] " + reference
        case .voiceWithoutText: "[语音]"
        case .subscribed: "[关注]"
        case .unsubscribed: "[取消关注]"
        }
    }

    /// What a staff member's claim tells the applicant.
    public func claimedNotice(unit: UnitID) -> String {
        self.replies.render("handoff.claimed", ["unit": self.unitName(unit)])
    }

    /// A wording by key with the centre's details filled in (for desk notices).
    public func render(_ key: String, _ values: [String: String] = [:]) -> String {
        self.replies.render(key, values)
    }
}
