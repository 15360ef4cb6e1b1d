import Foundation
import Hummingbird
import WeiquanCore

/// A desk token as `/api/v1/tokens` shows it: who it is for and what it may do, never its hash.
struct TokenView: ResponseEncodable, Sendable, Equatable {
    var name: String
    var role: DeskRole
    var unit: UnitID?
    var specialties: [String]
    var regions: [UnitID]
    var createdAt: Date
    var revokedAt: Date?
    /// Not revoked: it still opens the desk.
    var active: Bool
    /// The secret, only in the answer that created the token (it is not stored, only its hash).
    var secret: String?

    init(_ token: StoredToken, secret: String? = nil) {
        self.name = token.name
        self.role = token.role
        self.unit = token.unit
        self.specialties = token.specialties
        self.regions = token.regions
        self.createdAt = token.createdAt
        self.revokedAt = token.revokedAt
        self.active = token.isActive
        self.secret = secret
    }

    enum CodingKeys: String, CodingKey {
        case name, role, unit, specialties, regions, active, secret
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }
}
