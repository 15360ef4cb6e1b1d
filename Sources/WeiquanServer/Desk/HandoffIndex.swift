import Foundation
import Synchronization
import WeiquanCore

/// The open handoffs in memory: the queues per unit, first come first served, and who owns what; and the
/// ``HandoffFacts`` of every handoff, open or ended, for the reports.
///
/// It mirrors the `handoffs` collection and is updated only after a change is durable. Each handoff
/// changes only in its applicant's lane, so updates of one handoff never race. Every change it takes in is told to
/// the live listeners of ``changes`` (the handoff itself and the handoffs whose place in a queue it moved).
final class HandoffIndex: Sendable {
    private struct State {
        /// Every handoff not yet ended, by id.
        var open: [HandoffID: HandoffRecord] = [:]
        /// The handoff that owns each conversation (waiting or active), by applicant.
        var owning: [ApplicantID: HandoffID] = [:]
        /// How many wait in each unit's queue (units with none are left out), kept as records change: every
        /// message reads it, so it must not cost a walk over the open handoffs.
        var waiting: [UnitID: Int] = [:]
        var nextNumber: Int
        /// What the reports count of every handoff, ended ones too.
        var facts: [HandoffID: HandoffFacts] = [:]

        mutating func count(_ record: HandoffRecord?, _ delta: Int) {
            guard let record, record.status == .waiting else { return }
            let count = (self.waiting[record.unit] ?? 0) + delta
            self.waiting[record.unit] = count > 0 ? count : nil
        }
    }

    private let state: Mutex<State>

    /// Where the changes taken in are told (`GET /api/v1/events`).
    let changes = HandoffBroadcaster()

    /// - Parameter records: Every stored handoff (ended ones only count for the numbering).
    init(records: [HandoffRecord]) {
        let highest = records.compactMap { Int($0.id.rawValue.dropFirst()) }.max() ?? 0
        var state = State(nextNumber: highest + 1)
        state.facts.reserveCapacity(records.count)
        for record in records { state.facts[record.id] = HandoffFacts(record) }
        for record in records where record.isOpen {
            state.open[record.id] = record
            state.count(record, 1)
            if record.ownsConversation { state.owning[record.applicant] = record.id }
        }
        self.state = Mutex(state)
    }

    /// The id the next handoff gets, without taking it: `H` and six or more digits, in order.
    func nextID() -> HandoffID {
        Self.id(self.state.withLock { $0.nextNumber })
    }

    /// Takes note of a handoff id that exists in the store (written here, by another instance, or met as a
    /// create conflict): ``nextID()`` comes after it. New handoffs are written with create-only changes, so two
    /// conversations offered the same id cannot both take it; the loser observes it and runs again.
    func observe(_ id: HandoffID) {
        guard let number = Int(id.rawValue.dropFirst()) else { return }
        self.state.withLock { state in state.nextNumber = max(state.nextNumber, number + 1) }
    }

    static func id(_ number: Int) -> HandoffID {
        let digits = String(number)
        return HandoffID("H" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits)
    }

    func record(_ id: HandoffID) -> HandoffRecord? {
        self.state.withLock { $0.open[id] }
    }

    /// The handoff that owns the applicant's conversation, if any.
    func owning(_ applicant: ApplicantID) -> HandoffRecord? {
        self.state.withLock { state in state.owning[applicant].flatMap { state.open[$0] } }
    }

    /// Takes in a handoff as it now is on disk.
    func update(_ record: HandoffRecord) {
        self.observe(record.id)
        let facts = HandoffFacts(record)
        let events = self.state.withLock { state -> [HandoffEvent] in
            let before = state.open[record.id]
            state.facts[record.id] = facts
            state.count(state.open[record.id], -1)
            state.count(record, 1)
            if record.isOpen {
                state.open[record.id] = record
            } else {
                state.open[record.id] = nil
            }
            if record.ownsConversation {
                state.owning[record.applicant] = record.id
            } else if state.owning[record.applicant] == record.id {
                state.owning[record.applicant] = nil
            }
            // An ended handoff this index did not hold open (a retention pass rewriting it) changes no page.
            guard self.changes.isListened, before != record, before != nil || record.isOpen else { return [] }
            return Self.events(before: before, after: record, in: state)
        }
        self.changes.publish(events)
    }

