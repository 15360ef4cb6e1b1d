/// The outcome of checking one answer against its field.
enum FieldAnswer: Equatable {
    case accepted(String)
    case skipped
    /// Refused; the reply-book key that says why, with its values.
    case refused(String, [String: String])
    /// A patent number without its check character: ask the applicant to confirm the completed number.
    case confirmNumber(String)
}

extension ConversationMachine {
    // MARK: - Checking answers

    /// Checks one answer against its field.
    func check(_ understanding: Understanding, field: FormField, progress: FormProgress, year: Int) -> FieldAnswer {
        let text = understanding.text
        let normalized = understanding.normalized
        if field.isOptional, self.isSkip(normalized) { return .skipped }
        if text.count > self.policy.maxAnswerLength {
            return .refused("invalid.too_long", ["max": String(self.policy.maxAnswerLength)])
        }
        switch field.kind {
        case .consent:
            if self.isYes(normalized) { return .accepted("yes") }
            if self.isNo(normalized) { return .accepted("no") }
            return .refused("invalid.consent", [:])
        case .choice, .ipType, .region:
            if let option = self.option(for: understanding, field: field) { return .accepted(option) }
            return .refused("invalid.\(field.id)", [:])
        case .multipleChoice(let options):
            let picked = self.pickMany(normalized, field: field, options: options)
            return picked.isEmpty ? .refused("invalid.\(field.id)", [:]) : .accepted(picked.joined(separator: ","))
        case .text(let minimumLength):
            return text.count >= minimumLength
                ? .accepted(text) : .refused("invalid.\(field.id)", ["min": String(minimumLength)])
        case .mobile:
            if let phone = MobileNumber.parse(normalized) ?? understanding.entities.phone { return .accepted(phone) }
            return .refused("invalid.\(field.id)", [:])
        case .ipNumber:
            return self.checkNumber(understanding, ipType: progress.values["ip_type"].flatMap(IPType.init), year: year)
        }
    }

    func checkNumber(_ understanding: Understanding, ipType: IPType?, year: Int) -> FieldAnswer {
        switch ipType {
        case .patent:
            switch PatentNumberParser.parse(understanding.normalized, currentYear: year) {
            case .valid(let number):
                return .accepted(number.canonical)
            case .invalid(let digits, .missingCheckCharacter(let expected)):
                return .confirmNumber("\(digits).\(expected)")
            case .invalid(let digits, let problem):
                let (key, values) = self.explain(problem, digits: digits)
                return .refused(key, values)
            case .notAPatentNumber:
                if let number = understanding.entities.patentNumber { return .accepted(number) }
                return .refused("invalid.patent_number", [:])
            }
        case .trademark:
            if let number = TrademarkNumberParser.parse(understanding.normalized) { return .accepted(number.canonical) }
            if let number = understanding.entities.trademarkNumber { return .accepted(number) }
            return .refused("invalid.trademark_number", [:])
        default:
            // Registration and certificate numbers of the other types all carry digits; a sentence does not.
            let hasDigit = understanding.normalized.contains { $0.isASCII && $0.isNumber }
            return hasDigit ? .accepted(understanding.text) : .refused("invalid.ip_number", [:])
        }
    }

    /// The reply-book key and values that explain why a patent number was refused.
    func explain(_ problem: PatentNumberProblem, digits: String) -> (String, [String: String]) {
        switch problem {
        case .wrongCheckCharacter(let written, let expected):
            ("number.wrong_check", ["number": digits, "written": String(written), "expected": String(expected)])
        case .missingCheckCharacter(let expected):
            ("number.confirm_check", ["number": "\(digits).\(expected)"])
        case .unknownType(let type):
            ("number.unknown_type", ["number": digits, "type": String(type)])
        case .implausibleYear(let year):
            ("number.implausible_year", ["number": digits, "year": String(year)])
        case .wrongLength:
            ("number.wrong_length", ["number": digits])
        }
    }

    /// The option an answer names: by its label or one of its words (`synonyms.<field>.<option>`),
    /// or by what the extractors found (IP type, region).
    func option(for understanding: Understanding, field: FormField) -> String? {
        switch field.kind {
        case .ipType:
            if let type = understanding.entities.ipType { return type.rawValue }
        case .region:
            if let region = understanding.entities.region { return region }
        default:
            break
        }
        let normalized = understanding.normalized
        guard !normalized.isEmpty else { return nil }
        for option in self.options(of: field) {
            let label = self.normalizedLabel(field, option)
            let words = self.vocabulary.words("synonyms.\(field.id).\(option)")
            if normalized == label || words.contains(where: { normalized.contains($0) }) { return option }
        }
        return nil
    }

    /// Options named in an answer to a multiple-choice question: numbers ("1 3", "1、3", "13") or words.
    func pickMany(_ normalized: String, field: FormField, options: [String]) -> [String] {
        var picked: [String] = []
        let digits = normalized.filter { $0.isNumber || $0 == " " || $0 == "," || $0 == "、" || $0 == "和" }
        if !normalized.isEmpty, digits.count == normalized.count {
            for character in normalized where character.isNumber {
                guard let index = character.wholeNumberValue, index >= 1, index <= options.count else { return [] }
                let option = options[index - 1]
                if !picked.contains(option) { picked.append(option) }
            }
            return picked
        }
        for option in options {
            let words = [self.normalizedLabel(field, option)] + self.vocabulary.words("synonyms.\(field.id).\(option)")
            if words.contains(where: { !$0.isEmpty && normalized.contains($0) }) { picked.append(option) }
        }
        return picked
    }

    /// "跳过", "没有", or a short answer built around such a word ("还是不知道").
    func isSkip(_ normalized: String) -> Bool {
        let words = self.vocabulary.words("words.skip")
        if words.contains(normalized) { return true }
        return normalized.count <= 6 && words.contains { $0.count >= 2 && normalized.contains($0) }
    }

    func isYes(_ normalized: String) -> Bool {
        self.vocabulary.words("words.yes").contains(normalized)
    }

    func isNo(_ normalized: String) -> Bool {
        self.vocabulary.words("words.no").contains(normalized)
    }
}
