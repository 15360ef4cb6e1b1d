import Foundation

/// The one entry point for an applicant's event: who owns the conversation decides what happens, and the
/// effects are interpreted into a ``ConversationStep``.
extension ConversationMachine {
    /// Handles one event of the applicant.
    ///
    /// - The bot: the machine runs (``handle(_:state:context:)``); a case it files gets `context.caseID`, a
    ///   handoff it opens gets `context.handoffID` and its place in line from `context.waiting`.
    /// - The queue: the applicant may leave, take up an offer, or ask where they stand
    ///   (``handleQueued(_:state:standing:context:)``); everything they write joins the transcript.
    /// - A staff member: the bot says nothing but to 结束人工, which hands the conversation back; everything
    ///   joins the transcript.
    /// - Parameters:
    ///   - conversation: Updated in place: state, owner, recent messages, closed.
    ///   - handoff: The handoff that owns the conversation (when the owner is not the bot).
    ///   - context: Time, identity, ids for what the event may create, the applicant's cases, the queues.
    public func step(
        _ event: ConversationEvent, conversation: inout Conversation, handoff: HandoffRecord?,
        context: ConversationContext
    ) -> ConversationStep {
        var step = ConversationStep()
        if conversation.owner != .bot {
            if let handoff, handoff.ownsConversation, handoff.id == conversation.handoffID {
                step.handoff = handoff
                step.waitingBefore = handoff.status == .waiting
            } else {
                conversation.giveBack()
                step.reclaimedFromStaleHandoff = true
            }
        }
        switch conversation.owner {
        case .bot: self.stepWithBot(event, conversation: &conversation, context: context, step: &step)
        case .queue: self.stepInQueue(event, conversation: &conversation, context: context, step: &step)
        case .staff(let name):
            self.stepWithStaff(name, event, conversation: &conversation, context: context, step: &step)
        }
        conversation.updatedAt = context.now
        return step
    }

    func stepWithBot(
        _ event: ConversationEvent, conversation: inout Conversation, context: ConversationContext,
        step: inout ConversationStep
    ) {
        let now = context.now
        if let answered = self.questionTurn(event, conversation: &conversation, now: now) {
            conversation.remember(self.transcriptText(of: event), at: now)
            step.effects = answered.output
            step.reply = answered.reply
            for effect in answered.output {
                switch effect {
                case .replyToQuestion(let id, let text):
                    step.questionReplies.append(QuestionReplyGiven(question: id, text: text))
                case .rateAnswer(let id, let helpful, let comment):
                    step.answerRatings.append(AnswerRatingGiven(question: id, helpful: helpful, comment: comment))
                default:
                    break
                }
            }
            return
        }
        if let rated = self.rating(event, conversation: &conversation) {
            conversation.remember(self.transcriptText(of: event), at: now)
            step.effects = rated.output
            step.reply = rated.reply
            step.ratings.append(
                contentsOf: rated.output.compactMap { effect in
                    guard case .rateCase(let id, let score, let comment) = effect else { return nil }
                    return GivenRating(caseID: id, score: score, comment: comment)
                })
            return
        }
        var turn = self.turn(event, state: &conversation.state, context: context)
        self.remindOfRating(&conversation, turn: &turn)
        conversation.remember(self.transcriptText(of: event), intent: turn.understood, at: now)
        step.effects = turn.output
        step.reply = turn.reply
        for effect in turn.output {
            switch effect {
            case .reply:
                break
            case .fileCase(let record):
                step.filed.append(record)
                step.audits.append(AuditEntry(.caseFiled, caseID: record.id))
            case .withdrawCase(let id):
                step.withdrawn.append(id)
            case .rateCase(let id, let score, let comment):
                step.ratings.append(GivenRating(caseID: id, score: score, comment: comment))
            case .requestErasure:
                step.erasureRequested = true
                step.audits.append(AuditEntry(.erasureRequested, actor: AuditEntry.applicant))
            case .requestHandoff(let request, let position):
                var opened = self.openHandoff(request, status: .waiting, conversation: conversation, context: context)
                opened.toldPosition = position
                opened.toldAt = now
                conversation.hand(to: .queue, through: opened.id)
                step.opened = opened
            case .leaveQuestion(let request, let text):
                let question = self.question(text, request: request, context: context)
                step.question = question
                step.audits.append(
                    AuditEntry(.questionLeft, actor: AuditEntry.applicant, detail: "question=\(question.id)"))
            case .replyToQuestion(let id, let text):
                step.questionReplies.append(QuestionReplyGiven(question: id, text: text))
            case .rateAnswer(let id, let helpful, let comment):
                step.answerRatings.append(AnswerRatingGiven(question: id, helpful: helpful, comment: comment))
            case .requestCallback(let request, let phone):
                var opened = self.openHandoff(request, status: .callback, conversation: conversation, context: context)
                opened.callbackPhone = phone
                step.opened = opened
            case .leaveQueue, .scheduleReminder, .cancelReminders:
                // Reminders are the service's to store; they change nothing of the conversation.
                break
            case .closeConversation:
                conversation.closed = true
                step.audits.append(AuditEntry(.conversationClosed))
            }
        }
        if event == .subscribed { conversation.closed = false }
        guard var opened = step.opened else { return }
        if let reply = step.reply { opened.append(.bot, reply, at: now) }
        let action: AuditAction =
            switch opened.status {
            case .callback: .callbackRequested
            case .question: .questionLeft
            default: .handoffRequested
            }
        step.audits.append(
            AuditEntry(
                action, handoffID: opened.id,
                detail: "reason=\(opened.reason.rawValue) unit=\(opened.unit)"
                    + (opened.urgent.isEmpty ? "" : " urgent")
            )
        )
        step.opened = opened
    }

