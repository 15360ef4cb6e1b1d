import Foundation
import Logging
import WeiquanCore

extension DeskService {
    // MARK: - Timers

    /// Releases idle claimed conversations, offers alternatives after a long wait, tells waiting applicants
    /// once about a break (the queue waits), and empties the queues when the desk closes for the day. Run
    /// every few seconds by ``DeskSweeper``; tests call it directly.
    public func sweep() async {
        let now = self.service.clock()
        let open = self.policy.officeHours.isOpen(at: now)
        let idleLimit = TimeInterval(self.policy.idleReleaseMinutes * 60)
        let waitLimit = TimeInterval(self.policy.maxWaitMinutes * 60)
        for handoff in self.service.handoffs.list(statuses: [.waiting, .active]) {
            do {
                if handoff.status == .active, now.timeIntervalSince(handoff.lastActivityAt) >= idleLimit {
                    try await self.timerChange(handoff, action: "handoff_idle_released") { desk, edit, handoff in
                        guard handoff.status == .active, edit.now.timeIntervalSince(handoff.lastActivityAt) >= idleLimit else {
                            return
                        }
                        desk.handBack(&edit, &handoff, outcome: .idleReleased, key: "handoff.idle_released", resume: true, by: nil)
                    }
                } else if handoff.status == .waiting, !open, self.machine.deskPausedForToday(at: now) {
                    // A break (lunch): the queue waits for the desk to reopen; the applicant is told once.
                    guard !handoff.offered else { continue }
                    try await self.offerWhileWaiting(handoff, action: "queue_paused") { machine, state, position, now in
                        machine.deskPaused(&state, position: position, now: now)
                    }
                } else if handoff.status == .waiting, !open {
                    try await self.timerChange(handoff, action: "queue_closed") { desk, edit, handoff in
                        guard handoff.status == .waiting else { return }
                        handoff.end(.deskClosed, at: edit.now)
                        var state = edit.record.state
                        let text = desk.machine.deskClosed(&state, now: edit.now)
                        edit.record.state = state
                        desk.service.giveBack(&edit.record)
                        handoff.append(.bot, text, at: edit.now)
                        edit.messages.append((text, .desk))
                    }
                } else if handoff.status == .waiting, !handoff.offered, now.timeIntervalSince(handoff.requestedAt) >= waitLimit {
                    try await self.offerWhileWaiting(handoff, action: "wait_offer") { machine, state, position, _ in
                        machine.waitedTooLong(&state, position: position)
                    }
                }
            } catch {
                self.logger.warning("desk timer failed", metadata: ["handoff": "\(handoff.id)", "error": "\(error)"])
            }
        }
    }

    /// Tells a waiting applicant, once, what they may do instead of waiting (`text` renders it and sets the
    /// conversation's choices); the place in line is told with it.
    func offerWhileWaiting(
        _ found: HandoffRecord, action: String,
        _ text: @escaping @Sendable (ConversationMachine, inout ConversationState, Int, Date) -> String
    ) async throws {
        let position = self.service.handoffs.position(of: found.id) ?? 1
        try await self.timerChange(found, action: action) { desk, edit, handoff in
            guard handoff.status == .waiting, !handoff.offered else { return }
            handoff.offered = true
            var state = edit.record.state
            let message = text(desk.machine, &state, position, edit.now)
            edit.record.state = state
            handoff.toldPosition = position
            handoff.toldAt = edit.now
            handoff.append(.bot, message, at: edit.now)
            edit.messages.append((message, .queue))
        }
    }
}
