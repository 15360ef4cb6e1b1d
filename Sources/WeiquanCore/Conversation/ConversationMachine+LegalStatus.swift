import Foundation
/// A right number read from a message, ready to be explained and looked up.
enum RightNumber: Equatable {
    case patent(PatentApplicationNumber)
    case trademark(String)
}

extension ConversationMachine {
    func startLegalStatus(
        _ understanding: Understanding?, state: inout ConversationState, context: ConversationContext, turn: inout Turn
    ) {
        if let understanding,
            understanding.entities.patentNumber != nil || understanding.entities.patentNumberInvalid != nil
                || understanding.entities.trademarkNumber != nil
        {
            self.handleNumberAnswer(understanding, attempts: 0, state: &state, context: context, turn: &turn)
            return
        }
        state.phase = .awaitingNumber(attempts: 0)
        turn.say(self.replies.render("number.ask"))
    }

    /// Reads a patent or trademark number, explains it and answers from the registry.
    func handleNumberAnswer(
        _ understanding: Understanding, attempts: Int, state: inout ConversationState, context: ConversationContext,
        turn: inout Turn
    ) {
        if case .matched(let intent) = understanding.match.decision {
            if intent.isFAQ {
                self.start(intent, understanding: understanding, state: &state, context: context, turn: &turn)
                turn.say(self.replies.render("number.ask"))
                return
            }
            if Self.commands.contains(intent), understanding.normalized.count <= self.policy.commandMaxLength {
                state.phase = .idle
                if intent == .cancel || intent == .back {
                    turn.say(self.replies.render("number.left"))
                    self.showMenu(&state, turn: &turn)
                } else {
                    self.start(intent, understanding: understanding, state: &state, context: context, turn: &turn)
                }
                return
            }
        }
        switch self.readNumber(understanding, year: self.year(of: context.now)) {
        case .accepted(let number):
            state.phase = .idle
            self.answerStatus(number, today: self.day(of: context.now), state: &state, turn: &turn)
        case .confirmNumber(let number):
            state.phase = .awaitingNumber(attempts: attempts)
            turn.say(self.replies.render("number.confirm_check", ["number": number]))
            state.choices = [.acceptNumber(number), .reenterNumber]
        case .refused(let key, let values):
            if attempts + 1 >= self.policy.retryBudget {
                state.phase = .idle
                turn.say(self.replies.render("number.exhausted"))
                state.choices = [.talkToHuman, .mainMenu]
            } else {
                state.phase = .awaitingNumber(attempts: attempts + 1)
                turn.say(self.replies.render(key, values))
            }
        case .skipped:
            state.phase = .idle
            self.showMenu(&state, turn: &turn)
        }
    }

    /// Reads a number from a whole answer or from a sentence, and says what is wrong with it if it is wrong.
    private func readNumber(_ understanding: Understanding, year: Int) -> ReadNumber {
        if let number = self.parseRightNumber(understanding, year: year) { return .accepted(number) }
        let entities = understanding.entities
        let text = understanding.normalized
        let source = entities.patentNumberInvalid ?? text
        switch PatentNumberParser.parse(source, currentYear: year) {
        case .invalid(let digits, .missingCheckCharacter(let expected)):
            return .confirmNumber("\(digits).\(expected)")
        case .invalid(let digits, let problem):
            let (key, values) = self.explain(problem, digits: digits)
            return .refused(key, values)
        case .valid, .notAPatentNumber:
            return .refused("number.unrecognised", [:])
        }
    }

    private enum ReadNumber {
        case accepted(RightNumber)
        case confirmNumber(String)
        case refused(String, [String: String])
        case skipped
    }

    /// A valid patent or trademark number in the message, if there is one.
    func parseRightNumber(_ understanding: Understanding, year: Int) -> RightNumber? {
        let text = understanding.normalized
        let saysTrademark = understanding.entities.ipType == .trademark
        if !saysTrademark, case .valid(let number) = PatentNumberParser.parse(text, currentYear: year) {
            return .patent(number)
        }
        if let canonical = understanding.entities.patentNumber,
            case .valid(let number) = PatentNumberParser.parse(canonical, currentYear: year)
        {
            return .patent(number)
        }
        if let number = understanding.entities.trademarkNumber { return .trademark(number) }
        if let number = TrademarkNumberParser.parse(text) { return .trademark(number.canonical) }
        return nil
    }

    /// Confirming a number completed with its computed check character, outside a form.
    func acceptPendingNumber(
        _ canonical: String, state: inout ConversationState, context: ConversationContext, turn: inout Turn
    ) {
        state.phase = .idle
        if case .valid(let number) = PatentNumberParser.parse(canonical, currentYear: self.year(of: context.now)) {
            self.answerStatus(.patent(number), today: self.day(of: context.now), state: &state, turn: &turn)
        } else {
            turn.say(self.replies.render("number.unrecognised"))
        }
    }

