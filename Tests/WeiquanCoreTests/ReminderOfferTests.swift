import Foundation
import Testing
import WeiquanFiles

@testable import WeiquanCore

/// Reminders offered after a legal-status answer (issue 14): the offer says when and is honest about WeChat's 48-hour
/// window; taking it emits the reminder for the service to store (the applicant, the number, the day, the text); it can
/// be cancelled by the choice offered or with 取消提醒; the days before are the centre's to set.
@Suite struct ReminderOfferTests {
    static func dialogue(
        _ record: LegalStatusRecord, today: String = "2026-11-21", policy: (inout ConversationPolicy) -> Void = { _ in }
    ) throws -> Dialogue {
        let data = TestBot.data
        var configuration = data.configuration
        policy(&configuration.conversation)
        let machine = ConversationMachine(
            understander: MessageUnderstander(
                catalogue: data.catalogue, ipTypes: data.ipTypes, regions: configuration.directory.regions),
            catalogue: data.catalogue, replies: data.replies, configuration: configuration,
            registry: InMemoryLegalStatusRegistry(records: [record]))
        var dialogue = Dialogue(machine: machine)
        let day = try #require(CalendarDay(today))
        dialogue.now = Date(timeIntervalSince1970: TimeInterval(day.dayNumber * 86_400 + 4 * 3600))
        return dialogue
    }

    static let patent = LegalStatusRecord(
        number: "201310268509.X", kind: .patent, bucket: .inForce, officialWording: "专利权维持", date: "2013-06-29",
        dataDate: "2026-11-01")

    static func trademark(_ bucket: LegalStatusBucket, registered: String) -> LegalStatusRecord {
        LegalStatusRecord(
            number: "16435657", kind: .trademark, bucket: bucket, officialWording: "注册证发文", date: registered,
            dataDate: "2026-11-01")
    }

    static func scheduled(_ effects: [ConversationEffect]) -> [Reminder] {
        effects.compactMap { if case .scheduleReminder(let reminder) = $0 { reminder } else { nil } }
    }

    @Test func anInForcePatentIsOfferedAReminderThirtyDaysBeforeTheFee() throws {
        var dialogue = try Self.dialogue(Self.patent)
        let reply = dialogue.say("201310268509.X")
        #expect(reply.contains("我可以在 2027 年 5 月 30 日提醒您缴纳专利 201310268509.X 第 15 年年费（缴费日 2027 年 6 月 29 日）"), "\(reply)")
        // Honest about the window, in plain words.
        #expect(reply.contains("48 小时内主动给您发消息"))
        #expect(reply.contains("等您下次给我们发消息时一并告诉您"))
        #expect(reply.hasSuffix("1. 提醒我\n2. 查看服务菜单"), "\(reply)")
        guard case .remindMe(let offered) = dialogue.state.choices.first else {
            Issue.record("no reminder offered: \(dialogue.state.choices)")
            return
        }
        #expect(offered.remindOn == CalendarDay("2027-05-30"))
        #expect(dialogue.state.choices.last == .mainMenu)
    }

    @Test func takingTheOfferEmitsTheReminderForTheApplicant() throws {
        var dialogue = try Self.dialogue(Self.patent)
        dialogue.say("201310268509.X")
        let effects = dialogue.send(.text("1"))
        let reminder = try #require(Self.scheduled(effects).first)
        #expect(reminder.applicant == "test-applicant")
        #expect(reminder.number == "201310268509.X")
        #expect(reminder.kind == .patent)
        #expect(reminder.subject == .annualFee)
        #expect(reminder.remindOn == CalendarDay("2027-05-30"))
        #expect(reminder.deadline == CalendarDay("2027-06-29"))
        #expect(reminder.textKey == "reminder.annual_fee")
        #expect(reminder.values["amount"] == "6000")
        #expect(reminder.values["data_date"] == "2026-11-01")
        // What it will say renders from the reply book, with every placeholder filled.
        let text = TestBot.replies.render(reminder.textKey, reminder.values)
        #expect(text.contains("第 15 年年费 6000 元（未计费减）应在 2027 年 6 月 29 日前缴纳"), "\(text)")
        #expect(!text.contains("{"))
        let reply = dialogue.lastReply
        #expect(reply.contains("已设置提醒：2027 年 5 月 30 日"), "\(reply)")
        #expect(reply.contains("回复“取消提醒”"))
        #expect(dialogue.state.choices == [.cancelReminder("201310268509.X"), .mainMenu])
    }

