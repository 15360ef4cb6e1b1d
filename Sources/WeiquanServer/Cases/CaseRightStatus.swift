import Foundation
import WeiquanCore

/// What the centre's registry says about the right a case names (its `ip_number`), in the case's detail: staff see
/// whether the right is in force before they accept an aid request.
struct CaseRightStatus: Encodable, Sendable, Equatable {
    var number: String
    var bucket: LegalStatusBucket
    /// The bucket in the bot's words (`有效`, `保护期届满` …).
    var statusText: String
    var officialWording: String
    /// The day the registry's data was taken from the official source.
    var dataDate: String

    /// The registry's record of the case's right, for a patent or a trademark; nil when the case names none or
    /// the registry does not hold it.
    init?(of record: CaseRecord, machine: ConversationMachine, now: Date) {
        guard let number = record.rightNumber else { return nil }
        let kind: LegalStatusRecord.RightKind
        switch record.fields["ip_type"].flatMap(IPType.init) {
        case .patent: kind = .patent
        case .trademark: kind = .trademark
        default: return nil
        }
        guard let found = machine.registry.record(kind: kind, number: number, today: machine.day(of: now)) else {
            return nil
        }
        self.number = found.number
        self.bucket = found.bucket
        self.statusText = machine.replies.render("status.\(found.bucket.rawValue)")
        self.officialWording = found.officialWording
        self.dataDate = found.dataDate
    }

    enum CodingKeys: String, CodingKey {
        case number, bucket
        case statusText = "status_text"
        case officialWording = "official_wording"
        case dataDate = "data_date"
    }
}
