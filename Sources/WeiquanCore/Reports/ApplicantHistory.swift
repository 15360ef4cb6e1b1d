import Foundation

/// When each applicant filed cases and asked for a person, to tell whether a case was filed without a person.
struct ApplicantHistory {
    /// An applicant with its hash worked out once: a look-up that meets other applicants on its way compares hashes,
    /// not ids (a report looks up every case's applicant, most of whom never asked for a person).
    private struct Key: Hashable {
        let hash: Int
        let applicant: ApplicantID

        init(_ applicant: ApplicantID) {
            self.hash = applicant.hashValue
            self.applicant = applicant
        }

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.hash == rhs.hash && lhs.applicant == rhs.applicant
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(self.hash)
        }
    }

    /// Of every applicant who asked for a person: the request times of their handoffs and the filing times of their
    /// cases, each ascending (one entry, so a case costs one look-up).
    private var byApplicant: [Key: (requests: [Date], filings: [Date])] = [:]

    init(cases: [CaseFacts], handoffs: [HandoffFacts]) {
        for handoff in handoffs {
            self.byApplicant[Key(handoff.applicant), default: ([], [])].requests.append(handoff.requestedAt)
        }
        guard !self.byApplicant.isEmpty else { return }
        for index in cases.indices {
            if let entry = self.byApplicant.index(forKey: Key(cases[index].applicant)) {
                self.byApplicant.values[entry].filings.append(cases[index].createdAt)
            }
        }
        for entry in self.byApplicant.indices {
            self.byApplicant.values[entry].requests.sort()
            self.byApplicant.values[entry].filings.sort()
        }
    }

    /// True when the applicant asked for no handoff after their previous filing (or ever, before their first) and
    /// up to this one's.
    func filedWithoutPerson(_ applicant: ApplicantID, filedAt: Date) -> Bool {
        guard let entry = self.byApplicant.index(forKey: Key(applicant)) else { return true }
        let (requests, filings) = self.byApplicant.values[entry]
        let index = Self.firstIndex(in: filings) { $0 >= filedAt }
        let previous = index > 0 ? filings[index - 1] : nil
        // The first request after this filing; the one before it is the last at or before the filing.
        let after = Self.firstIndex(in: requests) { $0 > filedAt }
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
