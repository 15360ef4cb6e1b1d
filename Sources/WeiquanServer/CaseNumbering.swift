import Synchronization
import WeiquanCore

/// Hands out case ids in sequence per day (`WQ202611210001`, `…0002`), without gaps and without an upper
/// bound of its own: from the day's 10,000th case on the ids carry a wider sequence (`WQ2026112110000`, see
/// ``CaseID``), and ids of either width continue their day's sequence after a restart.
///
/// The conversation machine is pure: it is given the id the next case would get. The service peeks at
/// that id, runs the machine, and writes a filed case with a create-only change (``DocumentChange/create(_:)``):
/// if another conversation — on this instance or another one on the same database — took the id first, the
/// write fails with `.conflict`, the service ``observe(_:)``s the id as taken and runs the machine again with the
/// next one (it is deterministic, so this is safe). The numbering advances only on ids that exist in the store,
/// so a failed write never leaves a gap.
public final class CaseNumbering: Sendable {
    private let lastSequence = Mutex<[String: Int]>([:])

    /// - Parameter existing: Ids already used, to continue their days' sequences; strings that are not
    ///   canonical case ids are skipped.
    public init(existing: [String]) {
        self.lastSequence.withLock { last in
            for id in existing {
                guard let caseID = CaseID(rawValue: id) else { continue }
                let day = Self.day(caseID)
                last[day] = max(last[day] ?? 0, caseID.sequence)
            }
        }
    }

    /// The sequence number the next case of `day` (`yyyyMMdd`) would get.
    public func peek(day: String) -> Int {
        self.lastSequence.withLock { ($0[day] ?? 0) + 1 }
    }

    /// Takes note of a case id that exists in the store (written here, written by another instance, or met as
    /// a conflict): the day's next id comes after it.
    public func observe(_ id: CaseID) {
        let day = Self.day(id)
        self.lastSequence.withLock { last in last[day] = max(last[day] ?? 0, id.sequence) }
    }

    static func day(_ id: CaseID) -> String {
        String(id.rawValue.dropFirst(2).prefix(8))
    }
}
