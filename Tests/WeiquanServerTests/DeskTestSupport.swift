import Foundation
import Synchronization
import Testing
import WeiquanCore
import WeiquanFiles
import WeiquanServer
import WeiquanStore

/// A conversation service and its desk over an in-memory store, with a clock at an open desk and an
/// outbound queue that records what would be sent, and by whom.
struct DeskHarness {
    /// Monday 2026-11-23 10:00 in Shanghai: the desk is open.
    static let mondayMorning = Date(timeIntervalSince1970: 1_795_399_200)

    static let staff1 = StaffIdentity(name: "desk-1", role: .staff, unit: nil)
    static let staff2 = StaffIdentity(name: "desk-2", role: .staff, unit: nil)
    static let liuzhou = StaffIdentity(name: "liuzhou-1", role: .staff, unit: "liuzhou")
    static let admin = StaffIdentity(name: "admin", role: .admin, unit: nil)
    static let volunteer = StaffIdentity(name: "vol-1", role: .volunteer, unit: nil)
    static let volunteer2 = StaffIdentity(name: "vol-2", role: .volunteer, unit: nil)

    static let tokens = TokenRegistry(
        tokens: [staff1, staff2, liuzhou, admin, volunteer, volunteer2].map { who in
            StoredToken(
                name: who.name, role: who.role, unit: who.unit, hash: TokenRegistry.hash("token-\(who.name)"),
                createdAt: mondayMorning
            )
        }
    )

    let store: any DocumentStore
    let clock: TestClock
    let outbound = RecordingOutbound()
    let service: ConversationService
    let desk: DeskService

    init(
        store: any DocumentStore = MemoryDocumentStore(), at date: Date = Self.mondayMorning,
        machine: ConversationMachine = TestServer.data.makeMachine(), metrics: Metrics = Metrics()
    ) async throws {
        self.store = store
        self.clock = TestClock(date)
        let ids = Mutex(0)
        self.service = try await ConversationService(
            machine: machine, store: store, outbound: self.outbound, clock: self.clock.function,
            makeID: {
                ids.withLock { value in
                    value += 1
                    return "audit-\(value)"
                }
            }, metrics: metrics
        )
        self.desk = DeskService(service: self.service, tokens: Self.tokens)
    }

    /// Sends a text as `user` with message id `id`; returns the passive reply ("" for none).
    @discardableResult
    func say(_ text: String, from user: ApplicantID = "user-a", id: Int) async -> String {
        switch await self.service.handle(.text(text), applicant: user, key: "msg:\(id)") {
        case .reply(let reply, _): reply
        case .noReply: ""
        }
    }

    /// The open handoff of `user`, which must exist.
    func handoff(of user: ApplicantID = "user-a") throws -> HandoffView {
        let views = try self.desk.list(Self.admin).filter { $0.conversation == user }
        return try #require(views.first)
    }

    func conversation(_ user: ApplicantID = "user-a") async throws -> Conversation {
        try #require(try await self.store.get(Conversation.self, id: user.rawValue))
    }

    func audits() async throws -> [AuditEvent] {
        try await self.store.all(AuditEvent.self).sorted {
            $0.id.count == $1.id.count ? $0.id < $1.id : $0.id.count < $1.id.count
        }
    }
}

/// Records what would go out through the outbox, with its author; `prepare`d messages count once committed.
final class RecordingOutbound: OutboundQueue {
    struct Sent: Equatable {
        var applicant: ApplicantID
        var text: String
        var author: OutboxAuthor
    }

    private let state = Mutex<[Sent]>([])

    func enqueue(_ content: String, to applicant: ApplicantID, author: OutboxAuthor) async throws {
        self.state.withLock { $0.append(Sent(applicant: applicant, text: content, author: author)) }
    }

    func prepare(_ content: String, to applicant: ApplicantID, author: OutboxAuthor) async throws -> PreparedOutbound {
        PreparedOutbound(
            changes: [],
            commit: { self.state.withLock { $0.append(Sent(applicant: applicant, text: content, author: author)) } }
        )
    }

    func prepareHeld(for applicant: ApplicantID, owner: ConversationOwner) async throws -> HeldHandover { .empty }

    func releaseHeld(for applicant: ApplicantID) async throws {}

    var sent: [Sent] { self.state.withLock { $0 } }

    func sent(to applicant: ApplicantID) -> [Sent] { self.sent.filter { $0.applicant == applicant } }
}
