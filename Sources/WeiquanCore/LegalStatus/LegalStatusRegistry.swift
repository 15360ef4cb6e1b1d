import Foundation

/// A source of legal-status records, looked up by canonical number.
///
/// The lookup is synchronous: registries used by the conversation machine answer from memory.
/// A registry backed by a remote service keeps a local copy fresh in the background.
public protocol LegalStatusRegistry: Sendable {
    /// The record of a canonical number as of `today`: a registry that keeps events derives the status, its
    /// overlays and deadlines for that day.
    func record(kind: LegalStatusRecord.RightKind, number: String, today: CalendarDay) -> LegalStatusRecord?
}

/// A registry held in memory, loaded from a JSON array of ``LegalStatusRecord``s.
public struct InMemoryLegalStatusRegistry: LegalStatusRegistry {
    private struct Key: Hashable {
        let kind: LegalStatusRecord.RightKind
        let number: String
    }

    private let records: [Key: LegalStatusRecord]

    public init(records: [LegalStatusRecord]) {
        var byKey: [Key: LegalStatusRecord] = [:]
        for record in records {
            byKey[Key(kind: record.kind, number: record.number.uppercased())] = record
        }
        self.records = byKey
    }

    /// Decodes a JSON array of records.
    public init(json data: Data) throws {
        self.init(records: try JSONDecoder().decode([LegalStatusRecord].self, from: data))
    }

    public var count: Int { self.records.count }

    /// The stored record: it was written as of its data date, so `today` changes nothing.
    public func record(kind: LegalStatusRecord.RightKind, number: String, today: CalendarDay) -> LegalStatusRecord? {
        self.records[Key(kind: kind, number: number.uppercased())]
    }
}