    /// The day `date` falls on at the centre (Asia/Shanghai).
    package func day(of date: Date) -> CalendarDay {
        let seconds = date.timeIntervalSince1970
        if seconds >= Self.fixedOffsetSince, seconds < Self.fixedOffsetUntil {
            // Arithmetic, not the calendar's time-zone lookups: this runs for every message.
            return CalendarDay(dayNumber: Int(((seconds + 8 * 3600) / 86_400).rounded(.down)))
        }
        let parts = self.calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDay(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CalendarDay(dayNumber: 0)
    }

    /// China has kept UTC+8 without daylight saving since September 1991: from 1992-01-01 (UTC) to the end of
    /// 2199 the day at the centre is the UTC+8 day; outside, the calendar decides.
    static let fixedOffsetSince: TimeInterval = 694_224_000
    static let fixedOffsetUntil: TimeInterval = 7_258_118_400

    /// What the number itself says, then what the registry says, then where to check officially.
    ///
    /// When the registry gives the filing (patent) or registration (trademark) date, the dates that matter are
    /// computed from it as of `today`: the last day of the term, the next annual fee or the fee in its grace
    /// period with today's surcharge, a trademark's expiry (renewals counted) and renewal window. What the record
    /// says beside its status follows in plain words: a transfer, pledge, licence or preservation; how long a
    /// rejection may be appealed; from when a lapsed patent ended and until when it may be restored. A numbered
    /// offer ends the answer: a person when time matters, a reminder before a fee or a renewal window.
    func answerStatus(_ number: RightNumber, today: CalendarDay, state: inout ConversationState, turn: inout Turn) {
        var paragraphs: [String] = []
        let record: LegalStatusRecord?
        switch number {
        case .patent(let patent):
            var values = [
                "number": patent.canonical, "kind": self.replies.render("patent.kind.\(patent.kind.rawValue)"),
                "year": String(patent.filingYear),
            ]
            paragraphs.append(self.replies.render("explain.patent", values))
            if let years = patent.protectionYears {
                values["years"] = String(years)
                values["end_year"] = String(patent.filingYear + years)
                paragraphs.append(self.replies.render("explain.patent.term", values))
            } else {
                paragraphs.append(self.replies.render("explain.patent.term_design_2021", values))
            }
            record = self.registry.record(kind: .patent, number: patent.canonical, today: today)
        case .trademark(let canonical):
            paragraphs.append(self.replies.render("explain.trademark", ["number": canonical]))
            record = self.registry.record(kind: .trademark, number: canonical, today: today)
        }
        guard let record else {
            let kind = if case .patent = number { "patent" } else { "trademark" }
            paragraphs.append(self.replies.render("status.not_found.\(kind)"))
            paragraphs.append(self.replies.render("status.disclaimer"))
            turn.say(paragraphs.joined(separator: "\n"))
            return
        }
        var values = [
            "status": self.replies.render("status.\(record.bucket.rawValue)"),
            "note": self.replies.render("status.note.\(record.bucket.rawValue)"),
            "wording": record.officialWording, "data_date": record.dataDate,
        ]
        values["title"] = record.title.map { self.replies.render("status.title", ["title": $0]) } ?? ""
        values["holder"] = record.holder.map { self.replies.render("status.holder", ["holder": $0]) } ?? ""
        paragraphs.append(self.replies.render("status.found", values))
        paragraphs += self.dates(of: number, record: record, today: today)
        paragraphs += self.consequences(of: record, today: today)
        paragraphs += record.overlays.map { self.replies.render("status.overlay.\($0.rawValue)") }
        if let asOf = CalendarDay(record.dataDate), today.days(since: asOf) > self.policy.legalStatusStaleDays {
            paragraphs.append(
                self.replies.render(
                    "status.stale", ["data_date": record.dataDate, "days": String(today.days(since: asOf))]))
        }
        paragraphs.append(self.replies.render("status.disclaimer"))
        // The numbered offer comes last, where the applicant's eye ends.
        let reminder = self.reminder(for: number, record: record, today: today)
        if let reminder {
            var choices: [Choice] = record.bucket.isUrgent ? [.talkToHuman] : []
            choices += [.remindMe(reminder), .mainMenu]
            if record.bucket.isUrgent { paragraphs.append(self.replies.render("status.urgent.lead")) }
            paragraphs.append(self.reminderOffer(reminder, choices: choices))
            state.choices = choices
        } else if record.bucket.isUrgent {
            paragraphs.append(self.replies.render("status.urgent"))
            state.choices = [.talkToHuman, .mainMenu]
        }
        turn.say(paragraphs.joined(separator: "\n"))
    }

    /// What the record's own dates mean for the applicant: a rejection's re-examination period; a patent ended for
    /// an unpaid fee (from the fee's due date, announced later) and its restoration window with what restoring
    /// costs. Nothing is said of a date the record does not give.
    func consequences(of record: LegalStatusRecord, today: CalendarDay) -> [String] {
        var lines: [String] = []
        let kind = record.kind.rawValue
        if let ends = record.appealEnds.flatMap(CalendarDay.init),
            record.bucket == .rejected || record.bucket == .trademarkRefused
        {
            let key = today > ends ? "status.appeal_passed.\(kind)" : "status.appeal.\(kind)"
            lines.append(self.replies.render(key, ["appeal_ends": Self.written(ends)]))
        }
        if let from = record.lapsedFrom.flatMap(CalendarDay.init) {
            lines.append(self.replies.render("status.lapsed_from", ["lapsed_from": Self.written(from)]))
        }
        if let ends = record.restorationEnds.flatMap(CalendarDay.init) {
            let key = today > ends ? "status.restoration_passed" : "status.restoration"
            lines.append(
                self.replies.render(
                    key, ["restoration_ends": Self.written(ends), "fee": String(AnnualFeeRestoration.requestFee)]))
        }
        return lines
    }

    /// The computed dates of a found record, as paragraphs (none without the record's date, or for a right that
    /// no longer stands).
    func dates(of number: RightNumber, record: LegalStatusRecord, today: CalendarDay) -> [String] {
        guard let date = record.date.flatMap(CalendarDay.init) else { return [] }
        switch number {
        case .patent(let patent):
            let term = PatentTerm(kind: patent.kind, filingDate: date)
            var lines = [
                self.replies.render(
                    "status.dates.patent_term",
                    [
                        "filing_date": Self.written(date), "years": String(term.years),
                        "last_day": Self.written(term.lastDay),
                    ])
            ]
            let schedule = AnnualFeeSchedule(term: term)
            switch record.bucket {
            case .inForce:
                if let fee = schedule.nextFee(on: today) {
                    lines.append(self.replies.render("status.dates.next_fee", self.values(of: fee)))
                }
            case .inForceFeeDue:
                if let fee = schedule.feeInGrace(on: today, in: self.configuration.holidays) {
                    let owedToday: [String: String] = [
                        "surcharge": String(fee.surcharge(on: today)),
                        "percent": String(fee.surchargePercent(on: today)), "total": String(fee.totalDue(on: today)),
                    ]
                    lines.append(
                        self.replies.render(
                            "status.dates.fee_in_grace", self.values(of: fee).merging(owedToday) { first, _ in first }))
                }
            default:
                break
            }
            return lines
        case .trademark:
            guard let term = Self.trademarkTerm(record, today: today) else { return [] }
            var values = self.values(of: term)
            values["registered"] = Self.written(date)
            values["renewals"] = String(term.renewals)
            let key = term.renewals > 0 ? "status.dates.trademark_term_renewed" : "status.dates.trademark_term"
            var lines = [self.replies.render(key, values)]
            switch term.phase(on: today) {
            case .renewalWindowOpen: lines.append(self.replies.render("status.dates.trademark_window_open", values))
            case .inGrace: lines.append(self.replies.render("status.dates.trademark_in_grace", values))
            case .inForce, .expired: break
            }
            return lines
        }
    }

    /// A registered trademark's current term as the record gives it (its registration date and registered
    /// renewals), or nil when it does not stand or the term computed has run out with its grace: then it was
    /// renewed without the record saying so (or not renewed and not yet recorded as cancelled), and no date is
    /// claimed.
    static func trademarkTerm(_ record: LegalStatusRecord, today: CalendarDay) -> TrademarkTerm? {
        guard record.bucket == .trademarkRegistered || record.bucket == .trademarkRenewalWindow,
            let date = record.date.flatMap(CalendarDay.init)
        else { return nil }
        let term = TrademarkTerm(registrationDate: date, renewals: record.renewals ?? 0)
        return term.phase(on: today) == .expired ? nil : term
    }

    /// What every sentence about a trademark's term says of it: the expiry, the renewal window's first day, the
    /// grace period's end (moved past rest days by the centre's calendar; the expiry never moves).
    func values(of term: TrademarkTerm) -> [String: String] {
        [
            "expiry": Self.written(term.expiry), "window": Self.written(term.renewalWindowOpens),
            "grace_end": Self.written(term.graceEnd(in: self.configuration.holidays)),
        ]
    }

    /// What every sentence about an annual fee says of it: the patent year, the amount, the due date, the grace's end
    /// (moved past rest days by the centre's calendar).
    func values(of fee: AnnualFee) -> [String: String] {
        [
            "year": String(fee.year), "amount": String(fee.amount), "due": Self.written(fee.dueDate),
            "grace_end": Self.written(fee.graceEnd(in: self.configuration.holidays)),
        ]
    }

    /// `2033 年 6 月 28 日`.
    static func written(_ day: CalendarDay) -> String {
        "\(day.year) 年 \(day.month) 月 \(day.day) 日"
    }
}
