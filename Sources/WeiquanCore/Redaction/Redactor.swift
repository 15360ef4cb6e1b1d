/// Removes personal data from a question before a volunteer sees it.
///
/// Pure and deterministic: the same text and values always give the same result. The text is kept as it was
/// given (traditional characters, full-width punctuation, line breaks) except for the pieces of personal data,
/// each replaced by its kind's label. Detection reads a normalised copy (see ``RedactionText``) and maps what
/// it finds back to the original.
///
/// What is masked (see ``RedactionKind``): mobile and landline numbers, resident ID numbers (also with a
/// wrong check character: an ID-shaped number with a typo is still someone's ID, so it is masked and counted
/// as an ID), e-mail addresses, bank cards (Luhn), unified social credit codes (check character), QQ numbers
/// and WeChat ids after their labels, street addresses below the district, names after a name label (and
/// wherever such a name recurs), numbers spelt in Chinese digits, and the values the applicant gave in a form.
///
/// What stays, because the volunteer needs it or it names nobody: patent and trademark numbers, case ids,
/// order and invoice numbers after their labels, web links, dates, amounts, article numbers, the province,
/// city and district of an address, a surname with a title (`张先生`), company service numbers (400/800).
/// Not found: numbers too short to tell without a label (an 8-digit Hong Kong number, a QQ number with no
/// `QQ` before it), names with no label, short forms of a company name given in the form.
///
/// One pass per detector over the text: linear in its length (times the number of `known` values).
public struct Redactor: Sendable {
    private let labels: [RedactionKind: String]

    /// - Parameter labels: The text that replaces each kind; a kind without one gets
    ///   ``RedactionKind/defaultLabel``.
    public init(labels: [RedactionKind: String]) {
        var complete: [RedactionKind: String] = [:]
        for kind in RedactionKind.allCases {
            complete[kind] = labels[kind] ?? kind.defaultLabel
        }
        self.labels = complete
    }

    /// Takes the labels from the reply book's `redaction.label.<kind>` templates (``RedactionKind/replyKey``).
    public init(replies: ReplyBook) {
        var labels: [RedactionKind: String] = [:]
        for kind in RedactionKind.allCases {
            if let label = replies.templates[kind.replyKey] { labels[kind] = label }
        }
        self.init(labels: labels)
    }

    /// The text that replaces `kind`.
    public func label(for kind: RedactionKind) -> String {
        self.labels[kind] ?? kind.defaultLabel
    }

    /// Replaces the personal data in `text` by labels.
    ///
    /// - Parameters:
    ///   - text: The question as the applicant wrote it.
    ///   - known: Values the applicant gave in a form (name, company, phone, the other party); they are masked
    ///     wherever they appear, whatever the width or case. Values shorter than 2 characters are ignored.
    /// - Returns: The text with each piece replaced, and how many pieces of each kind were.
    public func redact(_ text: String, known: [String] = []) -> Redaction {
        let matches = self.matches(in: text, known: known)
        guard !matches.isEmpty else { return Redaction(text: text, found: [:]) }
        var found: [RedactionKind: Int] = [:]
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + matches.count * 16)
        let original = Array(text.utf8)
        var copied = 0
        for match in matches {
            output.append(contentsOf: original[copied..<match.range.lowerBound])
            output.append(contentsOf: self.label(for: match.kind).utf8)
            copied = match.range.upperBound
            found[match.kind, default: 0] += 1
        }
        output.append(contentsOf: original[copied...])
        return Redaction(text: String(decoding: output, as: UTF8.self), found: found)
    }

    /// The pieces of personal data in `text`, sorted and not overlapping, as UTF-8 offsets into `text`.
    func matches(in text: String, known: [String] = []) -> [RedactionMatch] {
        let prepared = RedactionText(text)
        let knownValues = KnownValueDetector(known)
        let candidates = prepared.bytes.withUnsafeBufferPointer { bytes in
            let protected = ProtectedSpans(bytes)
            var candidates: [RedactionMatch.Candidate] = []
            EmailDetector.detect(bytes, into: &candidates)
            HandleDetector.detect(bytes, protected: protected, into: &candidates)
            DigitRunDetector.detect(bytes, protected: protected, into: &candidates)
            knownValues.detect(bytes, into: &candidates)
            var names: [RedactionMatch.Candidate] = []
            NameDetector.detect(bytes, into: &names)
            // A name found once is masked wherever else it appears (`我是张三的代理人，张三的电话…`).
            let written = names.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.range]), as: UTF8.self) }
            KnownValueDetector(written).detect(bytes, as: .name, into: &candidates)
            AddressDetector.detect(bytes, into: &candidates)
            return candidates.filter { candidate in
                candidate.kind == .email || candidate.kind == .wechat || !protected.overlaps(candidate.range)
            }
        }
        return RedactionMatch.merge(candidates).map { candidate in
            RedactionMatch(kind: candidate.kind, range: prepared.originalRange(candidate.range))
        }
    }
}
