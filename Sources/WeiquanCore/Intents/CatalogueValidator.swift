import Foundation

/// Checks an intent catalogue for mistakes staff can make when editing `intents/*.json`
/// (used by `weiquan check` and at start-up).
///
/// Errors: a required id missing; an intent named `unknown`; a `faq.*` id whose kind is not `faq`
/// or the reverse; a required id of the wrong kind; an empty title; a FAQ without an answer or a
/// non-FAQ with one; an unknown or unbalanced `{placeholder}` (or a full-width brace); an empty keyword, negative or
/// pattern fragment; a non-positive weight; the same keyword (after normalisation) claimed by two
/// intents; a keyword that is also the same intent's negative; a pattern without `…`; a non-FAQ
/// intent with neither keywords nor patterns.
///
/// Warnings: an example that does not classify (clearly) to its own intent; a keyword listed twice
/// in one intent; a FAQ without keywords or patterns; an intent without examples; an answer longer
/// than a phone screen (300 characters).
public enum CatalogueValidator {
    /// The kind each required id must have.
    public static let requiredKinds: [IntentID: IntentKind] = [
        .greeting: .smalltalk, .thanks: .smalltalk,
        .help: .command, .human: .command, .cancel: .command, .back: .command, .faqMenu: .command,
        .aidRequest: .flow, .complaint: .flow, .legalStatus: .flow, .caseProgress: .flow,
    ]

    /// The longest answer, in characters, that does not draw a warning.
    public static let maximumAnswerLength = 300

    /// Every issue found, errors first, then by intent id. `matcher` must be built from
    /// `catalogue`; its normaliser is used to compare keywords and to classify the examples.
    /// `knownPlaceholders` are the names allowed in `{braces}` in answers, e.g. `hotline`.
    public static func validate(
        _ catalogue: IntentCatalogue,
        matcher: IntentMatcher,
        knownPlaceholders: Set<String>
    ) -> [CatalogueIssue] {
        var issues: [CatalogueIssue] = []
        let normalizer = matcher.normalizer
        func normalized(_ text: String) -> String {
            normalizer.normalize(text).trimmingCharacters(in: .whitespaces)
        }

        for id in IntentID.required where catalogue.intent(id) == nil {
            issues.append(.error(id, "required intent '\(id)' is missing from the catalogue"))
        }

        var keywordOwners: [String: IntentID] = [:]
        for intent in catalogue.intents {
            let id = intent.id
            if id == .unknown {
                issues.append(
                    .error(id, "'unknown' is the matcher's own result and must not be an intent in the catalogue")
                )
            }
            if id.isFAQ != (intent.kind == .faq) {
                issues.append(
                    .error(
                        id,
                        id.isFAQ
                            ? "ids starting with 'faq.' must have kind \"faq\", not \"\(intent.kind.rawValue)\""
                            : "kind \"faq\" needs an id starting with 'faq.'"
                    )
                )
            }
            if let expected = Self.requiredKinds[id], expected != intent.kind {
                issues.append(
                    .error(id, "must have kind \"\(expected.rawValue)\", not \"\(intent.kind.rawValue)\"")
                )
            }
            if intent.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                issues.append(.error(id, "the title is empty; clarify menus show it"))
            }
            issues += Self.checkAnswer(intent, knownPlaceholders: knownPlaceholders)

            // Keywords.
            var seen: Set<String> = []
            for keyword in intent.keywords {
                let text = normalized(keyword.text)
                if text.isEmpty {
                    issues.append(.error(id, "keyword '\(keyword.text)' is empty after normalisation"))
                    continue
                }
                if let weight = keyword.weight, !(weight > 0 && weight.isFinite) {
                    issues.append(
                        .error(id, "keyword '\(keyword.text)' has weight \(weight); weights must be positive"))
                }
                if !seen.insert(text).inserted {
                    issues.append(.warning(id, "keyword '\(text)' is listed more than once"))
                    continue
                }
                if let owner = keywordOwners[text], owner != id {
                    issues.append(
                        .error(id, "keyword '\(text)' is also a keyword of '\(owner)'; a keyword belongs to one intent")
                    )
                } else {
                    keywordOwners[text] = id
                }
            }
            if intent.keywords.isEmpty && intent.patterns.isEmpty {
                if intent.kind == .faq {
                    issues.append(.warning(id, "has no keywords or patterns; only its examples can reach it"))
                } else {
                    issues.append(.error(id, "has no keywords or patterns"))
                }
            }

            // Negatives.
            for negative in intent.negative {
                let text = normalized(negative)
                if text.isEmpty {
                    issues.append(.error(id, "negative keyword '\(negative)' is empty after normalisation"))
                } else if seen.contains(text) {
                    issues.append(.error(id, "'\(text)' is both a keyword and a negative keyword of this intent"))
                }
            }

            // Patterns.
            for pattern in intent.patterns {
                let fragments = pattern.patternFragments
                if fragments.count < 2 {
                    issues.append(
                        .error(
                            id,
                            "pattern '\(pattern.text)' has no '…'; write ordered fragments like '援助…钱' or make it a keyword"
                        )
                    )
                } else if fragments.contains(where: { normalized($0).isEmpty }) {
                    issues.append(.error(id, "pattern '\(pattern.text)' has an empty fragment"))
                }
                if let weight = pattern.weight, !(weight > 0 && weight.isFinite) {
                    issues.append(
                        .error(id, "pattern '\(pattern.text)' has weight \(weight); weights must be positive"))
                }
            }

            // Examples.
            if intent.examples.isEmpty {
                issues.append(.warning(id, "has no examples"))
            }
            for example in intent.examples {
                let result = matcher.match(normalized: normalizer.normalize(example))
                switch result.decision {
                case .matched(let other) where other == id:
                    continue
                case .matched(let other):
                    issues.append(.warning(id, "example '\(example)' classifies as '\(other)'"))
                case .ambiguous(let choices):
                    let list = choices.map(\.rawValue).joined(separator: ", ")
                    issues.append(.warning(id, "example '\(example)' is ambiguous between \(list)"))
                case .unknown:
                    issues.append(.warning(id, "example '\(example)' classifies as unknown"))
                }
            }
        }

