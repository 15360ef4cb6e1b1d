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
    /// The holder the registry names (after a registered transfer, not necessarily the applicant).
    var holder: String?
    /// Registered on the right: a transfer, pledge, licence or preservation.
    var overlays: [LegalStatusOverlay]
    /// Each overlay in the bot's words (what it means for the case).
    var overlayTexts: [String]
    /// A rejection's last day to request re-examination, when it has not passed.
    var appealEnds: String?
    /// A lapse's last day to request restoration, when it has not passed.
    var restorationEnds: String?

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
        self.holder = found.holder
        self.overlays = found.overlays
        self.overlayTexts = found.overlays.map { machine.replies.render("status.overlay.\($0.rawValue)") }
        self.appealEnds = found.appealEnds
        self.restorationEnds = found.restorationEnds
    }

    enum CodingKeys: String, CodingKey {
        case number, bucket
        case statusText = "status_text"
        case officialWording = "official_wording"
        case dataDate = "data_date"
        case holder, overlays
        case overlayTexts = "overlay_texts"
        case appealEnds = "appeal_ends"
        case restorationEnds = "restoration_ends"
    }
}
