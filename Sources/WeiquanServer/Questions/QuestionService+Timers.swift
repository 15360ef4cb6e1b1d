import Foundation
import Logging
import WeiquanCore
import WeiquanStore

extension QuestionService {
    /// The timers: claims whose lease ran out go back to the queue, and follow-ups that got no reply within
    /// ``VolunteerPolicy/followUpHours`` give the question back to its volunteer (the conversation stops waiting).
    /// Run every minute by ``QuestionSweeper`` on the holder of the `question-leases` role; tests call it directly.
    /// Each change is checked again on the question read fresh under the applicant's lock.
    public func sweep() async {
        let now = self.now
        let limit = self.policy.followUpSeconds
        let questions: [QuestionRecord]
        do {
            questions = try await self.store.all(QuestionRecord.self)
        } catch {
            self.logger.warning("question timers: the questions could not be read", metadata: ["error": "\(error)"])
            return
        }
        self.board.replace(with: questions)
        for question in questions {
            do {
                if question.status == .claimed, let lease = question.claim?.leaseUntil, lease <= now {
                    try await self.edit(question, by: nil, action: .questionLeaseExpired) { change in
                        guard change.question.status == .claimed, let lease = change.question.claim?.leaseUntil,
                            lease <= change.now
                        else { return }
                        try change.question.expireLease(at: change.now)
                    }
                } else if let open = question.openFollowUp, open.askedAt.addingTimeInterval(limit) <= now {
                    try await self.edit(question, by: nil, action: .questionFollowUpLapsed) { change in
                        guard let open = change.question.openFollowUp,
                            open.askedAt.addingTimeInterval(limit) <= change.now
                        else { return }
                        try change.question.lapseFollowUp(at: change.now, after: limit)
                        Self.endWait(for: change.question.id, in: &change.conversation)
                    }
                }
            } catch {
                self.logger.warning(
                    "question timer failed", metadata: ["question": "\(question.id)", "error": "\(error)"])
            }
        }
    }

    /// Reads the questions again for the gauges (every instance does, each minute: other instances' changes and
    /// the questions the bot files reach the gauges this way).
    public func refreshFigures() async {
        do {
            self.board.replace(with: try await self.store.all(QuestionRecord.self))
        } catch {
            self.logger.warning("question gauges not refreshed", metadata: ["error": "\(error)"])
        }
    }

    /// Shows the queue's depth and the age of its oldest question, by IP type, at `/metrics`.
    public func registerGauges(_ metrics: Metrics) {
        let (board, clock) = (self.board, self.service.clock)
        metrics.gauge(.questionsQueued) { board.depthByType() }
        metrics.gauge(.questionsOldestQueuedSeconds) { board.oldestAgeByType(now: clock()) }
    }
}
