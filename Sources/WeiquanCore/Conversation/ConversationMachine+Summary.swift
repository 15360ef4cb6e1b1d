import Foundation

extension ConversationMachine {
    // MARK: - Summary and filing

    /// The fields shown in the summary: everything asked except the consent.
    func summaryFields(_ progress: FormProgress) -> [FormField] {
        progress.kind.fields.filter { $0.kind != .consent }
    }

    func showSummary(_ progress: FormProgress, state: inout ConversationState, turn: inout Turn) {
        let lines = self.summaryFields(progress).map { field in
            let value =
                progress.values[field.id].map { self.display(field, $0) } ?? self.replies.render("summary.empty")
            return "\(self.replies.render("label.\(field.id)"))：\(value)"
        }
        var values = ["fields": lines.joined(separator: "\n")]
        values["attachments"] =
            progress.attachments.isEmpty
            ? "" : self.replies.render("summary.attachments", ["count": String(progress.attachments.count)])
        turn.say(self.replies.render("summary.\(progress.kind.rawValue)", values))
        state.choices = [.submit, .editMenu]
    }

    func showEditMenu(_ progress: FormProgress, state: inout ConversationState, turn: inout Turn) {
        let fields = self.summaryFields(progress)
        let lines = fields.enumerated().map { index, field in
            "\(index + 1). \(self.replies.render("label.\(field.id)"))"
        }
        turn.say(self.replies.render("summary.edit_menu", ["options": lines.joined(separator: "\n")]))
        state.choices = fields.map { .editField($0.id) }
    }

    func handleSummaryAnswer(
        _ understanding: Understanding, progress: FormProgress, state: inout ConversationState,
        context: ConversationContext, turn: inout Turn
    ) {
        let normalized = understanding.normalized
        if self.isYes(normalized) || self.vocabulary.words("words.submit").contains(normalized) {
            self.file(progress, state: &state, context: context, turn: &turn)
            return
        }
        // "改电话" / "修改姓名": go straight to that field.
        for field in self.summaryFields(progress) {
            let label = self.vocabulary.label("label.\(field.id)")
            if normalized.contains(label)
                || self.vocabulary.words("synonyms.label.\(field.id)").contains(where: {
                    normalized.contains($0)
                })
            {
                self.applyFormChoice(.editField(field.id), state: &state, context: context, turn: &turn)
                return
            }
        }
        if self.vocabulary.words("words.edit").contains(where: { normalized.contains($0) }) {
            self.showEditMenu(progress, state: &state, turn: &turn)
            return
        }
        turn.say(self.replies.render("summary.unclear"))
        self.showSummary(progress, state: &state, turn: &turn)
    }

    func file(_ progress: FormProgress, state: inout ConversationState, context: ConversationContext, turn: inout Turn)
    {
        var fields = progress.values
        fields["consent"] = nil
        if fields["region"] == nil, let location = fields["location"] {
            // A complaint has no region question: where it happened says which unit should look into it.
            let normalized = self.understander.normalizer.normalize(location)
            fields["region"] =
                self.understander.extractor.extract(from: normalized, currentYear: self.year(of: context.now)).region
        }
        // Checked again at the end: the number may have been corrected meanwhile.
        if let number = fields["ip_number"], self.endIfDuplicate(number, state: &state, context: context, turn: &turn) {
            return
        }
        let region = fields["region"].flatMap { $0 == "other" ? nil : $0 }
        let unit = self.configuration.directory.route(region: region, ipType: fields["ip_type"].flatMap(IPType.init))
        let record = CaseRecord(
            id: context.caseID, kind: progress.kind.caseKind, applicant: context.applicant, createdAt: context.now,
            unit: unit?.id, fields: fields, attachments: progress.attachments, consent: progress.consent
        )
        turn.perform(.fileCase(record))
        state.phase = .idle
        state.choices = []
        turn.say(
            self.replies.render(
                "filed.\(progress.kind.rawValue)",
                ["case_id": context.caseID.rawValue, "unit": unit?.name ?? self.configuration.contact.centreName]
            )
        )
    }

    /// When the applicant already has an open case on the right `number` (filed within the configured window), the
    /// form ends here with that case as the answer — as soon as the number is known, not after every other question.
    /// Returns whether it ended.
    func endIfDuplicate(
        _ number: String, state: inout ConversationState, context: ConversationContext, turn: inout Turn
    ) -> Bool {
        guard !number.isEmpty, let existing = self.openCase(for: number, context: context) else { return false }
        // The same applicant, the same right, not long ago: the case they have is the answer, not a second one.
        state.phase = .idle
        state.choices = []
        turn.say(
            self.replies.render(
                "duplicate.existing",
                [
                    "case_id": existing.id.rawValue,
                    "status": self.replies.render("case.status.\(existing.status.rawValue)"),
                ]))
        return true
    }

    /// The applicant's case on the right `number` filed within the configured window and not finished, if any.
    func openCase(for number: String, context: ConversationContext) -> CaseSummary? {
        let window = TimeInterval(self.configuration.cases.duplicateWindowDays) * 86_400
        return context.cases.first { summary in
            summary.rightNumber == number && !summary.status.isFinished
                && context.now.timeIntervalSince(summary.createdAt) <= window
        }
    }
}
