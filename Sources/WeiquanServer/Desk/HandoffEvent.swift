import Foundation
import WeiquanCore

/// What the desk's live pages are told when a handoff changes: enough to update a queue row, or to know that the
/// row should be fetched again (`GET /api/v1/handoffs/{id}`). Sent as `event: handoff` by `GET /api/v1/events`.
struct HandoffEvent: Encodable, Sendable, Equatable {
    /// The status the handoff has now, or `removed` when it is gone from the store (erased).
    static let removed = "removed"

    var id: HandoffID
    var status: String
    var unit: UnitID
    /// Place in the unit's queue while waiting (1 = next).
    var position: Int?
    /// Who owns it (the assignee), once claimed.
    var claimedBy: String?
    /// When it last changed: the latest of its request, claim, end, activity and transcript lines.
    var updated: Date
    /// The units whose staff may see the change: the handoff's unit and, after a transfer, the one it left. Not sent.
    var units: Set<UnitID>

    init(_ record: HandoffRecord, status: String? = nil, position: Int?, previousUnit: UnitID? = nil) {
        self.id = record.id
        self.status = status ?? record.status.rawValue
        self.unit = record.unit
        self.position = position
        self.claimedBy = record.assignee
        self.updated = [record.claimedAt, record.endedAt, record.messages.last?.at].compactMap { $0 }
            .reduce(max(record.requestedAt, record.lastActivityAt), max)
        self.units = [record.unit]
        if let previousUnit { self.units.insert(previousUnit) }
    }

    /// Whether `who` may see this change: admins and staff of no unit see every unit, others their own.
    func isVisible(to who: StaffIdentity) -> Bool {
        guard who.role == .admin || who.role == .staff else { return false }
        guard who.role != .admin, let unit = who.unit else { return true }
        return self.units.contains(unit)
    }

    enum CodingKeys: String, CodingKey {
        case id, status, unit, position, updated
        case claimedBy = "claimed_by"
    }
}
