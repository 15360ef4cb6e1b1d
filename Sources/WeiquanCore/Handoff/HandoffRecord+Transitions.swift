import Foundation

/// The changes staff and the desk make to a handoff, each checked against where the handoff is.
///
/// They change the handoff only; what the conversation and the applicant see of them is
/// ``ConversationMachine``'s part (``ConversationMachine/claim(_:conversation:by:now:)`` and the like).
extension HandoffRecord {
    /// Who asks for a change: a staff member's desk token name, and whether it is an admin's (who may act on
    /// handoffs claimed by others).
    public struct Actor: Sendable, Equatable {
        public var name: String
        public var isAdmin: Bool

        public init(name: String, isAdmin: Bool) {
            self.name = name
            self.isAdmin = isAdmin
        }
    }

    /// A waiting handoff becomes `staff`'s.
    public mutating func claim(by staff: String, at now: Date) throws(HandoffError) {
        switch self.status {
        case .waiting: break
        case .active: throw .alreadyClaimed(handoff: self.id, assignee: self.assignee)
        default: throw .notWaiting(handoff: self.id, status: self.status)
        }
        self.status = .active
        self.assignee = staff
        self.claimedAt = now
        self.lastActivityAt = now
        self.append(.event, "claimed", author: staff, at: now)
    }

    /// A message from staff to the applicant, on the transcript. Only the staff member who claimed it may
    /// write; a left question or call-back may be answered by anyone of its unit without taking it over.
    public mutating func recordStaffMessage(_ text: String, by actor: Actor, at now: Date) throws(HandoffError) {
        switch self.status {
        case .active:
            guard self.assignee == actor.name else { throw .notAssignee(handoff: self.id, assignee: self.assignee) }
        case .question, .callback:
            break
        case .waiting:
            throw .notClaimed(handoff: self.id)
        case .ended:
            throw .ended(handoff: self.id)
        }
        self.lastActivityAt = now
        self.append(.staff, text, author: actor.name, at: now)
    }

    /// An internal note on the transcript; never sent.
    public mutating func addNote(_ text: String, by actor: Actor, at now: Date) throws(HandoffError) {
        guard self.status != .ended else { throw .ended(handoff: self.id) }
        self.append(.note, text, author: actor.name, at: now)
    }

    /// A claimed handoff goes to another staff member.
    public mutating func transfer(toStaff target: String, by actor: Actor, at now: Date) throws(HandoffError) {
        switch self.status {
        case .active: try self.requireAssignee(actor)
        case .waiting: throw .notClaimed(handoff: self.id)
        case .ended: throw .ended(handoff: self.id)
        case .question, .callback: throw .notOpen(handoff: self.id, status: self.status)
        }
        self.assignee = target
        self.lastActivityAt = now
        self.append(.event, "transferred to \(target)", author: actor.name, at: now)
    }

    /// A waiting or claimed handoff goes to another unit's queue, keeping its place by the time of the request.
    public mutating func transfer(toUnit unit: UnitID, by actor: Actor, at now: Date) throws(HandoffError) {
        try self.requireOwnsConversation(actor)
        self.unit = unit
        self.status = .waiting
        self.assignee = nil
        self.claimedAt = nil
        self.offered = false
        self.append(.event, "transferred to \(unit)", author: actor.name, at: now)
    }

    /// Checks that `actor` may hand the conversation back to the bot.
    public func checkRelease(by actor: Actor) throws(HandoffError) {
        try self.requireOwnsConversation(actor)
    }

    /// Checks that `actor` may close it.
    public func checkClose(by actor: Actor) throws(HandoffError) {
        guard self.status != .ended else { throw .ended(handoff: self.id) }
        if self.status == .active { try self.requireAssignee(actor) }
    }

    /// Ends it with `outcome`, with an event line by `staff` (nil: the desk or the applicant).
    public mutating func finish(_ outcome: Outcome, by staff: String?, at now: Date) {
        self.end(outcome, at: now)
        self.append(.event, outcome.rawValue, author: staff, at: now)
    }

    /// The queue or a staff member owns the conversation through it; a claimed one only for its assignee.
    func requireOwnsConversation(_ actor: Actor) throws(HandoffError) {
        switch self.status {
        case .waiting: break
        case .active: try self.requireAssignee(actor)
        case .ended: throw .notOpen(handoff: self.id, status: self.status)
        case .question, .callback: throw .notOpen(handoff: self.id, status: self.status)
        }
    }

    func requireAssignee(_ actor: Actor) throws(HandoffError) {
        guard actor.isAdmin || self.assignee == actor.name else {
            throw .notAssignee(handoff: self.id, assignee: self.assignee)
        }
    }
}