        return issues.enumerated().sorted { lhs, rhs in
            if lhs.element.severity != rhs.element.severity { return lhs.element.severity < rhs.element.severity }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    private static func checkAnswer(_ intent: IntentDefinition, knownPlaceholders: Set<String>) -> [CatalogueIssue] {
        let id = intent.id
        guard let answer = intent.answer else {
            return intent.kind == .faq ? [.error(id, "a FAQ intent needs an \"answer\"")] : []
        }
        guard intent.kind == .faq else {
            return [.error(id, "only FAQ intents have an \"answer\"; the conversation supplies this one's replies")]
        }
        var issues: [CatalogueIssue] = []
        if answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            issues.append(.error(id, "the answer is empty"))
        }
        if answer.count > Self.maximumAnswerLength {
            issues.append(
                .warning(
                    id,
                    "the answer has \(answer.count) characters; keep it under \(Self.maximumAnswerLength) for a phone")
            )
        }
        if answer.contains("｛") || answer.contains("｝") {
            issues.append(
                .error(id, "the answer has a full-width brace ｛ or ｝; placeholders use ASCII braces like {hotline}"))
        }
        switch Self.placeholders(in: answer) {
        case .success(let names):
            for name in names where !knownPlaceholders.contains(name) {
                let known = knownPlaceholders.sorted().map { "{\($0)}" }.joined(separator: " ")
                issues.append(.error(id, "unknown placeholder {\(name)} in the answer (known: \(known))"))
            }
        case .failure(let problem):
            issues.append(.error(id, "the answer's braces are unbalanced: \(problem.message)"))
        }
        return issues
    }

    private struct BraceProblem: Error {
        let message: String
    }

    /// The names inside `{…}` in order, or the problem with the braces.
    private static func placeholders(in text: String) -> Result<[String], BraceProblem> {
        var names: [String] = []
        var current: String?
        for character in text {
            switch character {
            case "{":
                if current != nil { return .failure(BraceProblem(message: "'{' inside a placeholder")) }
                current = ""
            case "}":
                guard let name = current else { return .failure(BraceProblem(message: "'}' without '{'")) }
                names.append(name)
                current = nil
            default:
                current?.append(character)
            }
        }
        if current != nil { return .failure(BraceProblem(message: "'{' without '}'")) }
        return .success(names)
    }
}
