/// Checks a centre's configuration and the bot's wording against what the machine needs.
///
/// Reported as ``CatalogueIssue``s so `weiquan check` lists them with the catalogue's own.
public enum ConfigurationValidator {
    /// - Parameters:
    ///   - configuration: The centre's configuration.
    ///   - replies: The reply book.
    ///   - catalogue: The intent catalogue the menus point into.
    ///   - year: The year now (the caller's clock): the holiday calendar should list its public holidays.
    public static func validate(
        _ configuration: CentreConfiguration, replies: ReplyBook, catalogue: IntentCatalogue, year: Int? = nil
    ) -> [CatalogueIssue] {
        var issues: [CatalogueIssue] = []
        if let year, !configuration.holidays.holidays.contains(where: { $0.year == year }) {
            issues.append(
                .warning(
                    nil,
                    "config: holidays lists no public holiday in \(year): legal periods ending on one will not move "
                        + "to the next working day (add the year from the State Council's notice)"))
        }
        let directory = configuration.directory
        // The org directory.
        let centres = directory.units.filter { $0.level == .centre }
        if centres.count != 1 {
            issues.append(
                .error(nil, "config: the directory needs exactly one unit with level 'centre', found \(centres.count)"))
        }
        var unitIDs: Set<UnitID> = []
        let regionNames = Set(directory.regions.map(\.name))
        for unit in directory.units {
            if !unitIDs.insert(unit.id).inserted {
                issues.append(.error(nil, "config: unit id '\(unit.id)' is used twice"))
            }
            for region in unit.regions where !regionNames.contains(region) {
                issues.append(
                    .error(
                        nil, "config: unit '\(unit.id)' serves region '\(region)', which is not in directory.regions"))
            }
        }
        for unit in directory.units {
            if let parent = unit.parent, directory.unit(id: parent) == nil {
                issues.append(.error(nil, "config: unit '\(unit.id)' has parent '\(parent)', which is not a unit"))
            }
            if unit.level != .centre, unit.parent == nil {
                issues.append(.warning(nil, "config: unit '\(unit.id)' has no parent: its cases cannot go up"))
            }
        }
        var written: [String: String] = [:]
        for region in directory.regions {
            for name in region.allNames {
                if let other = written[name], other != region.name {
                    issues.append(
                        .error(nil, "config: the region name '\(name)' belongs to both '\(other)' and '\(region.name)'")
                    )
                }
                written[name] = region.name
            }
            if !directory.units.contains(where: { $0.regions.contains(region.name) }) {
                issues.append(
                    .warning(nil, "config: no unit serves region '\(region.name)': its cases go to the centre"))
            }
        }
        if directory.regions.count > 20 {
            issues.append(
                .warning(
                    nil, "config: \(directory.regions.count) regions make a long numbered list in the region question"))
        }
        // The conversation policy.
        let policy = configuration.conversation
        if policy.retryBudget < 1 { issues.append(.error(nil, "config: conversation.retry_budget must be at least 1")) }
        if policy.formExpiryMinutes < 5 {
            issues.append(.error(nil, "config: conversation.form_expiry_minutes must be at least 5"))
        }
        // The desk (handoff to staff).
        for problem in configuration.desk.problems() {
            issues.append(.error(nil, "config: \(problem)"))
        }
        // Cases: the deadlines.
        for problem in configuration.cases.problems() {
            issues.append(.error(nil, "config: \(problem)"))
        }
        // The volunteer queue.
        for problem in configuration.volunteer.problems() {
            issues.append(.error(nil, "config: \(problem)"))
        }
        if configuration.contact.officeHours.isEmpty {
            issues.append(.warning(nil, "config: centre.office_hours is empty; replies quote it"))
        }
        // The wording: the bot's, and what the desk's question service sends.
        let required = ConversationMachine.requiredReplyKeys().union(QuestionReplies.keys)
        for key in required.sorted() where !replies.has(key) {
            issues.append(.error(nil, "replies.json: missing key '\(key)'"))
        }
        for key in replies.templates.keys.sorted() where !required.contains(key) && !Self.isOptionalKey(key) {
            issues.append(.warning(nil, "replies.json: '\(key)' is not used by the bot (a typo?)"))
        }
        if directory.regions.isEmpty {
            issues.append(
                .warning(nil, "config: directory.regions is empty: the region question can only be answered 其他地区"))
        }
        let known = ContactInfo.placeholderNames
        for (key, template) in replies.templates.sorted(by: { $0.key < $1.key }) {
            for name in ReplyBook.placeholders(in: template)
            where !known.contains(name) && !Self.valuePlaceholders.contains(name)
                && !QuestionReplies.placeholders.contains(name)
            {
                issues.append(.error(nil, "replies.json: '\(key)' uses unknown placeholder {\(name)}"))
            }
        }
        for id in replies.words("faq.menu.order") where catalogue.intent(IntentID(id)) == nil {
            issues.append(
                .warning(IntentID(id), "replies.json: faq.menu.order lists '\(id)', which the catalogue lacks"))
        }
        // Menus point at intents that exist.
        for choice in ConversationMachine.menu {
            if case .intent(let intent) = choice, catalogue.intent(intent) == nil {
                issues.append(.error(intent, "the main menu offers '\(intent)', which the catalogue lacks"))
            }
        }
        return issues
    }

    /// Keys the bot reads when present but does not need: word lists for options and labels.
    static func isOptionalKey(_ key: String) -> Bool {
        key.hasPrefix("synonyms.") || key.hasPrefix("ask.ip_number.")
    }

    /// Placeholders the machine fills itself (besides the contact details).
    static let valuePlaceholders: Set<String> = [
        "options", "case_id", "kind", "status", "date", "unit", "cases", "hours", "count", "value", "version",
        "retention_years", "example", "max", "min", "fields", "attachments", "number", "written", "expected", "type",
        "year", "years", "end_year", "note", "wording", "data_date", "title", "holder", "messages",
        "position", "next_opening", "month", "day", "weekday", "time", "minutes", "signals", "reason", "authority",
        "question", "answer", "filing_date", "last_day", "amount", "due", "grace_end", "surcharge", "percent", "total",
        "registered", "expiry", "window", "days", "appeal_ends", "lapsed_from", "restoration_ends", "fee", "renewals",
        "remind_on", "about", "choice",
    ]
}
