import Foundation
import Synchronization
import WeiquanCore

/// The open handoffs in memory: the queues per unit, first come first served, and who owns what.
///
/// It mirrors the `handoffs` collection and is updated only after a change is durable. Each handoff
/// changes only in its applicant's lane, so updates of one handoff never race.
final class HandoffIndex: Sendable {
    private struct State {
        /// Every handoff not yet ended, by id.
        var open: [String: HandoffRecord] = [:]
        /// The handoff that owns each conversation (waiting or active), by applicant.
        var owning: [String: String] = [:]
        var nextNumber: Int
    }

    private let state: Mutex<State>

    /// - Parameter records: Every stored handoff (ended ones only count for the numbering).
    init(records: [HandoffRecord]) {
        let highest = records.compactMap { Int($0.id.dropFirst()) }.max() ?? 0
        var state = State(nextNumber: highest + 1)
        for record in records where record.isOpen {
            state.open[record.id] = record
            if record.ownsConversation { state.owning[record.conversation] = record.id }
        }
        self.state = Mutex(state)
    }

    /// A new id: `H` and six or more digits, in order.
    func makeID() -> String {
        let number = self.state.withLock { state in
            defer { state.nextNumber += 1 }
            return state.nextNumber
        }
        let digits = String(number)
        return "H" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    func record(_ id: String) -> HandoffRecord? {
        self.state.withLock { $0.open[id] }
    }

    /// The handoff that owns the applicant's conversation, if any.
    func owning(_ applicant: String) -> HandoffRecord? {
        self.state.withLock { state in state.owning[applicant].flatMap { state.open[$0] } }
    }

    /// Takes in a handoff as it now is on disk.
    func update(_ record: HandoffRecord) {
        self.state.withLock { state in
            if record.isOpen {
                state.open[record.id] = record
            } else {
                state.open[record.id] = nil
            }
            if record.ownsConversation {
                state.owning[record.conversation] = record.id
            } else if state.owning[record.conversation] == record.id {
                state.owning[record.conversation] = nil
            }
        }
    }

    /// How many wait in each unit's queue.
    func waitingCounts() -> [String: Int] {
        self.state.withLock { state in
            var counts: [String: Int] = [:]
            for record in state.open.values where record.status == .waiting { counts[record.unit, default: 0] += 1 }
            return counts
        }
    }

    /// The unit's queue, first in line first.
    func waiting(in unit: String) -> [HandoffRecord] {
        self.state.withLock { state in
            state.open.values.filter { $0.status == .waiting && $0.unit == unit }.sorted(by: Self.queueOrder)
        }
    }

    /// The place of a waiting handoff in its unit's queue, 1 for the next; nil when it is not waiting.
    func position(of id: String) -> Int? {
        self.state.withLock { state in
            guard let record = state.open[id], record.status == .waiting else { return nil }
            return 1 + state.open.values.count {
                $0.status == .waiting && $0.unit == record.unit && Self.queueOrder($0, record)
            }
        }
    }

    /// The open handoffs (optionally only some statuses or one unit), oldest request first.
    func list(statuses: Set<HandoffRecord.Status>? = nil, unit: String? = nil) -> [HandoffRecord] {
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
