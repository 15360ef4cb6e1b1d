extension ConversationMachine {
    /// Every reply-book key the machine may render; `weiquan check` reports the ones the file lacks.
    public static func requiredReplyKeys() -> Set<String> {
        var keys: Set<String> = [
            "choice.stale", "clarify", "consent.declined", "explain.patent", "explain.patent.term",
            "explain.patent.term_design_2021", "explain.trademark", "fallback", "fallback.offer_human", "faq.menu",
            "faq.more", "form.back", "form.back_at_start", "form.cancelled", "form.confirm_cancel",
            "form.current_value", "form.expired", "form.help", "form.resume",
            "hint.multiple", "hint.optional", "location.received", "media.attached", "media.received", "menu",
            "menu.faq", "nothing_to_cancel", "number.ask", "number.confirm_check", "number.exhausted", "number.left",
            "number.unrecognised", "number.wrong_check", "number.unknown_type", "number.implausible_year",
            "number.wrong_length", "progress.line", "progress.list", "progress.none", "progress.not_yours",
            "region.outside", "retry.exhausted", "status.disclaimer", "status.found", "status.holder", "status.title",
            "status.urgent", "status.not_found.patent", "status.not_found.trademark", "status.dates.patent_term",
            "status.dates.next_fee", "status.dates.fee_in_grace", "status.dates.trademark_term", "status.stale",
            "form.right_not_in_force", "status.urgent.lead", "status.lapsed_from", "status.restoration",
            "status.restoration_passed", "status.dates.trademark_term_renewed", "status.dates.trademark_window_open",
            "status.dates.trademark_in_grace", "reminder.offer", "reminder.set", "reminder.cancelled", "reminder.none",
            "reminder.held", "words.cancel_reminder",
            "summary.attachments",
            "summary.edit_menu", "summary.empty", "summary.unclear", "thanks", "voice.unrecognised", "welcome",
            "welcome.subscribe", "invalid.too_long", "invalid.patent_number", "invalid.trademark_number",
            "ask.ip_number.patent", "ask.ip_number.trademark", "faq.menu.order", "system.busy", "outbox.held",
            "words.yes", "words.no", "words.skip", "words.continue", "words.submit", "words.edit", "words.question",
        ]
        keys.formUnion([
            "handoff.queued", "handoff.queued.urgent", "handoff.form_kept", "handoff.queue_hint", "handoff.closed",
            "handoff.desk_closed", "handoff.desk_paused", "handoff.opening_time", "words.weekdays",
            "handoff.ask_question",
            "handoff.ask_phone", "handoff.invalid_phone",
            "handoff.callback_failed",
            "handoff.callback_booked", "handoff.callback_booked.open", "handoff.message_cancelled",
            "handoff.left_queue", "handoff.waiting",
            "handoff.position", "handoff.position.next", "handoff.wait_offer", "handoff.claimed", "handoff.released",
            "handoff.closed_by_staff", "handoff.idle_released", "handoff.transferred_unit", "handoff.transferred_staff",
            "urgent.offer", "words.urgent", "words.deadline", "words.leave_queue", "words.end_handoff",
        ])
        for choice in [Choice.leaveQuestion, .requestCallback, .keepWaiting, .leaveQueue, .mainMenu] {
            keys.insert(Self.handoffOptionKey(choice))
        }
        for choice in Self.menu {
            if case .intent(let intent) = choice { keys.insert("menu.\(intent.rawValue)") }
        }
        for choice in [Choice.skipField, .talkToHuman, .continueForm] {
            keys.insert("retry.option.\(Self.choiceKey(choice))")
        }
        for kind in CaseKind.allCases { keys.insert("case.kind.\(kind.rawValue)") }
        for status in CaseStatus.allCases { keys.insert("case.status.\(status.rawValue)") }
        keys.formUnion([
            "withdraw.confirm", "withdraw.done", "withdraw.none", "withdraw.not_possible", "withdraw.which",
            "withdraw.failed", "duplicate.existing", "rating.thanks", "rating.reminder",
            "erase.confirm", "erase.requested", "erase.pending", "erase.done", "erase.declined",
            "fallback.offer_human_or_volunteer", "volunteer.too_short", "volunteer.knowledge_offer",
            "volunteer.knowledge_helped", "volunteer.confirm", "volunteer.question_left", "words.screen.ip",
            "volunteer.reply_passed_on", "volunteer.rated_helpful", "volunteer.rated_unhelpful", "words.answer.helpful",
            "words.answer.unhelpful",
        ])
        for score in 1...5 { keys.insert("words.rating.\(score)") }
        for hotline in Self.screeningHotlines {
            keys.formUnion(["volunteer.screened.\(hotline)", "words.screen.\(hotline)"])
        }
        // The labels that replace personal data in questions shown to volunteers (``Redactor``).
        for kind in RedactionKind.allCases { keys.insert(kind.replyKey) }
        // What the applicant is told when staff move their case on (sent by the desk's case service).
        for action in CaseEvent.Action.toldToApplicant { keys.insert("case.notice.\(action.rawValue)") }
        let patentKinds: [PatentApplicationNumber.Kind] = [
            .invention, .utilityModel, .design, .pctInvention, .pctUtilityModel,
        ]
        for kind in patentKinds { keys.insert("patent.kind.\(kind.rawValue)") }
        for overlay in LegalStatusOverlay.allCases { keys.insert("status.overlay.\(overlay.rawValue)") }
        for kind in ["patent", "trademark"] {
            keys.formUnion(["status.appeal.\(kind)", "status.appeal_passed.\(kind)"])
        }
        for subject in Reminder.Subject.allCases {
            keys.formUnion(["reminder.\(subject.rawValue)", "reminder.about.\(subject.rawValue)"])
        }
        for option in ["remind", "human", "menu", "cancel"] { keys.insert("reminder.option.\(option)") }
        for bucket in LegalStatusBucket.allCases {
            keys.insert("status.\(bucket.rawValue)")
            keys.insert("status.note.\(bucket.rawValue)")
        }
        for form in FormKind.allCases {
            keys.formUnion(["form.\(form.rawValue).intro", "summary.\(form.rawValue)", "filed.\(form.rawValue)"])
            for field in form.fields {
                keys.formUnion(["ask.\(field.id)", "example.\(field.id)"])
                if field.kind != .consent { keys.insert("label.\(field.id)") }
                switch field.kind {
                case .consent:
                    keys.formUnion(["invalid.consent", "option.consent.yes", "option.consent.no"])
                case .choice(let options), .multipleChoice(let options):
                    keys.insert("invalid.\(field.id)")
                    for option in options { keys.insert("option.\(field.id).\(option)") }
                case .region:
                    keys.formUnion(["invalid.\(field.id)", "option.\(field.id).other"])
                case .ipType:
                    keys.insert("invalid.\(field.id)")
                    for type in IPType.allCases { keys.insert("option.\(field.id).\(type.rawValue)") }
                case .text, .ipNumber:
                    keys.insert("invalid.\(field.id)")
                case .mobile:
                    keys.insert("invalid.\(field.id)")
                }
            }
        }
        return keys
    }
}