    @Test func theChoiceOfferedAfterSettingCancelsThatNumbersReminder() throws {
        var dialogue = try Self.dialogue(Self.patent)
        dialogue.say(["201310268509.X", "1"])
        let effects = dialogue.send(.text("1"))
        #expect(effects.contains(.cancelReminders(number: "201310268509.X")))
        #expect(dialogue.lastReply == TestBot.replies.render("reminder.cancelled"))
    }

    @Test(arguments: ["取消提醒", "不用提醒了", "取消提醒。", "  取消提醒！！ ", "“别提醒”", "……不要提醒"])
    func cancellingByWordsCancelsAll(_ words: String) throws {
        var dialogue = try Self.dialogue(Self.patent)
        let effects = dialogue.send(.text(words))
        #expect(effects.contains(.cancelReminders(number: nil)), "\(effects)")
        #expect(dialogue.lastReply == TestBot.replies.render("reminder.cancelled"))
    }

    /// Only the words themselves, wrapped in punctuation or spaces at most, cancel: not punctuation alone, not a
    /// sentence that contains them.
    @Test(arguments: ["。。！", " ", "取消提醒的话还会收费吗", "取消-提醒"])
    func otherTextDoesNotCancel(_ text: String) throws {
        var dialogue = try Self.dialogue(Self.patent)
        let effects = dialogue.send(.text(text))
        #expect(!effects.contains(.cancelReminders(number: nil)), "\(effects)")
    }

    @Test func cancellingInAFormKeepsTheForm() throws {
        var dialogue = try Self.dialogue(Self.patent)
        dialogue.say(["我要申请维权援助", "1", "2"])
        let effects = dialogue.send(.text("取消提醒"))
        #expect(effects.contains(.cancelReminders(number: nil)))
        #expect(dialogue.state.form != nil)
        #expect(dialogue.lastReply.contains(TestBot.replies.render("ask.name")), "\(dialogue.lastReply)")
    }

    @Test func theDaysBeforeAreTheCentresToSet() throws {
        var dialogue = try Self.dialogue(Self.patent) { $0.reminderDaysBeforeDue = 10 }
        dialogue.say("201310268509.X")
        #expect(dialogue.state.choices.first == .remindMe(try #require(Self.offered(dialogue))))
        #expect(Self.offered(dialogue)?.remindOn == CalendarDay("2027-06-19"))
    }

    static func offered(_ dialogue: Dialogue) -> Reminder? {
        for case .remindMe(let reminder) in dialogue.state.choices { return reminder }
        return nil
    }

    @Test func aFeeDueSoonIsRemindedTomorrowAndOneDueTomorrowNotAtAll() throws {
        // Year 4 of a patent filed 2023-12-01 falls due on 2026-12-01: within the 30 days, so tomorrow.
        var soon = Self.patent
        soon.date = "2023-12-01"
        var dialogue = try Self.dialogue(soon)
        dialogue.say("201310268509.X")
        #expect(Self.offered(dialogue)?.remindOn == CalendarDay("2026-11-22"))
        // Due tomorrow: a reminder could come no earlier than the day itself.
        soon.date = "2023-11-22"
        var tomorrow = try Self.dialogue(soon)
        let reply = tomorrow.say("201310268509.X")
        #expect(Self.offered(tomorrow) == nil)
        #expect(!reply.contains("提醒我"), "\(reply)")
    }

