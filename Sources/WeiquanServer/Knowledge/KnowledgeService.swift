import Foundation
import Logging
import WeiquanCore
import WeiquanStore

/// Staff's work on the knowledge base: listing and searching the entries, reading one, adding, changing, retiring
/// and publishing them. Staff and admins edit; volunteers read the published entries (to reuse good answers) and
/// nothing else.
///
/// A change is made on a fresh copy of the entry, one writer at a time (the knowledge base's lane for the entry on this
/// instance, whichever service makes the change, and the coordination's lock `kb:<id>` across instances), written in one durable write with its audit event, and then
/// taken into the ``KnowledgeBase`` so that the bot answers with it at once.
public struct KnowledgeService: Sendable {
    /// What staff write: the texts of an entry.
    public struct Content: Sendable, Equatable {
        public var title: String
        public var question: String
        public var answer: String
        public var ipType: IPType?
        public var tags: [String]

        public init(title: String, question: String, answer: String, ipType: IPType? = nil, tags: [String] = []) {
            self.title = title
            self.question = question
            self.answer = answer
            self.ipType = ipType
            self.tags = tags
        }
    }

    /// A page of the list: the entries, their match when the list was searched, and how many there are in all.
    public struct Page: Sendable {
        public var entries: [(entry: KnowledgeEntry, match: KnowledgeMatch?)]
        public var total: Int
    }

    let knowledge: KnowledgeBase
    let clock: @Sendable () -> Date
    /// Ids of audit events.
    let makeID: @Sendable () -> String
    /// Ids of new entries (a taken one is replaced by another).
    let newEntryID: @Sendable () -> KnowledgeEntryID
    let logger: Logger

    var store: any DocumentStore { self.knowledge.store }

    /// - Parameters:
    ///   - knowledge: The in-memory base the changes are taken into.
    ///   - clock: The time now.
    ///   - makeID: Ids of audit events.
    ///   - newEntryID: Ids of new entries; the default is `kb-` and 12 hex digits of a random UUID.
    public init(
        knowledge: KnowledgeBase, clock: @escaping @Sendable () -> Date = { Date() },
        makeID: @escaping @Sendable () -> String = { UUID().uuidString },
        newEntryID: @escaping @Sendable () -> KnowledgeEntryID = KnowledgeService.randomID,
        logger: Logger = Logger(label: "weiquan.kb")
    ) {
        self.knowledge = knowledge
        self.clock = clock
        self.makeID = makeID
        self.newEntryID = newEntryID
        self.logger = logger
    }

    /// `kb-` and the first 12 hex digits of a random UUID, lower case.
    @Sendable public static func randomID() -> KnowledgeEntryID {
        let hex = UUID().uuidString.lowercased().filter(\.isHexDigit)
        return KnowledgeEntryID("kb-" + hex.prefix(12))
    }

    // MARK: - Reading

