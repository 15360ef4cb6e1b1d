import Foundation
import Synchronization
import WeiquanCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Every case in memory, as a narrow row that the staff's list filters and pages on and the ``CaseFacts`` the
/// report counts: neither decodes the cases from the store (~26 µs a case), and a list page fetches only its own
/// records.
///
/// It mirrors the `cases` collection as ``HandoffIndex`` mirrors the handoffs: loaded at start, updated with every
/// case this instance writes once the write is durable (``ConversationService/takeIn(_:)``) and every case another
/// instance writes (``ChangeFollower``), reloaded on `.resync`. Between another instance's write and word of it a
/// row may lag; the page's records are read fresh, so what is shown of a case is never stale, only which cases
/// are listed.
///
/// Rows are kept oldest first by (filing time, id): the newest-first list walks from the end, and a new case is
/// appended.
package final class CaseIndex: Sendable {
    /// What the list reads of one case.
    package struct Row: Sendable {
        package var id: CaseID
        package var applicant: ApplicantID
        package var createdAt: Date
        package var status: CaseStatus
        package var kind: CaseKind
        package var unit: UnitID?
        package var assignee: String?
        package var ipType: String?
        /// The patent or trademark number (``CaseRecord/rightNumber``), for related cases.
        package var rightNumber: String?
        /// The deadline that applies now (``CaseDeadlines/current(for:)-(CaseRecord)``), worked out when the row is
        /// made: it follows from the case alone and the centre's policy and calendar, which do not change while the
        /// service runs.
        package var deadline: CaseDeadline?
        /// The id, the answers and the timeline's details, each normalised (``TextNormalizer``, so a search is
        /// width- and case-insensitive) and joined by a line feed, which no normalised text holds: a match never
        /// spans two of them.
        package var text: [UInt8]
        /// Where ``unit`` is in the index's table of units (-1: none), so a list tells visible units by position.
        fileprivate var unitSlot = -1

        /// The row of `record`, its deadline by `deadlines`.
        package init(_ record: CaseRecord, deadlines: CaseDeadlines) {
            self.id = record.id
            self.applicant = record.applicant
            self.createdAt = record.createdAt
            self.status = record.status
            self.kind = record.kind
            self.unit = record.unit
            self.assignee = record.assignee
            self.ipType = record.fields["ip_type"]
            self.rightNumber = record.rightNumber
            self.deadline = deadlines.current(for: record)
            self.text = Self.searchText(record)
        }

        /// Whether the row comes before `other` in the index (older first; the id breaks ties).
        func precedes(_ other: Row) -> Bool {
            (self.createdAt, self.id.rawValue) < (other.createdAt, other.id.rawValue)
        }

        /// The parts in any order: a search asks only whether one of them holds the text.
        static func searchText(_ record: CaseRecord) -> [UInt8] {
            let normalizer = TextNormalizer()
            var text: [UInt8] = []
            text.reserveCapacity(
                record.id.rawValue.utf8.count + record.fields.values.reduce(0) { $0 + $1.utf8.count + 1 }
                    + record.timeline.reduce(0) { $0 + ($1.detail?.utf8.count ?? 0) + 1 })
            text.append(contentsOf: normalizer.normalize(record.id.rawValue).utf8)
            for part in record.fields.values {
                text.append(CaseIndex.separator)
                text.append(contentsOf: normalizer.normalize(part).utf8)
            }
            for event in record.timeline {
                guard let detail = event.detail else { continue }
                text.append(CaseIndex.separator)
                text.append(contentsOf: normalizer.normalize(detail).utf8)
            }
            return text
        }
    }

    /// A page of a list: the ids on it, in order, and how many cases match in all.
    package struct Page: Sendable, Equatable {
        package var ids: [CaseID]
        package var total: Int
    }

    private struct State {
        /// Oldest first by (filing time, id).
        var rows: [Row] = []
        /// The facts of each row, at the same position.
        var facts: [CaseFacts] = []
        /// Where each case is in ``rows``.
        var positions: [CaseID: Int] = [:]
        /// Every unit a row has met, by slot.
        var units: [UnitID] = []
        var slots: [UnitID: Int] = [:]

        mutating func slot(of unit: UnitID?) -> Int {
            guard let unit else { return -1 }
            if let slot = self.slots[unit] { return slot }
            self.units.append(unit)
            self.slots[unit] = self.units.count - 1
            return self.units.count - 1
        }

        mutating func put(_ row: Row, _ facts: CaseFacts) {
            var row = row
            row.unitSlot = self.slot(of: row.unit)
            if let position = self.positions[row.id] {
                if self.rows[position].createdAt == row.createdAt {
                    self.rows[position] = row
                    self.facts[position] = facts
                    return
                }
                self.remove(at: position)
            }
            if self.rows.last.map({ $0.precedes(row) }) ?? true {
                self.positions[row.id] = self.rows.count
                self.rows.append(row)
                self.facts.append(facts)
                return
            }
            // Filed before the newest (another instance's case, word of which came late): in its place.
            var low = 0
            var high = self.rows.count
            while low < high {
                let middle = (low + high) / 2
                if self.rows[middle].precedes(row) { low = middle + 1 } else { high = middle }
            }
            self.rows.insert(row, at: low)
            self.facts.insert(facts, at: low)
            for position in low..<self.rows.count { self.positions[self.rows[position].id] = position }
        }

        mutating func remove(at position: Int) {
            self.positions[self.rows[position].id] = nil
            self.rows.remove(at: position)
            self.facts.remove(at: position)
            for index in position..<self.rows.count { self.positions[self.rows[index].id] = index }
        }
    }

    /// Separates the parts of ``Row/text``.
    static let separator = UInt8(ascii: "\n")

    let deadlines: CaseDeadlines
    private let state: Mutex<State>

    /// - Parameters:
    ///   - records: Every stored case.
    ///   - deadlines: The centre's deadlines, for each row's ``Row/deadline``.
    package init(records: [CaseRecord], deadlines: CaseDeadlines) {
        self.deadlines = deadlines
        self.state = Mutex(Self.state(of: records, deadlines: deadlines))
    }

    private static func state(of records: [CaseRecord], deadlines: CaseDeadlines) -> State {
        var made = records.map { (row: Row($0, deadlines: deadlines), facts: CaseFacts($0)) }
        made.sort { $0.row.precedes($1.row) }
        var state = State()
        state.rows.reserveCapacity(made.count)
        state.facts.reserveCapacity(made.count)
        state.positions.reserveCapacity(made.count)
        for (position, entry) in made.enumerated() {
            var row = entry.row
            row.unitSlot = state.slot(of: row.unit)
            state.positions[row.id] = position
            state.rows.append(row)
            state.facts.append(entry.facts)
        }
        return state
    }

    // MARK: - Following the store

    /// Takes in cases as they now are in the store (filed, changed).
    package func update(_ records: [CaseRecord]) {
        // Made outside the lock: normalising the text is the costly part.
        let made = records.map { (Row($0, deadlines: self.deadlines), CaseFacts($0)) }
        self.state.withLock { state in
            for (row, facts) in made { state.put(row, facts) }
        }
    }

    /// Forgets a case that is no longer in the store.
    package func remove(_ id: CaseID) {
        self.state.withLock { state in
            if let position = state.positions[id] { state.remove(at: position) }
        }
    }

    /// Forgets everything and takes in `records` (every stored case), after word of other instances' changes may
    /// have been missed.
    package func reload(_ records: [CaseRecord]) {
        let fresh = Self.state(of: records, deadlines: self.deadlines)
        self.state.withLock { $0 = fresh }
    }

    // MARK: - Reading

    /// How many cases the index holds.
    package var count: Int { self.state.withLock { $0.rows.count } }

    /// The row of one case, if the index holds it.
    package func row(_ id: CaseID) -> Row? {
        self.state.withLock { state in state.positions[id].map { state.rows[$0] } }
    }

    /// The facts of every case, for a report: the array as it is now (no copy is made unless a case is taken in
    /// while the caller holds it).
    package func facts() -> [CaseFacts] {
        self.state.withLock { $0.facts }
    }

    /// The cases that match `filter` at `now` and whose unit `visible` allows (nil: routed to none), newest first
    /// (soonest due first when the filter asks about deadlines), `limit` (at most 500) from `offset` on.
    package func list(
        _ filter: CaseService.Filter, now: Date, limit: Int, offset: Int, visible: (UnitID?) -> Bool
    ) -> Page {
        let needle = filter.text.map { Array(TextNormalizer().normalize($0).utf8) } ?? []
        let start = max(0, offset)
        let count = max(0, min(limit, 500))
        let byDeadline = filter.isAboutDeadlines
        return self.state.withLock { state in
            let allowed = state.units.map(visible)
            let unslotted = visible(nil)
            var total = 0
            var ids: [CaseID] = []
            var due: [(at: Date, id: CaseID)] = []
            state.rows.withUnsafeBufferPointer { rows in
                for index in rows.indices.reversed() {
                    let slot = rows[index].unitSlot
                    guard slot < 0 ? unslotted : allowed[slot] else { continue }
                    if let statuses = filter.statuses, !statuses.contains(rows[index].status) { continue }
                    if let kind = filter.kind, rows[index].kind != kind { continue }
                    if let ipType = filter.ipType, rows[index].ipType != ipType { continue }
                    if let assignee = filter.assignee, rows[index].assignee != assignee { continue }
                    if filter.overdue != nil || filter.dueWithin != nil,
                        !CaseService.matches(rows[index].deadline, filter, now: now)
                    {
                        continue
                    }
                    if !needle.isEmpty, !Self.contains(rows[index].text, needle) { continue }
                    if byDeadline {
                        due.append((rows[index].deadline?.dueAt ?? .distantFuture, rows[index].id))
                    } else if total >= start, ids.count < count {
                        ids.append(rows[index].id)
                    }
                    total += 1
                }
            }
            guard byDeadline else { return Page(ids: ids, total: total) }
            due.sort { ($0.at, $0.id.rawValue) < ($1.at, $1.id.rawValue) }
            return Page(ids: due.dropFirst(start).prefix(count).map(\.id), total: total)
        }
    }

    /// Other applicants' cases on the right `number` whose unit `visible` allows, by id.
    package func related(to number: String, except applicant: ApplicantID, visible: (UnitID?) -> Bool) -> [CaseID] {
        self.state.withLock { state in
            state.rows.filter { $0.rightNumber == number && $0.applicant != applicant && visible($0.unit) }.map(\.id)
        }
        .sorted { $0.rawValue < $1.rawValue }
    }

    /// Whether `needle` occurs in `haystack` (UTF-8 bytes of normalised text: a byte match is a character match).
    ///
    /// `memchr` looks for the needle's last byte, then the bytes before it are compared: in Chinese text the last
    /// byte of a character (one of 64 continuation bytes) is far rarer than its first (most characters start with
    /// one of six), so fewer places are compared.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                guard let base = hay.baseAddress, let start = pin.baseAddress, let key = pin.last else {
                    return pin.isEmpty
                }
                let last = pin.count - 1
                var from = last
                while from < hay.count {
                    guard let found = memchr(base + from, Int32(key), hay.count - from) else { return false }
                    let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) - last
                    if memcmp(base + at, start, last) == 0 { return true }
                    from = at + last + 1
                }
                return false
            }
        }
    }
}