    func stepInQueue(
        _ event: ConversationEvent, conversation: inout Conversation, context: ConversationContext,
        step: inout ConversationStep
    ) {
        guard var handoff = step.handoff else { return }
        let now = context.now
        handoff.append(.applicant, self.transcriptText(of: event), at: now)
        let standing = QueueStanding(
            position: context.queuePosition ?? 1, toldPosition: handoff.toldPosition, toldAt: handoff.toldAt
        )
        let effects = self.handleQueued(event, state: &conversation.state, standing: standing, context: context)
        step.effects = effects
        for effect in effects {
            switch effect {
            case .reply(let text):
                step.reply = text
                handoff.append(.bot, text, at: now)
                handoff.toldPosition = standing.position
                handoff.toldAt = now
            case .leaveQueue:
                handoff.end(.leftQueue, at: now)
                conversation.giveBack()
                step.audits.append(AuditEntry(.queueLeft, handoffID: handoff.id))
            case .closeConversation:
                conversation.closed = true
            case .fileCase, .requestHandoff, .leaveQuestion, .requestCallback, .withdrawCase, .rateCase,
                .requestErasure, .replyToQuestion, .rateAnswer, .scheduleReminder, .cancelReminders:
                break
            }
        }
        step.handoff = handoff
    }

    func stepWithStaff(
        _ staff: String, _ event: ConversationEvent, conversation: inout Conversation, context: ConversationContext,
        step: inout ConversationStep
    ) {
        guard var handoff = step.handoff else { return }
        let now = context.now
        handoff.append(.applicant, self.transcriptText(of: event), at: now)
        handoff.lastActivityAt = now
        if event == .unsubscribed {
            handoff.end(.unsubscribed, at: now)
            conversation.state = ConversationState()
            conversation.closed = true
            conversation.giveBack()
            step.audits.append(AuditEntry(.conversationClosed, handoffID: handoff.id))
        } else if case .text(let text) = event, self.endsStaffChat(text) {
            handoff.end(.released, at: now)
            let reply = self.handBack(&conversation.state, key: "handoff.released", resume: true, now: now)
            handoff.append(.bot, reply, at: now)
            step.reply = reply
            conversation.giveBack()
            step.audits.append(
                AuditEntry(
                    .handoffReleased, actor: AuditEntry.applicant, handoffID: handoff.id, detail: "assignee=\(staff)")
            )
        }
        step.handoff = handoff
    }

    /// A handoff for the conversation as it is now: its unit, the form, the recent messages and what they
    /// meant.
    func openHandoff(
        _ request: HandoffRequest, status: HandoffRecord.Status, conversation: Conversation,
        context: ConversationContext
    ) -> HandoffRecord {
        var intents: [String] = []
        for message in conversation.recent {
            if let intent = message.intent, intents.last != intent.rawValue { intents.append(intent.rawValue) }
        }
        return HandoffRecord(
            id: context.handoffID, applicant: conversation.applicant,
            unit: request.unit.rawValue.isEmpty ? self.handoffUnit(for: request.form) : request.unit,
            reason: request.reason, urgent: request.urgent, status: status, requestedAt: context.now,
            form: request.form, intents: intents,
            messages: conversation.recent.map { HandoffMessage(at: $0.at, from: .applicant, text: $0.text) }
        )
    }
}
