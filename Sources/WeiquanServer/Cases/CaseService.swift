import Foundation
import Logging
import Synchronization
import WeiquanCore
import WeiquanStore

/// Staff's work on cases: listing what a unit may see, reading a case (audited), and changing it through the
/// core's transitions. A change is made in the applicant's lane and under the applicant's lock (one writer across
/// instances) on a fresh copy, written in one durable write with its audit event and — when it matters to the
/// applicant — the notice that goes to them through the outbox.
public struct CaseService: Sendable {
    /// What a list may be narrowed to; nil means any.
    public struct Filter: Sendable, Equatable {
        public var statuses: Set<CaseStatus>?
        public var unit: UnitID?
        public var kind: CaseKind?
        public var ipType: String?
        public var assignee: String?
        /// Text searched in the id, each of the applicant's answers and each of the timeline's details, all normalised
        /// as the bot's input is (``TextNormalizer``: width, case and traditional forms do not matter).
        public var text: String?
        /// Only cases whose deadline has passed (true), or those whose has not or that have none (false).
        public var overdue: Bool?
        /// Only cases due within this time from now and not overdue yet.
        public var dueWithin: Duration?

        public init(
            statuses: Set<CaseStatus>? = nil, unit: UnitID? = nil, kind: CaseKind? = nil, ipType: String? = nil,
            assignee: String? = nil, text: String? = nil, overdue: Bool? = nil, dueWithin: Duration? = nil
        ) {
            self.statuses = statuses
            self.unit = unit
            self.kind = kind
            self.ipType = ipType
            self.assignee = assignee
            self.text = text
            self.overdue = overdue
            self.dueWithin = dueWithin
        }

        /// Whether the list is about deadlines, and so sorted by them.
        var isAboutDeadlines: Bool { self.overdue == true || self.dueWithin != nil }
    }

    let service: ConversationService
    let logger: Logger

    var store: any DocumentStore { self.service.store }
    var configuration: CentreConfiguration { self.service.machine.configuration }
    /// The centre's deadlines, on the desk's office-hours calendar.
    var deadlines: CaseDeadlines { CaseDeadlines(self.configuration) }
    /// The time now, as the service's clock says.
    var now: Date { self.service.clock() }

    /// The cases of `service`'s store (a package init: the benchmarks list as the route does).
    package init(service: ConversationService, logger: Logger = Logger(label: "weiquan.cases")) {
        self.service = service
        self.logger = logger
    }

    // MARK: - Reading

    /// The cases `who` may see that match `filter`, newest first (soonest due first when the filter asks for
    /// overdue or due-soon cases), and how many match in all.
    ///
    /// The rows of ``CaseIndex`` are filtered and counted in memory; only the page's records are read from the
    /// store, fresh. A case deleted between the two is left out of the page, one moved meanwhile out of the
    /// caller's units too.
    public func list(
        _ who: StaffIdentity, filter: Filter, limit: Int = 50, offset: Int = 0
    ) async throws -> (cases: [CaseRecord], total: Int) {
        try DeskService.requireStaff(who)
        let directory = self.configuration.directory
        if let unit = filter.unit, directory.unit(id: unit) == nil {
            throw DeskError.notFound("unit '\(unit)'")
        }
        let page = self.service.caseIndex.list(filter, now: self.now, limit: limit, offset: offset) { unit in
            guard self.maySee(who, unit: unit) else { return false }
            guard let wanted = filter.unit else { return true }
            return unit.map { directory.unit($0, isWithin: wanted) } ?? false
        }
        let keys = page.ids.map { DocumentKey(collection: CaseRecord.collection, id: $0.rawValue) }
        let stored = try await self.store.documents(keys)
        var cases: [CaseRecord] = []
        cases.reserveCapacity(keys.count)
        for key in keys {
            guard let json = stored[key] else { continue }
            let record = try StoreCoding.decode(CaseRecord.self, key: key, from: json)
            if self.maySee(who, record) { cases.append(record) }
        }
        return (cases, page.total)
    }

