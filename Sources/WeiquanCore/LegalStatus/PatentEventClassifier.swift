/// Reads what a patent event means (legal-status.md §2): by its code when the code is known, otherwise by its
/// wording, the most specific wording first; an unknown wording stays unknown.
///
/// The wording is compared after ``normalizedWording(_:)``: full-width forms made half-width, traditional
/// characters simplified, and 的, spaces, brackets of both widths, punctuation and enumerators (`①`, `(1)`, `1.`)
/// removed — so `实质审查(请求)的生效` and `实质审查请求生效` read alike.
///
/// Three traps are read from the wording even when a code is given: `部分无效` (in force, with amended claims),
/// `驳回理由通知` and `审查意见通知书` (pending: notices, not rejections).
public struct PatentEventClassifier: Sendable {
    /// Creates a classifier; the vocabulary is fixed.
    public init() {}

    /// What the event means.
    public func meaning(of event: PatentEvent) -> PatentEventMeaning {
        self.meaning(code: event.code, title: event.title, info: event.info)
    }

    /// What an event with this code, title and free text means.
    ///
    /// The free text is read when the title alone does not say (CNIPA's `专利权的终止` with `未缴年费专利权终止`
    /// beside it; `专利权质押合同登记的生效、变更及注销` with the registration's kind in the text).
    public func meaning(code: String?, title: String, info: String? = nil) -> PatentEventMeaning {
        let wording = Self.normalizedWording(title)
        let stem = wording.hasSuffix(Self.restorableSuffix) ? String(wording.dropLast(3)) : wording
        let restorable = stem.count != wording.count
        let info = info.map(Self.normalizedWording)
        let byWording = Self.wordingMeaning(stem, info: info) ?? info.flatMap { Self.wordingMeaning($0, info: nil) }

        var meaning: PatentEventMeaning
        if let byWording, byWording.overridesCode {
            meaning = byWording.meaning
        } else if let code, let byCode = Self.codeMeaning(code) {
            meaning = byCode
            // The wording may say more about the same effect (视为撤回 beside C02): keep its notes.
            if let byWording, byWording.meaning.effect == byCode.effect {
                meaning.notes.formUnion(byWording.meaning.notes)
            }
        } else if let byWording {
            meaning = byWording.meaning
        } else if restorable && stem.isEmpty {
            meaning = PatentEventMeaning(.restorable, basis: .wording(Self.restorableSuffix))
        } else {
            return PatentEventMeaning(.unknown)
        }
        if restorable {
            meaning.notes.insert(.restorable)
        }
        return meaning
    }

