/// A piece of personal data found in a text: its kind and where it is.
struct RedactionMatch: Equatable, Sendable {
    var kind: RedactionKind
    /// UTF-8 offsets in the original text.
    var range: Range<Int>

    /// What a detector found, in the bytes of a ``RedactionText``, before overlapping finds are merged.
    struct Candidate: Equatable, Sendable {
        var kind: RedactionKind
        var range: Range<Int>
    }

    /// The order in which kinds name a merged span when their finds cover it equally.
    static func rank(_ kind: RedactionKind) -> Int {
        switch kind {
        case .residentID: 0
        case .bankCard: 1
        case .creditCode: 2
        case .email: 3
        case .mobile: 4
        case .landline: 5
        case .qq: 6
        case .wechat: 7
        case .known: 8
        case .name: 9
        case .address: 10
        }
    }

    /// Merges overlapping finds (and touching finds of one kind) into one span each, sorted by position.
    ///
    /// A merged span takes the kind of the find that covers most of it; on a tie, the kind of lower
    /// ``rank(_:)``.
    static func merge(_ candidates: [Candidate]) -> [Candidate] {
        let sorted = candidates.filter { !$0.range.isEmpty }.sorted { left, right in
            if left.range.lowerBound != right.range.lowerBound {
                return left.range.lowerBound < right.range.lowerBound
            }
            return Self.rank(left.kind) < Self.rank(right.kind)
        }
        var merged: [Candidate] = []
        var best: Candidate?
        for candidate in sorted {
            if var last = merged.last,
                candidate.range.lowerBound < last.range.upperBound
                    || (candidate.range.lowerBound == last.range.upperBound && candidate.kind == last.kind)
            {
                last.range = last.range.lowerBound..<max(last.range.upperBound, candidate.range.upperBound)
                if let current = best, Self.covers(candidate, better: current) {
                    best = candidate
                }
                last.kind = best?.kind ?? last.kind
                merged[merged.count - 1] = last
            } else {
                merged.append(candidate)
                best = candidate
            }
        }
        return merged
    }

    private static func covers(_ candidate: Candidate, better current: Candidate) -> Bool {
        if candidate.range.count != current.range.count {
            return candidate.range.count > current.range.count
        }
        return Self.rank(candidate.kind) < Self.rank(current.kind)
    }
}
