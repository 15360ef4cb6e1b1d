import Foundation

/// One volunteer's work on the questions, for `GET /api/v1/questions/stats`.
///
/// - `answered`: questions they submitted an answer to (once each, however often it was returned).
/// - `delivered`: their answers that reached the applicant.
/// - `median_seconds_to_answer`: from their claim to their first answer of each question, by the nearest rank
///   (``NearestRank``: the lower middle of an even count); absent with no answer.
/// - `helpful`, `not_helpful`: the applicants' verdicts on their delivered answers.
/// - `returned`: their answers staff returned for revision.
/// - `put_back`: questions they gave up (a lease that ran out is not counted).
/// - `holding`: questions they hold now (claimed, or waiting for the applicant's reply).
public struct VolunteerFigures: Codable, Sendable, Equatable {
    public var volunteer: String
    public var answered: Int
    public var delivered: Int
    public var medianSecondsToAnswer: Int?
    public var helpful: Int
    public var notHelpful: Int
    public var returned: Int
    public var putBack: Int
    public var holding: Int

    public init(volunteer: String) {
        self.volunteer = volunteer
        self.answered = 0
        self.delivered = 0
        self.medianSecondsToAnswer = nil
        self.helpful = 0
        self.notHelpful = 0
        self.returned = 0
        self.putBack = 0
        self.holding = 0
    }

    enum CodingKeys: String, CodingKey {
        case volunteer, answered, delivered, helpful, returned, holding
        case medianSecondsToAnswer = "median_seconds_to_answer"
        case notHelpful = "not_helpful"
        case putBack = "put_back"
    }

    /// The figures of every volunteer who appears on `questions`' timelines, by name.
    public static func figures(of questions: [QuestionRecord]) -> [VolunteerFigures] {
        var figures: [String: VolunteerFigures] = [:]
        var times: [String: [Int]] = [:]
        func touch(_ name: String) {
            if figures[name] == nil { figures[name] = VolunteerFigures(volunteer: name) }
        }
        for question in questions {
            var claimedAt: [String: Date] = [:]
            var answered: Set<String> = []
            for event in question.timeline {
                guard let name = event.volunteer else { continue }
                touch(name)
                switch event.action {
                case .claimed:
                    claimedAt[name] = event.at
                case .answered where event.actor == name && !answered.contains(name):
                    answered.insert(name)
                    figures[name]?.answered += 1
                    if let start = claimedAt[name] {
                        times[name, default: []].append(max(0, Int(event.at.timeIntervalSince(start).rounded())))
                    }
                case .returned:
                    figures[name]?.returned += 1
                case .putBack where event.actor == name:
                    figures[name]?.putBack += 1
                default:
                    break
                }
            }
            if let holder = question.holder {
                touch(holder)
                figures[holder]?.holding += 1
            }
            if question.deliveredAt != nil, let author = question.answer?.by {
                touch(author)
                figures[author]?.delivered += 1
                if let rating = question.rating {
                    if rating.helpful { figures[author]?.helpful += 1 } else { figures[author]?.notHelpful += 1 }
                }
            }
        }
        for (name, values) in times {
            figures[name]?.medianSecondsToAnswer = NearestRank.percentile(50, of: values.sorted())
        }
        return figures.values.sorted { $0.volunteer < $1.volunteer }
    }
}