    /// Forgets a handoff that is no longer in the store.
    func remove(_ id: HandoffID) {
        let events = self.state.withLock { state -> [HandoffEvent] in
            state.count(state.open[id], -1)
            let removed = state.open.removeValue(forKey: id)
            if let record = removed, state.owning[record.applicant] == id {
                state.owning[record.applicant] = nil
            }
            state.facts[id] = nil
            guard self.changes.isListened, let removed else { return [] }
            return Self.events(before: removed, after: nil, in: state)
        }
        self.changes.publish(events)
    }

    /// What to tell of a change from `before` to `after` (nil: not there), with `state` already changed: the
    /// handoff itself, and every waiting handoff behind it in a queue it joined or left (their places moved).
    private static func events(before: HandoffRecord?, after: HandoffRecord?, in state: State) -> [HandoffEvent] {
        guard let changed = after ?? before else { return [] }
        func queue(_ unit: UnitID) -> [HandoffRecord] {
            state.open.values.filter { $0.status == .waiting && $0.unit == unit }.sorted(by: Self.queueOrder)
        }
        var events: [HandoffEvent] = []
        var moved: Set<UnitID> = []
        let wasWaiting = before?.status == .waiting
        let isWaiting = after?.status == .waiting
        if wasWaiting, let before, !isWaiting || after?.unit != before.unit { moved.insert(before.unit) }
        if isWaiting, let after, !wasWaiting || before?.unit != after.unit { moved.insert(after.unit) }
        let ownQueue = isWaiting ? queue(changed.unit) : []
        events.append(
            HandoffEvent(
                changed, status: after == nil ? HandoffEvent.removed : nil,
                position: ownQueue.firstIndex { $0.id == changed.id }.map { $0 + 1 },
                previousUnit: before?.unit))
        for unit in moved.sorted(by: { $0.rawValue < $1.rawValue }) {
            for (index, other) in (unit == changed.unit && isWaiting ? ownQueue : queue(unit)).enumerated()
            where other.id != changed.id && Self.queueOrder(changed, other) {
                events.append(HandoffEvent(other, position: index + 1))
            }
        }
        return events
    }

    /// The facts of every handoff, for a report.
    func facts() -> [HandoffFacts] {
        self.state.withLock { Array($0.facts.values) }
    }

    /// Forgets everything and takes in `records` (every stored handoff), after word of other instances' changes
    /// may have been missed.
    func reload(_ records: [HandoffRecord]) {
        let fresh = HandoffIndex(records: records)
        let state = fresh.state.withLock { $0 }
        self.state.withLock { current in
            let next = max(current.nextNumber, state.nextNumber)
            current = state
            current.nextNumber = next
        }
        self.changes.resync()
    }

    /// How many wait in each unit's queue.
    func waitingCounts() -> [UnitID: Int] {
        self.state.withLock { $0.waiting }
    }

    /// The unit's queue, first in line first.
    func waiting(in unit: UnitID) -> [HandoffRecord] {
        self.state.withLock { state in
            state.open.values.filter { $0.status == .waiting && $0.unit == unit }.sorted(by: Self.queueOrder)
        }
    }

    /// The place of a waiting handoff in its unit's queue, 1 for the next; nil when it is not waiting.
    func position(of id: HandoffID) -> Int? {
        guard let record = self.record(id), record.status == .waiting else { return nil }
        return self.position(for: record)
    }

    /// The place `record` has (or would have, e.g. after a transfer) in the queue of its unit.
    func position(for record: HandoffRecord) -> Int {
        self.state.withLock { state in
            1
                + state.open.values.count { other in
                    other.id != record.id && other.status == .waiting && other.unit == record.unit
                        && Self.queueOrder(other, record)
                }
        }
    }

    /// The open handoffs (optionally only some statuses or one unit), oldest request first.
    func list(statuses: Set<HandoffRecord.Status>? = nil, unit: UnitID? = nil) -> [HandoffRecord] {
        self.state.withLock { state in
            state.open.values.filter { record in
                (statuses?.contains(record.status) ?? true) && (unit.map { $0 == record.unit } ?? true)
            }
            .sorted(by: Self.queueOrder)
        }
    }

    /// First come first served; the id breaks ties between requests of the same instant.
    static func queueOrder(_ lhs: HandoffRecord, _ rhs: HandoffRecord) -> Bool {
        (lhs.requestedAt, lhs.id) < (rhs.requestedAt, rhs.id)
    }
}
