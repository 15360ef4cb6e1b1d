import Foundation

/// How the volunteer queue works, set in the `volunteer` section of the config; every key may be left out and
/// takes its default.
///
/// ```json
/// { "review_required": true, "lease_minutes": 30, "max_claims": 3, "follow_up_hours": 48,
///   "team_name": "广西知识产权维权援助志愿者团队" }
/// ```
public struct VolunteerPolicy: Codable, Sendable, Equatable {
    /// Whether staff approve every answer before it reaches the applicant (otherwise it goes at once).
    public var reviewRequired: Bool
    /// How long a claim holds without a renewal, in minutes.
    public var leaseMinutes: Int
    /// How many questions one volunteer may hold at once (claimed, or waiting for the applicant's reply).
    public var maxClaims: Int
    /// How long the applicant's reply to a follow-up question is awaited, in hours.
    public var followUpHours: Int
    /// Who signs the answers the applicant gets.
    public var teamName: String

    /// The signature when the configuration names no team.
    public static let defaultTeamName = "知识产权维权援助志愿者团队"

    public init(
        reviewRequired: Bool = true, leaseMinutes: Int = 30, maxClaims: Int = 3, followUpHours: Int = 48,
        teamName: String = VolunteerPolicy.defaultTeamName
    ) {
        self.reviewRequired = reviewRequired
        self.leaseMinutes = leaseMinutes
        self.maxClaims = maxClaims
        self.followUpHours = followUpHours
        self.teamName = teamName
    }

    enum CodingKeys: String, CodingKey {
        case reviewRequired = "review_required"
        case leaseMinutes = "lease_minutes"
        case maxClaims = "max_claims"
        case followUpHours = "follow_up_hours"
        case teamName = "team_name"
    }

    /// Decodes the `volunteer` object; every key may be left out and takes its default.
    public init(from decoder: any Decoder) throws {
        let defaults = VolunteerPolicy()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.reviewRequired =
            try container.decodeIfPresent(Bool.self, forKey: .reviewRequired) ?? defaults.reviewRequired
        self.leaseMinutes = try container.decodeIfPresent(Int.self, forKey: .leaseMinutes) ?? defaults.leaseMinutes
        self.maxClaims = try container.decodeIfPresent(Int.self, forKey: .maxClaims) ?? defaults.maxClaims
        self.followUpHours =
            try container.decodeIfPresent(Int.self, forKey: .followUpHours) ?? defaults.followUpHours
        self.teamName = try container.decodeIfPresent(String.self, forKey: .teamName) ?? defaults.teamName
    }

    /// The lease in seconds.
    public var leaseSeconds: Double { Double(self.leaseMinutes) * 60 }

    /// The wait for a follow-up's reply in seconds.
    public var followUpSeconds: Double { Double(self.followUpHours) * 3_600 }

    /// What is wrong with the values, one readable sentence each, starting with `volunteer.<key>`.
    public func problems() -> [String] {
        var problems: [String] = []
        if !(5...1_440).contains(self.leaseMinutes) {
            problems.append("volunteer.lease_minutes must be from 5 to 1440, got \(self.leaseMinutes)")
        }
        if !(1...50).contains(self.maxClaims) {
            problems.append("volunteer.max_claims must be from 1 to 50, got \(self.maxClaims)")
        }
        if !(1...720).contains(self.followUpHours) {
            problems.append("volunteer.follow_up_hours must be from 1 to 720, got \(self.followUpHours)")
        }
        if self.teamName.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("volunteer.team_name must not be empty: it signs the answers")
        }
        return problems
    }
}
