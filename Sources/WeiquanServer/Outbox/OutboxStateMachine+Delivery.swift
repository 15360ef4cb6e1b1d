import Foundation
import WeiquanCore

extension OutboxStateMachine {
    /// What an attempt at a queue's head does next.
    package enum AttemptAction: Equatable {
        /// Ask who owns the conversation, then ``ownerChecked(_:owner:)``.
        case checkOwner(OutboxMessage)
        /// Get an access token, then ``tokenFetched(_:)`` or ``tokenFailed(_:at:)``.
        case fetchToken(OutboxMessage)
        /// Write the message as `sending` (attempts counted) before the call, then ``sendingRecorded(_:)`` or
        /// ``sendingNotRecorded(_:at:)``.
        case recordSending(OutboxMessage)
        /// Hand the message to the API, then ``callEnded(_:with:at:)``.
        case call(OutboxMessage)
        /// Write the message's result and report it, then ``resultRecorded(_:)``: the attempt is over.
        case recordResult(OutboxMessage, Report)
        /// Nothing more: the head waits in memory (a back-off after a token or store failure).
        case done
    }

    /// What an attempt came to, for metrics and logs.
    package enum Report: Equatable {
        /// Not sent: its author no longer owns the conversation.
        case withheld
        case delivered
        /// A transient error; sent again after a back-off.
        case willRetry(code: Int, attempts: Int)
        /// A transient error on the last attempt allowed.
        case gaveUp(code: Int, attempts: Int)
        /// The window or the permission is missing: it waits for the applicant's next message.
        case held(code: Int)
        /// Refused for good.
        case refused(code: Int)
    }

    // MARK: - The worker

    /// A worker asks what to do for its applicant. `cancelled`: delivery is stopping.
    package mutating func nextStep(for applicant: ApplicantID, at now: Date, cancelled: Bool) -> DeliveryAction {
        if cancelled {
            self.queues[applicant]?.working = false
            return .stop
        }
        guard let head = self.queues[applicant]?.messages.first else {
            self.queues[applicant] = nil
            return .stop
        }
        if head.state.isHeld {
            self.queues[applicant]?.working = false
            return .stop
        }
        if let due = head.nextAttemptAt, due.timeIntervalSince(now) > 0.001 {
            return .wait(.seconds(due.timeIntervalSince(now)))
        }
        // Made on one instance after a message made on another: that one goes first, if this instance has not heard
        // of it yet.
        if let previous = head.previousID, let queue = self.queues[applicant], previous != queue.finishedID,
            head.id != queue.checkedID
        {
            return .checkPrevious(head)
        }
        return .send(head)
    }

    /// The head's previous message was read and taken in: unless it went before the head, the head may be sent.
    package mutating func previousChecked(_ head: OutboxMessage) {
        self.queues[head.applicant]?.checkedID = head.id
    }

    // MARK: - An attempt

    /// An attempt begins. The bot's and the queue's messages ask for the owner first when `checksOwnership`.
    package func attemptStarted(_ message: OutboxMessage, checksOwnership: Bool) -> AttemptAction {
        if checksOwnership && (message.author == .bot || message.author == .queue) {
            return .checkOwner(message)
        }
        return .fetchToken(message)
    }

    /// Who owns the conversation now: a message whose author may not speak to them is withheld.
    package func ownerChecked(_ message: OutboxMessage, owner: ConversationOwner) -> AttemptAction {
        guard message.author.maySpeak(whileOwnedBy: owner) else {
            var withheld = message
            withheld.state = .withheld
            withheld.revision += 1
            return .recordResult(withheld, .withheld)
        }
        return .fetchToken(message)
    }

    /// A token came: the message is recorded as `sending` before the call.
    package mutating func tokenFetched(_ message: OutboxMessage) -> AttemptAction {
        self.tokenFailures = 0
        var sending = message
        sending.state = .sending
        sending.attempts += 1
        sending.nextAttemptAt = nil
        sending.revision += 1
        return .recordSending(sending)
    }

    /// The token endpoint failed: not the message's fault, so no attempt is counted; the head waits out a back-off
    /// that grows with the endpoint's consecutive failures.
    package mutating func tokenFailed(_ message: OutboxMessage, at now: Date) -> AttemptAction {
        self.tokenFailures += 1
        self.postpone(message, by: self.policy.delay(afterAttempts: self.tokenFailures), from: now)
        return .done
    }

    /// `sending` is on disk: the call may go out.
    package mutating func sendingRecorded(_ sending: OutboxMessage) -> AttemptAction {
        self.replace(sending)
        return .call(sending)
    }

    /// `sending` could not be written: no call; the head (as it was) waits out a back-off.
    package mutating func sendingNotRecorded(_ sending: OutboxMessage, at now: Date) -> AttemptAction {
        guard let head = self.queues[sending.applicant]?.messages.first(where: { $0.id == sending.id }) else {
            return .done
        }
        self.postpone(head, by: self.policy.delay(afterAttempts: max(1, head.attempts)), from: now)
        return .done
    }

    /// The call ended: the message's new state, by the outcome and the attempts made.
    package func callEnded(_ sending: OutboxMessage, with outcome: OutboxCallOutcome, at now: Date) -> AttemptAction {
        var message = sending
        message.revision += 1
        switch outcome {
        case .delivered:
            message.state = .delivered
            message.deliveredAt = now
            return .recordResult(message, .delivered)
        case .retry(let code) where message.attempts >= self.policy.maxAttempts:
            message.state = .failed(code: code)
            message.lastErrorCode = code
            return .recordResult(message, .gaveUp(code: code, attempts: message.attempts))
        case .retry(let code):
            message.state = .pending
            message.lastErrorCode = code
            message.nextAttemptAt = now.addingTimeInterval(self.policy.delay(afterAttempts: message.attempts).inSeconds)
            return .recordResult(message, .willRetry(code: code, attempts: message.attempts))
        case .hold(let code):
            message.state = .held(code: code)
            message.lastErrorCode = code
            return .recordResult(message, .held(code: code))
        case .fail(let code):
            message.state = .failed(code: code)
            message.lastErrorCode = code
            return .recordResult(message, .refused(code: code))
        }
    }

    /// The result was written (or could not be: the store still says `sending`, and a restart sends it again).
    /// A finished message leaves its queue; a held or retried one stays at its head.
    package mutating func resultRecorded(_ message: OutboxMessage) {
        if message.state.isFinished {
            self.queues[message.applicant]?.messages.removeAll { $0.id == message.id }
            self.queues[message.applicant]?.finishedID = message.id
        } else {
            self.replace(message)
        }
    }

    /// Delays the head in memory only (nothing about the message changed).
    private mutating func postpone(_ message: OutboxMessage, by pause: Duration, from now: Date) {
        var later = message
        later.nextAttemptAt = now.addingTimeInterval(pause.inSeconds)
        self.replace(later)
    }
}
