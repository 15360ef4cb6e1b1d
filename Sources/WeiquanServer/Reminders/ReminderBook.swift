import Foundation
import WeiquanCore
import WeiquanStore

/// An applicant's reminders (collection `reminders`, one document per applicant, id = OpenID): set after a
/// legal-status answer, sent on their day by ``ReminderSweeper``, or held while WeChat's 48-hour window is closed
/// and then given with the reply to the applicant's next message.
///
/// A reminder leaves the book in the same durable write that hands it on (an outbox message, or the reply that
/// carries it), so it goes out once: a sweep or a message that fails to write leaves it where it was.
///
/// On disk (`jq` friendly):
/// `{"schema_version":1,"applicant":"o…","entries":[{"reminder":{…,"remind_on":"2027-05-30"},"state":"scheduled",
///   "set_at":"…"}]}`
public struct ReminderBook: StoredDocument, Equatable {
    public static var collection: String { "reminders" }
    public static let currentSchemaVersion = 1

    /// One reminder and where it stands.
    public struct Entry: Codable, Sendable, Equatable {
        /// Where a reminder stands.
        public enum State: String, Codable, Sendable {
            /// Waiting for its day.
            case scheduled
            /// Its day came while the window was closed: given with the reply to the applicant's next message.
            case held
        }

        public var reminder: Reminder
        public var state: State
        public var setAt: Date
        /// When its day came and it could not be sent.
        public var heldAt: Date?

        public init(reminder: Reminder, state: State = .scheduled, setAt: Date, heldAt: Date? = nil) {
            self.reminder = reminder
            self.state = state
            self.setAt = setAt
            self.heldAt = heldAt
        }

        enum CodingKeys: String, CodingKey {
            case reminder, state
            case setAt = "set_at"
            case heldAt = "held_at"
        }
    }

    public var schemaVersion: Int
    public var applicant: ApplicantID
    public var entries: [Entry]

    public init(applicant: ApplicantID, entries: [Entry] = []) {
        self.schemaVersion = Self.currentSchemaVersion
        self.applicant = applicant
        self.entries = entries
    }

    public var documentID: String { self.applicant.rawValue }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case applicant, entries
    }

    /// Sets `reminder`, replacing one about the same right and subject (asked again: the newer day counts).
    public mutating func set(_ reminder: Reminder, at now: Date) {
        self.entries.removeAll { $0.reminder.id == reminder.id }
        self.entries.append(Entry(reminder: reminder, setAt: now))
    }

    /// Removes the reminders about `number` (all of them when nil); returns how many went.
    @discardableResult
    public mutating func cancel(number: String?) -> Int {
        let before = self.entries.count
        self.entries.removeAll { entry in number.map { entry.reminder.number == $0 } ?? true }
        return before - self.entries.count
    }

    /// The scheduled reminders whose day is `today` or earlier.
    public func due(on today: CalendarDay) -> [Entry] {
        self.entries.filter { $0.state == .scheduled && $0.reminder.remindOn <= today }
    }

    /// The reminders held for the applicant's next message, oldest day first.
    public var held: [Entry] {
        self.entries.filter { $0.state == .held }.sorted { $0.reminder.remindOn < $1.reminder.remindOn }
    }

    /// Marks `entries` held since `now`.
    public mutating func hold(_ entries: [Entry], at now: Date) {
        let ids = Set(entries.map(\.reminder.id))
        for index in self.entries.indices where ids.contains(self.entries[index].reminder.id) {
            self.entries[index].state = .held
            self.entries[index].heldAt = now
        }
    }

    /// Removes `entries` (handed on).
    public mutating func remove(_ entries: [Entry]) {
        let ids = Set(entries.map(\.reminder.id))
        self.entries.removeAll { ids.contains($0.reminder.id) }
    }

    /// The change that stores the book as it is now: deleted once it is empty.
    func change() throws -> DocumentChange {
        self.entries.isEmpty ? .delete(ReminderBook.self, id: self.documentID) : try .put(self)
    }
}
