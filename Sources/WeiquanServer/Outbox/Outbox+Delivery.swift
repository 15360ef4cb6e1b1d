import Foundation
import Logging
import Synchronization
import WeiquanCore
import WeiquanStore

/// Delivery: one worker per applicant being served, performing what ``OutboxStateMachine`` decides.
extension Outbox {
    /// Serves one applicant's queue until it is empty, held, or the task is cancelled.
    func work(_ applicant: ApplicantID) async {
        while true {
            let now = self.clock()
            switch self.machine.withLock({ $0.nextStep(for: applicant, at: now, cancelled: Task.isCancelled) }) {
            case .stop:
                return
            case .checkPrevious(let head):
                if let previous = head.previousID {
                    do {
                        try await self.ingestCurrent(id: previous, of: applicant)
                    } catch {
                        // Not known to be finished: looked up again after a pause.
                        self.logger.warning(
                            "outbox could not read a message's predecessor",
                            metadata: ["message": "\(head.id)", "error": "\(error)"]
                        )
                        let pause = self.machine.withLock { $0.policy.delay(afterAttempts: 1) }
                        try? await self.timerClock.sleep(for: pause)
                        continue
                    }
                }
                self.machine.withLock { $0.previousChecked(head) }
            case .wait(let pause):
                do {
                    try await self.timerClock.sleep(for: pause)
                } catch {
                    // Cancelled: the next step stops the worker.
                }
            case .send(let message):
                do {
                    try await self.permits.withPermit { await self.attempt(message) }
                } catch {
                    // Cancelled while waiting for a slot: the next step stops the worker.
                }
            }
        }
    }

    /// One attempt at the head message: owner, token, `sending` on disk, the call, the result on disk.
    private func attempt(_ message: OutboxMessage) async {
        let checksOwnership = self.ownerOf.withLock { $0 != nil }
        var action = self.machine.withLock { $0.attemptStarted(message, checksOwnership: checksOwnership) }
        var token = ""
        while true {
            switch action {
            case .checkOwner(let message):
                let owner = await self.ownerOf.withLock({ $0 })?(message.applicant) ?? .bot
                action = self.machine.withLock { $0.ownerChecked(message, owner: owner) }
            case .fetchToken(let message):
                do {
                    token = try await self.tokens.token()
                    action = self.machine.withLock { $0.tokenFetched(message) }
                } catch {
                    if Task.isCancelled { return }
                    let now = self.clock()
                    action = self.machine.withLock { $0.tokenFailed(message, at: now) }
                }
            case .recordSending(let sending):
                do {
                    try await self.store.put(sending)
                    action = self.machine.withLock { $0.sendingRecorded(sending) }
                } catch {
                    self.logger.error(
                        "outbox could not record a send; retrying later",
                        metadata: ["message": "\(sending.id)", "error": "\(error)"]
                    )
                    let now = self.clock()
                    action = self.machine.withLock { $0.sendingNotRecorded(sending, at: now) }
                }
            case .call(let sending):
                // A call handed to the API finishes even if delivery is being cancelled, so its result is recorded.
                let outcome = await Task { [token] in await self.call(sending, token: token) }.value
                let now = self.clock()
                action = self.machine.withLock { $0.callEnded(sending, with: outcome, at: now) }
            case .recordResult(let message, let report):
                self.report(report, for: message)
                // In the applicant's lane, so that whoever sees the result on disk (a passive reply taking the held
                // messages, a release) finds the queue updated too.
                await self.lanes.run(message.applicant) {
                    do {
                        try await self.store.put(message)
                    } catch {
                        // The store still says `sending`: after a restart the message is sent again (at-least-once).
                        self.logger.error(
                            "outbox could not record a result",
                            metadata: [
                                "message": "\(message.id)", "state": "\(message.state.name)", "error": "\(error)",
                            ]
                        )
                    }
                    self.machine.withLock { $0.resultRecorded(message) }
                }
                return
            case .done:
                return
            }
        }
    }

    /// Sends, retrying once at once with a fresh token after a token error.
    private func call(_ message: OutboxMessage, token: String) async -> OutboxCallOutcome {
        do {
            try await self.api.sendText(message.content, to: message.applicant.rawValue, accessToken: token)
            return .delivered
        } catch let error as WeChatAPIError where error.isTokenExpired {
            await self.tokens.invalidate(token)
            self.logger.info(
                "access token refused; sending again with a fresh one",
                metadata: ["message": "\(message.id)", "code": "\(error.code)"]
            )
        } catch {
            return OutboxCallOutcome(classifying: error)
        }
        let fresh: String
        do {
            fresh = try await self.tokens.token()
        } catch {
            return .retry(code: (error as? WeChatAPIError)?.code ?? WeChatAPIError.transport)
        }
        do {
            try await self.api.sendText(message.content, to: message.applicant.rawValue, accessToken: fresh)
            return .delivered
        } catch let error as WeChatAPIError where error.isTokenExpired {
            // Refused twice running: transient, and the next attempt starts from yet another token.
            await self.tokens.invalidate(fresh)
            return .retry(code: error.code)
        } catch {
            return OutboxCallOutcome(classifying: error)
        }
    }

    /// Counts and logs what an attempt came to.
    private func report(_ report: OutboxStateMachine.Report, for message: OutboxMessage) {
        let id: Logger.MetadataValue = "\(message.id)"
        switch report {
        case .withheld:
            self.metrics.increment(.outboxWithheld)
            self.logger.info(
                "outbox withheld a message: its author no longer owns the conversation",
                metadata: ["message": id, "author": "\(message.author)"]
            )
        case .delivered:
            self.metrics.increment(.outboxSent)
        case .gaveUp(let code, let attempts):
            self.metrics.increment(.outboxFailed, label: String(code))
            self.logger.error(
                "outbox gave up on a message after transient errors",
                metadata: ["message": id, "code": "\(code)", "attempts": "\(attempts)"]
            )
        case .willRetry(let code, let attempts):
            self.logger.warning(
                "outbox send failed; retrying later",
                metadata: ["message": id, "code": "\(code)", "attempts": "\(attempts)"]
            )
        case .held(let code):
            self.metrics.increment(.outboxHeld)
            self.logger.info(
                "outbox holds a message for the applicant's next visit", metadata: ["message": id, "code": "\(code)"])
        case .refused(let code):
            self.metrics.increment(.outboxFailed, label: String(code))
            self.logger.error("outbox message refused by WeChat", metadata: ["message": id, "code": "\(code)"])
        }
    }
}