    /// The entries `who` may see in `statuses` (nil: all they may see), newest change first; with `text`, those that
    /// share a term with it, best first (ranked as the bot ranks, on the entries listed). Volunteers see published
    /// entries only: asking for retired ones is a 403.
    public func list(
        _ who: StaffIdentity, statuses: Set<KnowledgeEntry.Status>?, text: String?, limit: Int = 50, offset: Int = 0
    ) async throws -> Page {
        let allowed = try Self.readableStatuses(who, asked: statuses)
        let entries = try await self.store.all(KnowledgeEntry.self).filter { allowed.contains($0.status) }
        var listed: [(entry: KnowledgeEntry, match: KnowledgeMatch?)]
        if let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let byID = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let index = KnowledgeIndex(entries, including: allowed, options: self.knowledge.options)
            listed = index.search(text, limit: entries.count).compactMap { match in
                byID[match.id].map { (entry: $0, match: match) }
            }
        } else {
            listed = entries.sorted { ($0.updatedAt, $1.id) > ($1.updatedAt, $0.id) }.map { (entry: $0, match: nil) }
        }
        let page = listed.dropFirst(max(0, offset)).prefix(max(0, min(limit, 500)))
        return Page(entries: Array(page), total: listed.count)
    }

    /// One entry, fresh from the store (volunteers: published ones only; a retired one is a 404 to them).
    public func detail(_ who: StaffIdentity, _ id: KnowledgeEntryID) async throws -> KnowledgeEntry {
        let allowed = try Self.readableStatuses(who, asked: nil)
        guard let entry = try await self.stored(id), allowed.contains(entry.status) else {
            throw DeskError.notFound("knowledge entry '\(id)'")
        }
        return entry
    }

    // MARK: - Changing

    /// Adds a published entry (promoted from the volunteer question `sourceQuestionID`, when given).
    public func create(_ who: StaffIdentity, _ content: Content, sourceQuestionID: String? = nil) async throws
        -> KnowledgeEntry
    {
        try DeskService.requireStaff(who)
        // A new id that was taken meanwhile (another instance made the same one) fails the create-only write: another.
        for attempt in 1...3 {
            let now = self.clock()
            let entry = try Self.checked(
                KnowledgeEntry(
                    id: self.newEntryID(), title: content.title, question: content.question, answer: content.answer,
                    ipType: content.ipType, tags: content.tags, createdAt: now, createdBy: who.name,
                    sourceQuestionID: sourceQuestionID))
            do {
                try await self.store.write([
                    try .create(entry), try .put(self.audit(.kbCreated, entry, by: who, at: now, detail: nil)),
                ])
            } catch let error as StoreError where error.code == .conflict && attempt < 3 {
                continue
            }
            self.knowledge.takeIn([entry])
            self.logger.info("knowledge entry created", metadata: ["entry": "\(entry.id)", "by": "\(who.name)"])
            return entry
        }
        throw DeskError.internalFailure
    }

    /// Replaces the texts, type and tags of an entry (its status stays). A change to nothing is not written.
    public func update(_ who: StaffIdentity, _ id: KnowledgeEntryID, _ content: Content) async throws
        -> KnowledgeEntry
    {
        try await self.edit(who, id, action: .kbUpdated) { entry in
            var changed: [String] = []
            func set<Value: Equatable>(_ path: WritableKeyPath<KnowledgeEntry, Value>, _ value: Value, _ name: String) {
                if entry[keyPath: path] != value {
                    entry[keyPath: path] = value
                    changed.append(name)
                }
            }
            let checked = try Self.checked(
                KnowledgeEntry(
                    id: entry.id, title: content.title, question: content.question, answer: content.answer,
                    ipType: content.ipType, tags: content.tags, createdAt: entry.createdAt, createdBy: entry.createdBy))
            set(\.title, checked.title, "title")
            set(\.question, checked.question, "question")
            set(\.answer, checked.answer, "answer")
            set(\.ipType, checked.ipType, "ip_type")
            set(\.tags, checked.tags, "tags")
            return changed.isEmpty ? nil : "fields=" + changed.joined(separator: ",")
        }
    }

    /// Retires a published entry (409 `already_retired` otherwise): the bot stops answering with it.
    public func retire(_ who: StaffIdentity, _ id: KnowledgeEntryID) async throws -> KnowledgeEntry {
        try await self.change(who, id, to: .retired)
    }

    /// Publishes a retired entry again (409 `already_published` otherwise).
    public func publish(_ who: StaffIdentity, _ id: KnowledgeEntryID) async throws -> KnowledgeEntry {
        try await self.change(who, id, to: .published)
    }

    private func change(_ who: StaffIdentity, _ id: KnowledgeEntryID, to status: KnowledgeEntry.Status) async throws
        -> KnowledgeEntry
    {
        try await self.edit(who, id, action: status == .retired ? .kbRetired : .kbPublished) { entry in
            guard entry.status != status else {
                throw DeskError.conflict("already_\(status.rawValue)", "knowledge entry '\(id)' is \(status.rawValue)")
            }
            entry.status = status
            return ""
        }
    }

    /// Runs `body` on a fresh copy of the entry, one writer at a time across instances, and writes the result with
    /// its audit event. `body` returns the audit detail after the entry's id (`""` for none), or nil when it changed
    /// nothing: then nothing is written.
    private func edit(
        _ who: StaffIdentity, _ id: KnowledgeEntryID, action: AuditAction,
        _ body: @escaping @Sendable (inout KnowledgeEntry) throws -> String?
    ) async throws -> KnowledgeEntry {
        try DeskService.requireStaff(who)
        let (entry, written) = try await self.knowledge.lanes.run(id) {
            try await self.knowledge.coordination.exclusively("kb:\(id.rawValue)") {
                guard var entry = try await self.stored(id) else {
                    throw DeskError.notFound("knowledge entry '\(id)'")
                }
                guard let detail = try body(&entry) else { return (entry, false) }
                let now = self.clock()
                entry.updatedAt = now
                entry.updatedBy = who.name
                try await self.store.write([
                    try .put(entry),
                    try .put(self.audit(action, entry, by: who, at: now, detail: detail.isEmpty ? nil : detail)),
                ])
                return (entry, true)
            }
        }
        if written {
            self.knowledge.takeIn([entry])
            self.logger.info(
                "knowledge entry changed", metadata: ["entry": "\(id)", "action": "\(action)", "by": "\(who.name)"])
        }
        return entry
    }

    // MARK: - Helpers

    /// The stored entry `id`; nil when there is none or the id is not of the accepted form.
    private func stored(_ id: KnowledgeEntryID) async throws -> KnowledgeEntry? {
        guard id.isWellFormed else { return nil }
        return try await self.store.get(KnowledgeEntry.self, id: id.rawValue)
    }

    private func audit(
        _ action: AuditAction, _ entry: KnowledgeEntry, by who: StaffIdentity, at now: Date, detail: String?
    ) -> AuditEvent {
        AuditEvent(
            id: self.makeID(), at: now, actor: who.name, action: action, conversation: nil,
            detail: ["entry=\(entry.id)", detail].compactMap { $0 }.joined(separator: " "))
    }

    /// The entry validated, or the desk's 400 saying what is wrong.
    static func checked(_ entry: KnowledgeEntry) throws -> KnowledgeEntry {
        do {
            return try entry.validated()
        } catch let error as KnowledgeError {
            throw DeskError(error)
        }
    }

    /// The statuses `who` may read, narrowed to `asked`: staff and admins all, volunteers the published ones.
    static func readableStatuses(_ who: StaffIdentity, asked: Set<KnowledgeEntry.Status>?) throws
        -> Set<KnowledgeEntry.Status>
    {
        let readable: Set<KnowledgeEntry.Status> =
            who.role == .volunteer ? [.published] : Set(KnowledgeEntry.Status.allCases)
        guard let asked else { return readable }
        guard asked.isSubset(of: readable) else { throw DeskError.forbiddenRole(who.role.rawValue) }
        return asked
    }
}
