import Foundation

/// When each applicant filed cases and asked for a person, to tell whether a case was filed without a person.
struct ApplicantHistory {
    /// Filing times of every case of the applicant, ascending.
    private var filings: [ApplicantID: [Date]] = [:]
    /// Request times of every handoff of the applicant, ascending.
    private var requests: [ApplicantID: [Date]] = [:]

    init(cases: [CaseFacts], handoffs: [HandoffRecord]) {
        for handoff in handoffs { self.requests[handoff.applicant, default: []].append(handoff.requestedAt) }
        guard !self.requests.isEmpty else { return }
        for record in cases where self.requests[record.applicant] != nil {
            self.filings[record.applicant, default: []].append(record.createdAt)
        }
        for key in self.requests.keys { self.requests[key]?.sort() }
        for key in self.filings.keys { self.filings[key]?.sort() }
    }

    /// True when the applicant asked for no handoff after their previous filing (or ever, before their first) and
    /// up to this one's.
    func filedWithoutPerson(_ record: CaseFacts) -> Bool {
        guard let requests = self.requests[record.applicant] else { return true }
        let filings = self.filings[record.applicant] ?? []
        let index = Self.firstIndex(in: filings) { $0 >= record.createdAt }
        let previous = index > 0 ? filings[index - 1] : nil
        // The first request after this filing; the one before it is the last at or before the filing.
        let after = Self.firstIndex(in: requests) { $0 > record.createdAt }
        guard after > 0 else { return true }
        let last = requests[after - 1]
        return previous.map { last <= $0 } ?? false
    }

    /// The index of the first element for which `isAtOrAfter` holds (the elements are sorted so that it holds
    /// from some point on); `elements.count` when none does.
    private static func firstIndex(in elements: [Date], where isAtOrAfter: (Date) -> Bool) -> Int {
        var low = 0
        var high = elements.count
        while low < high {
            let middle = (low + high) / 2
            if isAtOrAfter(elements[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
