import Foundation
import Logging
import Synchronization
import WeiquanCore
import WeiquanStore

/// The volunteer queue on the desk's side: who sees which question and how much of it, the volunteers' work
/// (claim, renew, put back, follow-up, answer), staff's review and the delivery of the answer, the timers (leases,
/// follow-ups that got no reply) and the figures.
///
/// Questions are read from the store for each request (the collection stays small: questions leave the queue in
/// days); nothing about them is kept in memory but the figures the gauges show. A change is made in the question's
/// applicant's lane and under the applicant's lock (one writer across instances, ordered with the applicant's own
/// messages, which the bot answers in the same lane) on a fresh copy, and written in one durable write with its
/// audit event, the conversation's ``Conversation/questionWait`` when it changes, and what goes to the applicant
/// through the outbox. The bot files questions and applies the applicant's side (``QuestionRecord/recordReply(text:at:)``,
/// ``QuestionRecord/rate(helpful:comment:at:)``, ``QuestionRecord/withdraw(at:)``) in its own writes.
///
/// Who sees what:
/// - a question's unit is the unit its `region` names (a unit id), or the unit that serves that region (a region
///   name of the directory), else the centre;
/// - admins and staff of no unit see every question, staff of a unit those of their unit and the units below it,
///   with the applicant's OpenID and original text;
/// - a volunteer sees the queued questions in their scope (their token's `regions`, each with the units below it,
///   and `specialties`: questions of those IP types and of none; empty: all) and the questions they hold or held,
///   redacted: never the OpenID, the original text or a follow-up reply as written (``redact`` runs on each reply as
///   it is shown). Any other question is a 404 for them, so ids of others' claims are not confirmed.
public final class QuestionService: Sendable {
    /// Removes personal data from a text a volunteer will read: the text, and words known to identify the applicant
    /// (the service knows none of its own and passes an empty list).
    public typealias Redaction = @Sendable (_ text: String, _ known: [String]) -> String

    /// What a list may be narrowed to; nil means any.
    public struct Filter: Sendable, Equatable {
        public var statuses: Set<QuestionStatus>?
        public var ipType: String?
        /// Questions of this unit and those below it.
        public var unit: UnitID?
        /// Only questions at least / at most this old (seconds since they were asked).
        public var minimumAge: TimeInterval?
        public var maximumAge: TimeInterval?
        /// Urgent questions before the others (each group oldest first).
        public var urgentFirst: Bool
        /// Only questions the caller holds or held (a volunteer's own work).
        public var mine: Bool

        public init(
            statuses: Set<QuestionStatus>? = nil, ipType: String? = nil, unit: UnitID? = nil,
            minimumAge: TimeInterval? = nil, maximumAge: TimeInterval? = nil, urgentFirst: Bool = false,
            mine: Bool = false
        ) {
            self.statuses = statuses
            self.ipType = ipType
            self.unit = unit
            self.minimumAge = minimumAge
            self.maximumAge = maximumAge
            self.urgentFirst = urgentFirst
            self.mine = mine
        }
    }

    /// A redaction for when none is wired in yet: a volunteer sees that a reply came, never its text.
    public static let withholdingReplies: Redaction = { _, _ in "［申请人的回复已隐去］" }

    let service: ConversationService
    let redact: Redaction
    let logger: Logger
    /// One claim at a time per volunteer on this instance (the coordination's `volunteer:` lock across instances),
    /// so that two claims at once cannot both pass the limit of ``VolunteerPolicy/maxClaims``.
    let volunteerLanes = SerialLanes<String>()
    /// What the gauges show: the queued questions, refreshed from the store by ``refreshFigures()``.
    let board = QuestionBoard()

    /// - Parameters:
    ///   - service: The conversations: its store, clock, lanes, locks, outbox and wording.
    ///   - redact: Run on each follow-up reply a volunteer is shown (the bot redacts the question itself before
    ///     filing it).
    public init(
        service: ConversationService, redact: @escaping Redaction, logger: Logger = Logger(label: "weiquan.questions")
    ) {
        self.service = service
        self.redact = redact
        self.logger = logger
    }

    var store: any DocumentStore { self.service.store }
    var configuration: CentreConfiguration { self.service.machine.configuration }
    var policy: VolunteerPolicy { self.configuration.volunteer }
    var directory: OrgDirectory { self.configuration.directory }
    var now: Date { self.service.clock() }

    // MARK: - Reading