    /// One case with its timeline; the read is audited.
    public func detail(_ who: StaffIdentity, _ id: CaseID) async throws -> CaseRecord {
        let record = try await self.visibleCase(who, id)
        let now = self.service.clock()
        try await self.store.put(
            AuditEvent(
                id: self.service.makeID(), at: now, actor: who.name, action: .caseViewed,
                conversation: record.applicant, caseID: record.id))
        return record
    }

    /// Other applicants' cases on the same patent or trademark number that `who` may see (related cases).
    public func related(to record: CaseRecord, for who: StaffIdentity) async throws -> [CaseID] {
        guard let number = record.rightNumber else { return [] }
        return self.service.caseIndex.related(to: number, except: record.applicant) { self.maySee(who, unit: $0) }
    }

    // MARK: - Changing

    /// Changes the case's status; tells the applicant when it matters to them.
    public func change(_ who: StaffIdentity, _ id: CaseID, _ change: CaseChange, note: String?) async throws
        -> CaseRecord
    {
        if case .refer(let unit) = change, self.configuration.directory.unit(id: unit) == nil {
            throw DeskError.unprocessable("unknown_unit", "no unit '\(unit)' in the directory")
        }
        let policy = self.configuration.cases
        return try await self.edit(who, id, action: .caseChanged, detail: change.name) { record, now in
            try record.apply(change, by: who.name, at: now, note: note, policy: policy)
        }
    }

    /// Assigns the case to a staff member and the experts consulted.
    public func assign(_ who: StaffIdentity, _ id: CaseID, assignee: String?, experts: [String]) async throws
        -> CaseRecord
    {
        let policy = self.configuration.cases
        return try await self.edit(who, id, action: .caseAssigned, detail: assignee) { record, now in
            try record.assign(to: assignee, experts: experts, by: who.name, at: now, policy: policy)
        }
    }

    /// Records the applicant's legal deadline (`yyyy-MM-dd`) on the case, or clears it (nil).
    public func recordLegalDeadline(_ who: StaffIdentity, _ id: CaseID, day: String?, note: String?) async throws
        -> CaseRecord
    {
        try await self.edit(who, id, action: .caseChanged, detail: "legal_deadline") { record, now in
            try record.recordLegalDeadline(day, by: who.name, at: now, note: note)
        }
    }

    /// Adds a staff note to the case's timeline.
    public func note(_ who: StaffIdentity, _ id: CaseID, text: String) async throws -> CaseRecord {
        let checked = try DeskService.checkedText(text, limit: 2_000)
        return try await self.edit(who, id, action: .caseNoted, detail: nil) { record, now in
            try record.addNote(checked, by: who.name, at: now)
        }
    }

    /// Runs `body` on a fresh copy of the case in its applicant's lane and lock, and writes the result with the
    /// audit event and the applicant's notice (if the status changed to one they are told about).
    private func edit(
        _ who: StaffIdentity, _ id: CaseID, action: AuditAction, detail: String?,
        _ body: @escaping @Sendable (inout CaseRecord, Date) throws -> Void
    ) async throws -> CaseRecord {
        let applicant = try await self.visibleCase(who, id).applicant
        let service = self.service
        let record = try await service.lanes.run(applicant) {
            try await service.exclusively(applicant) {
                try await service.retryingConflicts {
                    try await self.editOnce(who, id, action: action, detail: detail, body)
                }
            }
        }
        service.takeIn([record])
        return record
    }