    @Test(arguments: [LegalStatusBucket.expired, .inForceFeeDue, .restorable, .lapsedUnpaidFees, .pending])
    func onlyAPatentInForceIsOfferedAReminder(_ bucket: LegalStatusBucket) throws {
        var record = Self.patent
        record.bucket = bucket
        var dialogue = try Self.dialogue(record)
        dialogue.say("201310268509.X")
        #expect(Self.offered(dialogue) == nil)
    }

    @Test func withoutAFilingDateNoReminderIsOffered() throws {
        var record = Self.patent
        record.date = nil
        var dialogue = try Self.dialogue(record)
        dialogue.say("201310268509.X")
        #expect(Self.offered(dialogue) == nil)
    }

    @Test func aRegisteredTrademarkIsRemindedWhenItsRenewalWindowOpens() throws {
        var dialogue = try Self.dialogue(Self.trademark(.trademarkRegistered, registered: "2019-10-28"))
        let reply = dialogue.say("商标第16435657号")
        let reminder = try #require(Self.offered(dialogue))
        #expect(reminder.subject == .renewal)
        #expect(reminder.remindOn == CalendarDay("2028-10-28"))
        #expect(reminder.deadline == CalendarDay("2028-10-28"))
        #expect(reply.contains("我可以在 2028 年 10 月 28 日提醒您办理商标第 16435657 号续展"), "\(reply)")
        let text = TestBot.replies.render(reminder.textKey, reminder.values)
        #expect(text.contains("本期有效期至 2029 年 10 月 27 日，2028 年 10 月 28 日起可以申请续展"), "\(text)")

        var earlier = try Self.dialogue(Self.trademark(.trademarkRegistered, registered: "2019-10-28")) {
            $0.reminderDaysBeforeRenewal = 14
        }
        earlier.say("商标第16435657号")
        #expect(Self.offered(earlier)?.remindOn == CalendarDay("2028-10-14"))
    }

    @Test func aTrademarkInItsWindowIsRemindedBeforeExpiryBesideAPerson() throws {
        var dialogue = try Self.dialogue(Self.trademark(.trademarkRenewalWindow, registered: "2017-02-21"))
        let reply = dialogue.say("商标第16435657号")
        #expect(Self.offered(dialogue)?.remindOn == CalendarDay("2027-01-21"))
        #expect(Self.offered(dialogue)?.deadline == CalendarDay("2027-02-20"))
        #expect(dialogue.state.choices.first == .talkToHuman)
        #expect(dialogue.state.choices.last == .mainMenu)
        #expect(reply.hasSuffix("1. 转人工服务\n2. 提醒我\n3. 查看服务菜单"), "\(reply)")
        // In its grace period: a person, no reminder.
        var grace = try Self.dialogue(
            Self.trademark(.trademarkRenewalWindow, registered: "2017-02-21"), today: "2027-03-01")
        grace.say("商标第16435657号")
        #expect(Self.offered(grace) == nil)
        #expect(grace.state.choices == [.talkToHuman, .mainMenu])
    }

    @Test func reminderDaysOutOfRangeAreRefusedWithTheirName() throws {
        let bad = #"{"reminder_days_before_due": -1}"#
        #expect {
            try JSONDecoder().decode(ConversationPolicy.self, from: Data(bad.utf8))
        } throws: { error in
            "\(error)".contains("reminder_days_before_due must be 0 to 366 days")
        }
        let good = #"{"reminder_days_before_due": 7, "reminder_days_before_renewal": 3}"#
        let policy = try JSONDecoder().decode(ConversationPolicy.self, from: Data(good.utf8))
        #expect(policy.reminderDaysBeforeDue == 7 && policy.reminderDaysBeforeRenewal == 3)
        #expect(ConversationPolicy().reminderDaysBeforeDue == 30 && ConversationPolicy().reminderDaysBeforeRenewal == 0)
    }
}

extension Dialogue {
    /// The last event's reply ("" when there was none).
    var lastReply: String {
        for case .reply(let reply) in self.lastEffects { return reply }
        return ""
    }
}
