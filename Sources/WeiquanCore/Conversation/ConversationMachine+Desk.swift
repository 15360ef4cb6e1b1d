import Foundation

/// What staff and the desk's timers do to a conversation and its handoff, and what the applicant is told.
///
/// Each method checks the change (throwing ``HandoffError`` when it is not allowed), changes the handoff and
/// the conversation together, and returns the message for the applicant (sent through the outbox by the
/// service; printed by `weiquan chat`; checked by the transcript replayer).
extension ConversationMachine {
    /// A staff member takes a waiting handoff: the conversation is theirs from now on.
    public func claim(
        _ handoff: inout HandoffRecord, conversation: inout Conversation, by staff: String, now: Date
    ) throws(HandoffError) -> String {
        try handoff.claim(by: staff, at: now)
        conversation.hand(to: .staff(staff), through: handoff.id)
        let notice = self.claimedNotice(unit: handoff.unit)
        handoff.append(.staff, notice, author: staff, at: now)
        return notice
    }

    /// A staff member takes a conversation nobody handed over; the handoff gets `context.handoffID`.
    /// - Parameter unit: The staff member's unit; nil: the unit the open form would be filed with.
    /// - Returns: The new handoff (claimed) and the notice for the applicant.
    public func takeOver(
        _ conversation: inout Conversation, unit: UnitID?, by staff: String, context: ConversationContext
    ) throws(HandoffError) -> (handoff: HandoffRecord, notice: String) {
        guard conversation.owner == .bot else {
            throw .conversationTaken(
                applicant: conversation.applicant, handoff: conversation.handoffID,
                assignee: conversation.owner.staffName
            )
        }
        let now = context.now
        let unit = unit ?? self.handoffUnit(for: conversation.state.form)
        let request = HandoffRequest(reason: .staffTakeover, form: conversation.state.form, unit: unit)
        var handoff = self.openHandoff(request, status: .active, conversation: conversation, context: context)
        handoff.assignee = staff
        handoff.claimedAt = now
        handoff.append(.event, "taken over", author: staff, at: now)
        let notice = self.claimedNotice(unit: unit)
        handoff.append(.staff, notice, author: staff, at: now)
        conversation.hand(to: .staff(staff), through: handoff.id)
        return (handoff, notice)
    }

    /// A claimed conversation goes to another staff member.
    public func transfer(
        _ handoff: inout HandoffRecord, conversation: inout Conversation, toStaff target: String,
        by actor: HandoffRecord.Actor, now: Date
    ) throws(HandoffError) -> String {
        try handoff.transfer(toStaff: target, by: actor, at: now)
        conversation.hand(to: .staff(target), through: handoff.id)
        let notice = self.render("handoff.transferred_staff")
        handoff.append(.staff, notice, author: actor.name, at: now)
        return notice
    }

    /// A waiting or claimed handoff goes to another unit's queue, keeping its place by the time of the request.
    /// - Parameter position: Its place in the new unit's queue, as it is after the move.
    public func transfer(
        _ handoff: inout HandoffRecord, conversation: inout Conversation, toUnit unit: UnitID,
        by actor: HandoffRecord.Actor, now: Date, position: (HandoffRecord) -> Int
    ) throws(HandoffError) -> String {
        try handoff.transfer(toUnit: unit, by: actor, at: now)
        let place = position(handoff)
        handoff.toldPosition = place
        handoff.toldAt = now
        conversation.hand(to: .queue, through: handoff.id)
        let notice = self.render(
            "handoff.transferred_unit", ["unit": self.unitName(unit), "position": String(place)]
        )
        handoff.append(.bot, notice, at: now)
        return notice
    }

    /// Back to the bot: the handoff ends with `outcome`, the applicant is told, and the form they were
    /// filling in goes on (`resume`) or the bot starts afresh.
    /// - Parameter staff: Who ended it; nil for the desk's timers.
    public func handBack(
        _ handoff: inout HandoffRecord, conversation: inout Conversation, outcome: HandoffRecord.Outcome, resume: Bool,
        by staff: String?, now: Date
    ) -> String {
        handoff.finish(outcome, by: staff, at: now)
        let key =
            switch outcome {
            case .closed: "handoff.closed_by_staff"
            case .idleReleased: "handoff.idle_released"
            default: "handoff.released"
            }
        let text = self.handBack(&conversation.state, key: key, resume: resume, now: now)
        conversation.giveBack()
        handoff.append(.bot, text, at: now)
        return text
    }

    /// The desk closed for the day while the applicant waited: they leave the queue and may leave a question
    /// or a number instead.
    public func closeQueue(_ handoff: inout HandoffRecord, conversation: inout Conversation, now: Date) -> String {
        handoff.end(.deskClosed, at: now)
        let text = self.deskClosed(&conversation.state, now: now)
        conversation.giveBack()
        handoff.append(.bot, text, at: now)
        return text
    }

    /// Why the desk offers a waiting applicant to leave a question or a number instead.
    public enum WaitOffer: Sendable {
        /// They waited longer than the desk's `max_wait_minutes`.
        case waitedTooLong
        /// The desk paused for a break; the queue waits for it to reopen.
        case deskPaused
    }

    /// Tells a waiting applicant, once, what they may do instead of waiting; their place in line goes with it.
    /// - Returns: The message, or nil when the offer was made already or the handoff no longer waits.
    public func offer(
        _ offer: WaitOffer, _ handoff: inout HandoffRecord, conversation: inout Conversation, position: Int, now: Date
    ) -> String? {
        guard handoff.status == .waiting, !handoff.offered else { return nil }
        handoff.offered = true
        let text =
            switch offer {
            case .waitedTooLong: self.waitedTooLong(&conversation.state, position: position)
            case .deskPaused: self.deskPaused(&conversation.state, position: position, now: now)
            }
        handoff.toldPosition = position
        handoff.toldAt = now
        handoff.append(.bot, text, at: now)
        return text
    }

    /// Tells a waiting applicant their better place in line, when it improved enough to mention.
    /// - Returns: The message, or nil when there is nothing to tell.
    public func tellPosition(_ handoff: inout HandoffRecord, position: Int, now: Date) -> String? {
        guard handoff.status == .waiting, let text = self.positionNotice(told: handoff.toldPosition, now: position)
        else {
            return nil
        }
        handoff.toldPosition = position
        handoff.toldAt = now
        handoff.append(.bot, text, at: now)
        return text
    }
}