    private func editOnce(
        _ who: StaffIdentity, _ id: CaseID, action: AuditAction, detail: String?,
        _ body: @Sendable (inout CaseRecord, Date) throws -> Void
    ) async throws -> CaseRecord {
        let before = try await self.visibleCase(who, id)
        var record = before
        let now = self.service.clock()
        do {
            try body(&record, now)
        } catch let error as CaseError {
            throw DeskError(error)
        }
        var changes: [DocumentChange] = [try .put(record)]
        changes.append(
            try .put(
                AuditEvent(
                    id: self.service.makeID(), at: now, actor: who.name, action: action,
                    conversation: record.applicant, caseID: record.id, detail: detail)))
        // The case ended: the bot waits for the applicant's rating (the notice asks for it).
        var conversation: Conversation?
        // An anonymised case has nobody to tell or ask.
        if record.status != before.status, [.concluded, .closed].contains(record.status), !record.isAnonymised {
            var waiting = try await self.service.conversation(record.applicant, now: now)
            waiting.awaitingRating = AwaitedRating(caseID: record.id)
            changes.append(try .put(waiting))
            conversation = waiting
        }
        var notice: PreparedOutbound?
        if record.status != before.status || record.unit != before.unit, !record.isAnonymised,
            let text = self.notice(for: record),
            let outbound = self.service.outbound
        {
            notice = try await outbound.prepare(text, to: record.applicant, author: .desk)
            changes += notice?.changes ?? []
        }
        do {
            try await self.store.write(changes)
        } catch {
            notice?.rollback()
            throw error
        }
        notice?.commit()
        if let conversation { self.service.remember(conversation) }
        return record
    }

    /// What the applicant is told about the case as it is now, if anything (wording in `intents/replies.json`).
    func notice(for record: CaseRecord) -> String? {
        let replies = self.service.machine.replies
        guard let action = record.timeline.last?.action, CaseEvent.Action.toldToApplicant.contains(action) else {
            return nil
        }
        let key = "case.notice.\(action.rawValue)"
        return replies.render(
            key,
            [
                "case_id": record.id.rawValue, "status": replies.render("case.status.\(record.status.rawValue)"),
                "reason": record.notAcceptedReason ?? "",
                "unit": self.service.machine.unitName(record.unit ?? "centre"),
                "authority": record.transfer?.authority ?? "",
            ])
    }

    // MARK: - Who sees what

    /// The case, if it exists and `who` may see it (404 otherwise, so ids of other units are not confirmed).
    func visibleCase(_ who: StaffIdentity, _ id: CaseID) async throws -> CaseRecord {
        try DeskService.requireStaff(who)
        guard let record = try await self.store.get(CaseRecord.self, id: id.rawValue), self.maySee(who, record) else {
            throw DeskError.notFound("case '\(id)'")
        }
        return record
    }

    /// Admins and staff of no unit see every case; staff of a unit see its cases and those of the units below it.
    func maySee(_ who: StaffIdentity, _ record: CaseRecord) -> Bool {
        self.maySee(who, unit: record.unit)
    }

    /// Whether `who` sees the cases at `owner` (nil: routed to no unit, which only those who see every case see).
    func maySee(_ who: StaffIdentity, unit owner: UnitID?) -> Bool {
        guard who.role != .admin, let unit = who.unit else { return who.role == .admin || who.role == .staff }
        guard let owner else { return false }
        return self.configuration.directory.unit(owner, isWithin: unit)
    }

    /// Whether a case due at `deadline` (nil: due for nothing) passes the filter's deadline conditions at `now`.
    static func matches(_ deadline: CaseDeadline?, _ filter: Filter, now: Date) -> Bool {
        let overdue = deadline?.isOverdue(at: now) ?? false
        if let wanted = filter.overdue, overdue != wanted { return false }
        if let window = filter.dueWithin, !(deadline?.isDueSoon(at: now, within: window) ?? false) { return false }
        return true
    }

    // MARK: - Metrics

    /// Open cases past their deadline by unit id (`none` for a case routed nowhere), for the gauge
    /// ``MetricDefinition/casesOverdue``: read from the service's case summaries, without the store.
    static func overdueByUnit(_ service: ConversationService) -> [String: Int] {
        let deadlines = CaseDeadlines(service.machine.configuration)
        let now = service.clock()
        var counts: [String: Int] = [:]
        // Copied out, so the deadlines are worked out without holding the lock the conversations take.
        let summaries = service.casesByApplicant.withLock { Array($0.values.joined()) }
        for summary in summaries where deadlines.current(for: summary)?.isOverdue(at: now) == true {
            counts[summary.unit?.rawValue ?? "none", default: 0] += 1
        }
        return counts
    }
}
