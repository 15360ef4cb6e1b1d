import Foundation
import Hummingbird
import WeiquanCore

/// A question as the desk shows it to its caller.
///
/// A volunteer's view (``init(volunteer:viewer:unit:now:redact:)``) has the redacted text, the follow-ups with the
/// applicant's replies redacted, and — on a question they hold or held — their claim, answer, its review and
/// rating; never the applicant's OpenID or words as written. Staff's view (``init(staff:unit:now:withTimeline:)``)
/// has everything, the timeline in the detail.
public struct QuestionView: Encodable, ResponseEncodable, Sendable {
    /// A follow-up as shown.
    public struct FollowUp: Encodable, Sendable, Equatable {
        public var askedAt: Date
        public var by: String
        public var text: String
        public var reply: String?
        public var repliedAt: Date?
        public var lapsedAt: Date?

        enum CodingKeys: String, CodingKey {
            case by, text, reply
            case askedAt = "asked_at"
            case repliedAt = "replied_at"
            case lapsedAt = "lapsed_at"
        }
    }

    public var id: QuestionID
    public var status: QuestionStatus
    public var redacted: String
    public var ipType: String?
    public var region: String?
    /// The unit the question belongs to (``QuestionService``: its region's).
    public var unit: UnitID
    public var askedAt: Date
    /// Seconds since it was asked, when the answer was made.
    public var ageSeconds: Int
    public var urgent: Bool
    public var followUps: [FollowUp]?
    public var claim: QuestionClaim?
    public var answer: QuestionAnswer?
    public var review: QuestionReview?
    public var deliveredAt: Date?
    public var rating: QuestionRating?
    // Staff only: the OpenID, the words as written, who gave it up and why, and (in the detail) the timeline.
    public var applicant: ApplicantID?
    public var text: String?
    public var putBacks: [QuestionPutBack]?
    public var timeline: [QuestionEvent]?

    /// What `viewer`, a volunteer, sees; `redact` runs on each reply of the applicant.
    init(
        volunteer record: QuestionRecord, viewer: String, unit: UnitID, now: Date, redact: (String) -> String
    ) {
        self.init(record, unit: unit, now: now)
        self.followUps = Self.followUps(of: record, reply: redact)
        guard record.claim?.volunteer == viewer else { return }
        self.claim = record.claim
        if record.answer?.by == viewer {
            self.answer = record.answer
            self.review = record.review
            self.rating = record.rating
        }
    }

    /// The record's follow-up questions with the applicant's replies passed through `reply`; nil for none.
    private static func followUps(of record: QuestionRecord, reply: (String) -> String) -> [FollowUp]? {
        record.followUps.isEmpty
            ? nil
            : record.followUps.map { followUp in
                FollowUp(
                    askedAt: followUp.askedAt, by: followUp.by, text: followUp.text, reply: followUp.reply.map(reply),
                    repliedAt: followUp.repliedAt, lapsedAt: followUp.lapsedAt)
            }
    }

    /// What staff see.
    init(staff record: QuestionRecord, unit: UnitID, now: Date, withTimeline: Bool) {
        self.init(record, unit: unit, now: now)
        self.followUps = Self.followUps(of: record) { $0 }
        self.claim = record.claim
        self.answer = record.answer
        self.review = record.review
        self.rating = record.rating
        self.applicant = record.applicant
        self.text = record.text
        self.putBacks = record.putBacks.isEmpty ? nil : record.putBacks
        self.timeline = withTimeline ? record.timeline : nil
    }

    /// What everyone sees.
    private init(_ record: QuestionRecord, unit: UnitID, now: Date) {
        self.id = record.id
        self.status = record.status
        self.redacted = record.redacted
        self.ipType = record.ipType
        self.region = record.region
        self.unit = unit
        self.askedAt = record.askedAt
        self.ageSeconds = max(0, Int(now.timeIntervalSince(record.askedAt)))
        self.urgent = record.urgent
        self.deliveredAt = record.deliveredAt
    }

    enum CodingKeys: String, CodingKey {
        case id, status, redacted, region, unit, urgent, claim, answer, review, rating, applicant, text, timeline
        case ipType = "ip_type"
        case askedAt = "asked_at"
        case ageSeconds = "age_seconds"
        case followUps = "follow_ups"
        case deliveredAt = "delivered_at"
        case putBacks = "put_backs"
    }
}

/// A page of questions.
struct QuestionListing: ResponseEncodable, Sendable {
    var questions: [QuestionView]
    var total: Int
}

/// The volunteers' figures.
struct QuestionStatsListing: ResponseEncodable, Sendable {
    var volunteers: [VolunteerFigures]
}