    /// The code in the form the vocabulary lists: half-width, upper-case, without spaces (`ｃｆ０１` → `CF01`).
    public static func normalizedCode(_ code: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in code.unicodeScalars {
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) {
                value -= 0xFEE0
            }
            guard let half = Unicode.Scalar(value), !half.properties.isWhitespace else { continue }
            scalars.append(contentsOf: String(half).uppercased().unicodeScalars)
        }
        return String(scalars)
    }

    /// The wording in the form the vocabulary lists: see the type's description.
    public static func normalizedWording(_ text: String) -> String {
        let scalars = Array(TextNormalizer().normalize(text).unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if let end = Self.enumeratorEnd(scalars, at: index, lineStart: output.isEmpty) {
                index = end
                continue
            }
            let scalar = scalars[index]
            index += 1
            if Self.isRemoved(scalar) { continue }
            output.append(scalar)
        }
        return String(output)
    }

    // MARK: - Codes

    private static let restorableSuffix = "等恢复"

    /// Current codes (PB01 …) and the single letters of old exports (A …).
    private static let codes: [String: PatentEventMeaning.Effect] = [
        "PB01": .status(.pending), "SE01": .status(.pending), "C06": .status(.pending), "C10": .status(.pending),
        "GR01": .status(.inForce), "C14": .status(.inForce), "CF01": .status(.lapsedFees), "RR01": .restoration,
        "CX01": .status(.expired), "IW01": .status(.invalidated), "AV01": .status(.surrendered),
        "C25": .status(.surrendered), "C02": .status(.withdrawn), "TR01": .overlay(.transferred),
        "C41": .overlay(.transferred), "PE01": .overlay(.pledged), "PC01": .release(.pledged),
        "EE01": .overlay(.licensed), "EC01": .release(.licensed), "PP01": .overlay(.preserved),
        "PD01": .release(.preserved), "CB03": .informational, "CP01": .informational, "CP02": .informational,
        "CP03": .informational, "DD01": .informational,
        "A": .status(.pending), "B": .status(.pending), "D": .status(.inForce), "E": .status(.rejected),
        "F": .status(.withdrawn), "G": .status(.withdrawn), "J": .status(.invalidated), "K": .status(.inForce),
        "M": .status(.surrendered), "N": .status(.lapsedFees), "O": .status(.expired), "P": .restoration,
        "W": .status(.surrendered),
    ]

    /// Notes a code carries by itself.
    private static let codeNotes: [String: Set<PatentEventMeaning.Note>] = [
        "C02": [.deemedWithdrawal], "G": [.deemedWithdrawal], "K": [.partialInvalidation],
    ]

    private static func codeMeaning(_ code: String) -> PatentEventMeaning? {
        let code = Self.normalizedCode(code)
        guard let effect = Self.codes[code] else { return nil }
        return PatentEventMeaning(effect, notes: Self.codeNotes[code] ?? [], basis: .code(code))
    }

    // MARK: - Wording

    private struct Match {
        var meaning: PatentEventMeaning
        var overridesCode: Bool
    }

    private static func wordingMeaning(_ wording: String, info: String?) -> Match? {
        guard !wording.isEmpty else { return nil }
        for rule in PatentEventVocabulary.rules where rule.matches(wording) {
            var effect = rule.effect
            if let overlay = rule.decidedByInfo {
                // One title for registration, change and cancellation: the free text says which.
                guard let info, let decided = PatentEventVocabulary.registration(overlay, info: info) else {
                    return nil
                }
                effect = decided
            }
            let meaning = PatentEventMeaning(effect, notes: rule.notes, basis: .wording(rule.pattern))
            return Match(meaning: meaning, overridesCode: rule.overridesCode)
        }
        return nil
    }

    // MARK: - Normalisation

    /// Where an enumerator starting at `index` ends: `①`, `⑴`, `⒈`, `㈠`, `(1)`, `(一)`, or `1.` / `1)` at the start.
    private static func enumeratorEnd(_ scalars: [Unicode.Scalar], at index: Int, lineStart: Bool) -> Int? {
        let value = scalars[index].value
        if (0x2460...0x249B).contains(value) || (0x2776...0x2793).contains(value) || (0x3220...0x3229).contains(value)
            || (0x3280...0x3289).contains(value)
        {
            return index + 1
        }
        if scalars[index] == "(" {
            var end = index + 1
            while end < scalars.count, end - index <= 3, Self.isNumeral(scalars[end]) {
                end += 1
            }
            if end > index + 1, end < scalars.count, scalars[end] == ")" {
                return end + 1
            }
            return nil
        }
        if lineStart, Self.isDigit(scalars[index]) {
            var end = index
            while end < scalars.count, Self.isDigit(scalars[end]) {
                end += 1
            }
            if end < scalars.count, [".", ",", ")"].contains(scalars[end]) {
                return end + 1
            }
        }
        return nil
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    private static func isNumeral(_ scalar: Unicode.Scalar) -> Bool {
        Self.isDigit(scalar) || "一二三四五六七八九十".unicodeScalars.contains(scalar)
    }

    /// 的, whitespace, ASCII punctuation and brackets, CJK punctuation and brackets (U+3000–U+303F), `·`.
    private static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if scalar == "的" || scalar.properties.isWhitespace { return true }
        if value < 0x80 {
            return !(Self.isDigit(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar))
        }
        return (0x3000...0x303F).contains(value) || value == 0xB7 || (0xFE30...0xFE4F).contains(value)
            || (0xFF01...0xFF65).contains(value)
    }
}