    /// The questions `who` may see that match `filter`, oldest first (urgent ones first when asked), as `who`
    /// may see them, and how many match in all.
    public func list(
        _ who: StaffIdentity, filter: Filter, limit: Int = 50, offset: Int = 0
    ) async throws -> (questions: [QuestionView], total: Int) {
        if let unit = filter.unit, self.directory.unit(id: unit) == nil {
            throw DeskError.notFound("unit '\(unit)'")
        }
        let now = self.now
        let matching = try await self.store.all(QuestionRecord.self)
            .filter { self.maySee(who, $0) && self.matches($0, filter, who: who, now: now) }
            .sorted { first, second in
                if filter.urgentFirst, first.urgent != second.urgent { return first.urgent }
                return (first.askedAt, first.id.rawValue) < (second.askedAt, second.id.rawValue)
            }
        let page = matching.dropFirst(max(0, offset)).prefix(max(0, min(limit, 500)))
        return (page.map { self.view($0, for: who, now: now) }, matching.count)
    }

    /// One question as `who` may see it, with its timeline for staff; a staff member's read is audited (they see
    /// the applicant's own words).
    public func detail(_ who: StaffIdentity, _ id: QuestionID) async throws -> QuestionView {
        let record = try await self.visibleQuestion(who, id)
        let now = self.now
        if who.role != .volunteer {
            try await self.store.put(
                AuditEvent(
                    id: self.service.makeID(), at: now, actor: who.name, action: .questionViewed,
                    conversation: record.applicant, detail: Self.detail(record.id)))
        }
        return self.view(record, for: who, now: now, withTimeline: true)
    }

    /// The volunteers' figures: every volunteer's for staff (of the questions they may see), a volunteer's own
    /// for a volunteer.
    public func stats(_ who: StaffIdentity) async throws -> [VolunteerFigures] {
        let questions = try await self.store.all(QuestionRecord.self)
        guard who.role == .volunteer else {
            return VolunteerFigures.figures(of: questions.filter { self.maySee(who, $0) })
        }
        let own = VolunteerFigures.figures(of: questions).first { $0.volunteer == who.name }
        return [own ?? VolunteerFigures(volunteer: who.name)]
    }

    func view(_ record: QuestionRecord, for who: StaffIdentity, now: Date, withTimeline: Bool = false) -> QuestionView {
        let unit = self.unit(of: record)
        if who.role == .volunteer {
            return QuestionView(volunteer: record, viewer: who.name, unit: unit, now: now) { self.redact($0, []) }
        }
        return QuestionView(staff: record, unit: unit, now: now, withTimeline: withTimeline)
    }

    // MARK: - Who sees what

    /// The question, if it exists and `who` may see it (404 otherwise).
    func visibleQuestion(_ who: StaffIdentity, _ id: QuestionID) async throws -> QuestionRecord {
        guard let record = try await self.store.get(QuestionRecord.self, id: id.rawValue), self.maySee(who, record)
        else { throw DeskError.notFound("question '\(id)'") }
        return record
    }

    /// Staff by unit; a volunteer the queued questions in their scope and their own.
    func maySee(_ who: StaffIdentity, _ record: QuestionRecord) -> Bool {
        switch who.role {
        case .admin:
            return true
        case .staff:
            guard let unit = who.unit else { return true }
            return self.directory.unit(self.unit(of: record), isWithin: unit)
        case .volunteer:
            if record.claim?.volunteer == who.name { return true }
            return record.status == .queued && self.inScope(who, record)
        }
    }

    /// Whether a queued question is for this volunteer: their regions (empty: all) and specialties (empty: all; a
    /// question of no IP type is for everyone).
    func inScope(_ who: StaffIdentity, _ record: QuestionRecord) -> Bool {
        if !who.regions.isEmpty {
            let unit = self.unit(of: record)
            guard who.regions.contains(where: { self.directory.unit(unit, isWithin: $0) }) else { return false }
        }
        if !who.specialties.isEmpty, let type = record.ipType, !who.specialties.contains(type) { return false }
        return true
    }

    /// The unit a question belongs to: the unit its region names, the unit serving its region, else the centre.
    func unit(of record: QuestionRecord) -> UnitID {
        let centre = self.directory.centre?.id ?? "centre"
        guard let region = record.region, !region.isEmpty else { return centre }
        if self.directory.unit(id: UnitID(region)) != nil { return UnitID(region) }
        return self.directory.route(region: region, ipType: record.ipType.flatMap(IPType.init(rawValue:)))?.id ?? centre
    }

    func matches(_ record: QuestionRecord, _ filter: Filter, who: StaffIdentity, now: Date) -> Bool {
        if let statuses = filter.statuses, !statuses.contains(record.status) { return false }
        if let type = filter.ipType, record.ipType != type { return false }
        if let unit = filter.unit, !self.directory.unit(self.unit(of: record), isWithin: unit) { return false }
        let age = now.timeIntervalSince(record.askedAt)
        if let minimum = filter.minimumAge, age < minimum { return false }
        if let maximum = filter.maximumAge, age > maximum { return false }
        if filter.mine, record.claim?.volunteer != who.name { return false }
        return true
    }

    /// The audit detail naming the question (audit events have no field of their own for it).
    static func detail(_ id: QuestionID, _ more: String? = nil) -> String {
        ["question=\(id)", more].compactMap { $0 }.joined(separator: " ")
    }
}
