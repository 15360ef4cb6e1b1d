import Foundation
import Hummingbird
import Logging
import WeiquanCore
import WeiquanStore

/// `/api/v1/tokens`: the desk's tokens and the people they stand for, for admins (what `weiquan token` does).
///
/// | Route | Does |
/// |---|---|
/// | `GET /api/v1/tokens` | every token, revoked ones included, oldest first (never a hash) |
/// | `POST /api/v1/tokens` `{"name", "role", "unit"?, "specialties"?, "regions"?}` | a new token; the answer (201) has its secret, once |
/// | `POST /api/v1/tokens/{name}/revoke` | the token stops opening the desk from the next request on |
/// | `POST /api/v1/tokens/{name}/sign-in-link` | a one-time console sign-in link for its holder (201), once |
///
/// Admins only (403 `forbidden_role` for the rest). The tokens are in ``storage`` (the data directory's
/// `tokens.json` or the store's `tokens` collection); without one every route is a 503. Creating and revoking are
/// audited (`token_created`, `token_revoked`, `token_link_issued`, detail `token=<name>`), after the token's write.
struct TokensController: Sendable {
    /// Where the tokens are; nil: this service cannot change them (503).
    let storage: (any TokenStorage)?
    let tokens: TokenRegistry
    let directory: OrgDirectory
    /// Where the audit events go.
    let store: any DocumentStore
    /// How long a sign-in link works (``ConsoleSettings/linkMinutes``).
    let linkMinutes: Int
    let clock: @Sendable () -> Date
    let makeID: @Sendable () -> String
    let makeSecret: @Sendable () -> String
    let logger: Logger

    init(
        storage: (any TokenStorage)?, tokens: TokenRegistry, directory: OrgDirectory, store: any DocumentStore,
        linkMinutes: Int = 15, clock: @escaping @Sendable () -> Date = { Date() },
        makeID: @escaping @Sendable () -> String = { UUID().uuidString },
        makeSecret: @escaping @Sendable () -> String = { TokenRegistry.makeSecret() },
        logger: Logger = Logger(label: "weiquan.tokens")
    ) {
        self.storage = storage
        self.tokens = tokens
        self.directory = directory
        self.store = store
        self.linkMinutes = linkMinutes
        self.clock = clock
        self.makeID = makeID
        self.makeSecret = makeSecret
        self.logger = logger
    }

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        let api = DeskController.api(router, tokens: self.tokens)
        api.get("tokens") { _, context in
            let storage = try self.admin(context)
            return Listing(tokens: try await TokenAdministration.list(in: storage).map { TokenView($0) })
        }
        api.post("tokens") { request, context -> EditedResponse<TokenView> in
            let storage = try self.admin(context)
            let body = try await request.decode(as: CreateBody.self, context: context)
            guard let role = DeskRole(rawValue: body.role) else {
                let known = DeskRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw DeskError.unprocessable("invalid_role", "'\(body.role)' is not a role: use \(known)")
            }
            let secret = self.makeSecret()
            let now = self.clock()
            let token: StoredToken
            do {
                token = try await TokenAdministration.create(
                    name: body.name, role: role, unit: body.unit.flatMap { $0.isEmpty ? nil : UnitID($0) },
                    specialties: body.specialties ?? [], regions: (body.regions ?? []).map(UnitID.init),
                    directory: self.directory, in: storage, now: now, secret: secret)
            } catch let error as TokenAdministrationError {
                throw DeskError(error)
            }
            try await self.audit(.tokenCreated, token, by: context.staff(), at: now)
            return EditedResponse(
                status: .created, headers: [.location: "/api/v1/tokens"], response: TokenView(token, secret: secret))
        }
        api.post("tokens/:name/revoke") { _, context in
            let storage = try self.admin(context)
            let name = Self.name(context)
            let now = self.clock()
            let token: StoredToken
            do {
                token = try await TokenAdministration.revoke(name: name, in: storage, now: now)
            } catch let error as TokenAdministrationError {
                throw DeskError(error)
            }
            try await self.audit(.tokenRevoked, token, by: context.staff(), at: now)
            return TokenView(token)
        }
        api.post("tokens/:name/sign-in-link") { _, context -> EditedResponse<SignInLink> in
            let storage = try self.admin(context)
            let name = Self.name(context)
            let now = self.clock()
            let code = self.makeSecret()
            let expiresAt = now.addingTimeInterval(TimeInterval(self.linkMinutes * 60))
            let token: StoredToken
            do {
                token = try await TokenAdministration.addSignInLink(
                    name: name, code: code, expiresAt: expiresAt, in: storage)
            } catch let error as TokenAdministrationError {
                throw DeskError(error)
            }
            try await self.audit(.tokenLinkIssued, token, by: context.staff(), at: now)
            return EditedResponse(
                status: .created,
                response: SignInLink(name: token.name, path: "/console/sign-in/link#\(code)", expiresAt: expiresAt))
        }
    }

    /// The token name of the path, percent-decoded (names may be Chinese).
    static func name(_ context: DeskRequestContext) -> String {
        let raw = context.parameters.get("name") ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// The storage, once the caller is known to be an admin.
    private func admin(_ context: DeskRequestContext) throws -> any TokenStorage {
        let who = try context.staff()
        guard who.role == .admin else { throw DeskError.forbiddenRole(who.role.rawValue) }
        guard let storage = self.storage else {
            throw DeskError.unavailable("this service does not manage the tokens: use weiquan token on its host")
        }
        return storage
    }

    /// Writes the audit event of a change made to `token` by `who`. The token's write is done: a failure here is
    /// logged, not answered, so that the client does not retry a change that was made.
    private func audit(_ action: AuditAction, _ token: StoredToken, by who: StaffIdentity, at now: Date) async {
        let event = AuditEvent(
            id: self.makeID(), at: now, actor: who.name, action: action, conversation: nil,
            detail: "token=\(token.name) role=\(token.role.rawValue)")
        do {
            try await self.store.put(event)
        } catch {
            self.logger.error(
                "token change not audited", metadata: ["token": "\(token.name)", "error": "\(error)"])
        }
        self.logger.notice(
            "desk token changed", metadata: ["token": "\(token.name)", "action": "\(action)", "by": "\(who.name)"])
    }

    // MARK: - Bodies

    struct Listing: ResponseEncodable {
        var tokens: [TokenView]
    }

    /// A one-time sign-in link: its path on this service (the code after `#`) and when it stops working.
    struct SignInLink: ResponseEncodable {
        var name: String
        var path: String
        var expiresAt: Date

        enum CodingKeys: String, CodingKey {
            case name, path
            case expiresAt = "expires_at"
        }
    }

    /// A new token: its name and role, and for whom it works.
    struct CreateBody: Decodable {
        var name: String
        var role: String
        var unit: String?
        var specialties: [String]?
        var regions: [String]?
    }
}
