import Foundation
import Synchronization

/// Remembers which inbound messages were handled and what they were answered, so a WeChat retry never
/// runs the conversation twice.
///
/// A retry of a message still being handled waits for the first delivery's answer; a retry of one
/// already handled gets the stored answer at once. Answers are also stored durably (``RetryRecord``)
/// and loaded at start, so the memory survives a restart inside the retry window.
public final class RetryLedger: Sendable {
    /// What a message's key says on arrival.
    public enum Claim: Equatable, Sendable {
        /// First delivery: handle it, then call ``finish(_:reply:at:)`` or ``abandon(_:at:)``.
        case fresh
        /// A retry: answer with this (nil: `success`), as first answered at that time.
        case answered(String?, at: Date)
    }

    private enum Entry {
        case inFlight([CheckedContinuation<Claim, Never>])
        case done(reply: String?, at: Date)
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init(records: [RetryRecord] = []) {
        self.entries.withLock { entries in
            for record in records { entries[record.id] = .done(reply: record.reply, at: record.handledAt) }
        }
    }

    /// Claims a message key; a retry of a message in flight waits until the first delivery finishes.
    public func claim(_ key: String) async -> Claim {
        enum Immediate {
            case claim(Claim)
            case wait
        }
        let immediate = self.entries.withLock { entries -> Immediate in
            switch entries[key] {
            case nil:
                entries[key] = .inFlight([])
                return .claim(.fresh)
            case .done(let reply, let at):
                return .claim(.answered(reply, at: at))
            case .inFlight:
                return .wait
            }
        }
        if case .claim(let claim) = immediate { return claim }
        return await withCheckedContinuation { continuation in
            let now = self.entries.withLock { entries -> Claim? in
                switch entries[key] {
                case .inFlight(var waiters):
                    waiters.append(continuation)
                    entries[key] = .inFlight(waiters)
                    return nil
                case .done(let reply, let at):
                    return .answered(reply, at: at)
                case nil:
                    // The first delivery failed and gave the key up: this retry handles the message.
                    entries[key] = .inFlight([])
                    return .fresh
                }
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    /// Records the answer and wakes the retries waiting for it.
    public func finish(_ key: String, reply: String?, at date: Date) {
        let waiters = self.entries.withLock { entries -> [CheckedContinuation<Claim, Never>] in
            defer { entries[key] = .done(reply: reply, at: date) }
            if case .inFlight(let waiters) = entries[key] { return waiters }
            return []
        }
        for waiter in waiters { waiter.resume(returning: .answered(reply, at: date)) }
    }

    /// Gives a key up after a failure: the next delivery of the message handles it afresh.
    public func abandon(_ key: String, at date: Date) {
        let waiters = self.entries.withLock { entries -> [CheckedContinuation<Claim, Never>] in
            defer { entries[key] = nil }
            if case .inFlight(let waiters) = entries[key] { return waiters }
            return []
        }
        // Waiting retries answer `success`; WeChat will not retry again, and the applicant may resend.
        for waiter in waiters { waiter.resume(returning: .answered(nil, at: date)) }
    }

    /// Forgets answers given before `date`; returns their keys so the stored records can be deleted.
    public func expire(before date: Date) -> [String] {
        self.entries.withLock { entries in
            let old = entries.compactMap { key, entry -> String? in
                if case .done(_, let at) = entry, at < date { return key }
                return nil
            }
            for key in old { entries[key] = nil }
            return old.sorted()
        }
    }

    public var count: Int { self.entries.withLock { $0.count } }
}
