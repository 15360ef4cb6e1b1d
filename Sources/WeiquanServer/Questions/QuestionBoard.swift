import Foundation
import Synchronization
import WeiquanCore

/// The queued questions as the gauges show them: IP type and time asked, by id. Refreshed from the store each
/// minute and by this instance's own changes, so a gauge is at most a minute behind.
final class QuestionBoard: Sendable {
    /// The label of a question of no IP type.
    static let noType = "none"

    private let queued = Mutex<[QuestionID: (type: String, askedAt: Date)]>([:])

    /// Everything queued in `questions`, in place of what was known.
    func replace(with questions: [QuestionRecord]) {
        var entries: [QuestionID: (type: String, askedAt: Date)] = [:]
        for question in questions where question.status == .queued {
            entries[question.id] = (question.ipType ?? Self.noType, question.askedAt)
        }
        self.queued.withLock { $0 = entries }
    }

    /// One question as it is now.
    func update(_ question: QuestionRecord) {
        self.queued.withLock { queued in
            queued[question.id] = question.status == .queued ? (question.ipType ?? Self.noType, question.askedAt) : nil
        }
    }

    /// Queued questions by IP type.
    func depthByType() -> [String: Int] {
        self.queued.withLock { queued in
            queued.values.reduce(into: [:]) { counts, entry in counts[entry.type, default: 0] += 1 }
        }
    }

    /// The age in whole seconds of the oldest queued question of each IP type at `now`.
    func oldestAgeByType(now: Date) -> [String: Int] {
        let oldest = self.queued.withLock { queued in
            queued.values.reduce(into: [String: Date]()) { oldest, entry in
                oldest[entry.type] = min(oldest[entry.type] ?? entry.askedAt, entry.askedAt)
            }
        }
        return oldest.mapValues { max(0, Int(now.timeIntervalSince($0))) }
    }
}
