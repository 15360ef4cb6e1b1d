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
        let machine = self.machine
        for handoff in self.service.handoffs.list(statuses: [.waiting, .active]) {
            do {
                if handoff.status == .active, now.timeIntervalSince(handoff.lastActivityAt) >= idleLimit {
                    try await self.timerChange(handoff, action: .handoffIdleReleased) { edit, handoff in
                        guard handoff.status == .active, edit.now.timeIntervalSince(handoff.lastActivityAt) >= idleLimit
                        else {
                            return
                        }
                        let text = machine.handBack(
                            &handoff, conversation: &edit.conversation, outcome: .idleReleased, resume: true, by: nil,
                            now: edit.now
                        )
                        edit.messages.append((text, .desk))
                    }
                } else if handoff.status == .waiting, !open, machine.deskPausedForToday(at: now) {
                    // A break (lunch): the queue waits for the desk to reopen; the applicant is told once.
                    guard !handoff.offered else { continue }
                    try await self.offer(.deskPaused, handoff, action: .queuePaused)
                } else if handoff.status == .waiting, !open {
                    try await self.timerChange(handoff, action: .queueClosed) { edit, handoff in
                        guard handoff.status == .waiting else { return }
                        let text = machine.closeQueue(&handoff, conversation: &edit.conversation, now: edit.now)
                        edit.messages.append((text, .desk))
                    }
                } else if handoff.status == .waiting, !handoff.offered,
                    now.timeIntervalSince(handoff.requestedAt) >= waitLimit
                {
                    try await self.offer(.waitedTooLong, handoff, action: .waitOffer)
                }
            } catch {
                self.logger.warning("desk timer failed", metadata: ["handoff": "\(handoff.id)", "error": "\(error)"])
            }
        }
    }

    /// Tells a waiting applicant, once, what they may do instead of waiting; the place in line goes with it.
    func offer(_ offer: ConversationMachine.WaitOffer, _ found: HandoffRecord, action: AuditAction) async throws {
        let position = self.service.handoffs.position(of: found.id) ?? 1
        let machine = self.machine
        try await self.timerChange(found, action: action) { edit, handoff in
            guard
                let text = machine.offer(
                    offer, &handoff, conversation: &edit.conversation, position: position, now: edit.now)
            else { return }
            edit.messages.append((text, .queue))
        }
    }
}
