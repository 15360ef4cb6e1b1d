import Foundation

/// A question an applicant left for the volunteers (我要提问), from the queue to the rating of its answer.
///
/// Stored in the `questions` collection. Volunteers never see ``applicant`` or ``text``: they read ``redacted`` (made
/// by the bot before the question is filed) and the follow-up replies redacted the same way as they are shown.
/// Changes go through the transitions of `QuestionRecord+Transitions`, which check the status and the volunteer
/// they start from and record who did what and when on the ``timeline``.
public struct QuestionRecord: Codable, Sendable, Equatable, Identifiable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var id: QuestionID
    /// The applicant's channel identity (WeChat OpenID): staff only.
    public var applicant: ApplicantID
    public var askedAt: Date
    /// The question as the applicant wrote it: staff only.
    public var text: String
    /// The question with personal data removed: what volunteers see.
    public var redacted: String
    /// The IP type it is about (an ``IPType`` raw value), when known.
    public var ipType: String?
    /// Where the applicant is: a region name of the directory (`南宁市`) or a unit id (`nanning`), when known.
    public var region: String?
    /// The applicant's matter is urgent (a deadline, a court date): shown first when the queue asks for it.
    public var urgent: Bool
    public var status: QuestionStatus
    /// The volunteer holding it, or who held it last once it was answered; nil while queued.
    public var claim: QuestionClaim?
    public var followUps: [QuestionFollowUp]
    /// The latest answer submitted.
    public var answer: QuestionAnswer?
    /// Staff's latest review of the answer.
    public var review: QuestionReview?
    public var deliveredAt: Date?
    public var rating: QuestionRating?
    public var putBacks: [QuestionPutBack]
    /// Everything that happened to it, oldest first.
    public var timeline: [QuestionEvent]

    /// A question just filed by the bot, queued.
    /// - Parameters:
    ///   - text: As the applicant wrote it.
    ///   - redacted: With personal data removed, for the volunteers.
    ///   - ipType: An ``IPType`` raw value, when known.
    ///   - region: A region name of the directory or a unit id, when known.
    public init(
        id: QuestionID, applicant: ApplicantID, askedAt: Date, text: String, redacted: String, ipType: String?,
        region: String?, urgent: Bool
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.applicant = applicant
        self.askedAt = askedAt
        self.text = text
        self.redacted = redacted
        self.ipType = ipType
        self.region = region
        self.urgent = urgent
        self.status = .queued
        self.claim = nil
        self.followUps = []
        self.answer = nil
        self.review = nil
        self.deliveredAt = nil
        self.rating = nil
        self.putBacks = []
        self.timeline = []
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, applicant, text, redacted, region, urgent, status, claim, answer, review, rating, timeline
        case askedAt = "asked_at"
        case ipType = "ip_type"
        case followUps = "follow_ups"
        case deliveredAt = "delivered_at"
        case putBacks = "put_backs"
    }

    /// Reads questions of every version: what earlier versions did not write starts empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        self.id = try container.decode(QuestionID.self, forKey: .id)
        self.applicant = try container.decode(ApplicantID.self, forKey: .applicant)
        self.askedAt = try container.decode(Date.self, forKey: .askedAt)
        self.text = try container.decode(String.self, forKey: .text)
        self.redacted = try container.decode(String.self, forKey: .redacted)
        self.ipType = try container.decodeIfPresent(String.self, forKey: .ipType)
        self.region = try container.decodeIfPresent(String.self, forKey: .region)
        self.urgent = try container.decodeIfPresent(Bool.self, forKey: .urgent) ?? false
        self.status = try container.decode(QuestionStatus.self, forKey: .status)
        self.claim = try container.decodeIfPresent(QuestionClaim.self, forKey: .claim)
        self.followUps = try container.decodeIfPresent([QuestionFollowUp].self, forKey: .followUps) ?? []
        self.answer = try container.decodeIfPresent(QuestionAnswer.self, forKey: .answer)
        self.review = try container.decodeIfPresent(QuestionReview.self, forKey: .review)
        self.deliveredAt = try container.decodeIfPresent(Date.self, forKey: .deliveredAt)
        self.rating = try container.decodeIfPresent(QuestionRating.self, forKey: .rating)
        self.putBacks = try container.decodeIfPresent([QuestionPutBack].self, forKey: .putBacks) ?? []
        self.timeline = try container.decodeIfPresent([QuestionEvent].self, forKey: .timeline) ?? []
    }

    /// Writes what the question has; the lists only once they have something.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.schemaVersion, forKey: .schemaVersion)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.applicant, forKey: .applicant)
        try container.encode(self.askedAt, forKey: .askedAt)
        try container.encode(self.text, forKey: .text)
        try container.encode(self.redacted, forKey: .redacted)
        try container.encodeIfPresent(self.ipType, forKey: .ipType)
        try container.encodeIfPresent(self.region, forKey: .region)
        try container.encode(self.urgent, forKey: .urgent)
        try container.encode(self.status, forKey: .status)
        try container.encodeIfPresent(self.claim, forKey: .claim)
        if !self.followUps.isEmpty { try container.encode(self.followUps, forKey: .followUps) }
        try container.encodeIfPresent(self.answer, forKey: .answer)
        try container.encodeIfPresent(self.review, forKey: .review)
        try container.encodeIfPresent(self.deliveredAt, forKey: .deliveredAt)
        try container.encodeIfPresent(self.rating, forKey: .rating)
        if !self.putBacks.isEmpty { try container.encode(self.putBacks, forKey: .putBacks) }
        if !self.timeline.isEmpty { try container.encode(self.timeline, forKey: .timeline) }
    }

    /// The volunteer who holds it now (claimed, or waiting for the applicant's reply); nil otherwise.
    public var holder: String? {
        QuestionStatus.holding.contains(self.status) ? self.claim?.volunteer : nil
    }

    /// The follow-up that waits for the applicant's reply, if any.
    public var openFollowUp: QuestionFollowUp? {
        self.status == .awaitingApplicant ? self.followUps.last.flatMap { $0.isOpen ? $0 : nil } : nil
    }

    /// What the applicant is (or was) sent: the reviewer's edited text, else the volunteer's answer.
    public var deliverableText: String? {
        self.review?.edited ?? self.answer?.text
    }

    /// When the first answer was submitted (for the time to a first answer).
    public var firstAnsweredAt: Date? {
        self.timeline.first { $0.action == .answered }?.at
    }
}
