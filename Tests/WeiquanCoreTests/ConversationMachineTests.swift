import Foundation
import Testing
@testable import WeiquanCore
import WeiquanFiles

@Suite struct ConversationMachineTests {
    let replies = TestBot.replies

    /// The aid-request answers up to (not including) the question named.
    static let aidAnswers = [
        "我要申请维权援助", "1", "2", "南宁某某科技有限公司", "13800138000", "1", "1", "201310268509.X", "深圳某某贸易有限公司",
        "他们在网店上销售仿冒我们专利的产品", "1 4", "有购买记录和网页截图",
    ]

    // MARK: - Menu, fallback, clarify

    @Test func greetingShowsTheMenuAndRemembersItsNumbers() {
        var dialogue = Dialogue()
        let reply = dialogue.say("你好")
        #expect(reply.hasPrefix(self.replies.render("welcome")))
        #expect(reply.contains("1. " + self.replies.render("menu.aid_request")))
        #expect(dialogue.state.choices == ConversationMachine.menu)
        #expect(dialogue.state.phase == .idle)
    }

    @Test func answeringWithTheNumberStartsThatFlow() {
        var dialogue = Dialogue()
        dialogue.say("菜单")
        dialogue.say("3")
        #expect(dialogue.state.phase == .awaitingNumber(attempts: 0))
        dialogue.say("菜单")
        let reply = dialogue.say("5")
        #expect(reply.hasPrefix(String(self.replies.render("faq.menu", ["options": ""]).prefix(5))))
        // The FAQs, and last a question of one's own for the volunteers.
        #expect(
            dialogue.state.choices.dropLast().allSatisfy { if case .intent(let id) = $0 { id.isFAQ } else { false } })
        #expect(dialogue.state.choices.last == .intent(.askQuestion))
        #expect(!dialogue.state.choices.isEmpty)
    }

    @Test func aNumberNobodyOfferedIsNotGuessed() {
        var dialogue = Dialogue()
        let reply = dialogue.say("3")
        #expect(reply.hasPrefix(self.replies.render("choice.stale")))
        #expect(dialogue.state.phase == .idle)
    }

    @Test func secondFallbackInARowOffersAPerson() {
        var dialogue = Dialogue()
        dialogue.now = Dialogue.mondayMorning
        let first = dialogue.say("今天天气怎么样")
        #expect(first.hasPrefix(self.replies.render("fallback")))
        #expect(dialogue.state.consecutiveFallbacks == 1)
        let second = dialogue.say("随便聊聊股票吧")
        #expect(second == self.replies.render("fallback.offer_human_or_volunteer"))
        #expect(dialogue.state.choices == [.talkToHuman, .leaveQuestionAbout("随便聊聊股票吧"), .mainMenu])
        let effects = dialogue.send(.text("1"))
        #expect(
            effects.first
                == .requestHandoff(HandoffRequest(reason: .notUnderstood, form: nil, unit: "centre"), position: 1))
        #expect(dialogue.state.consecutiveFallbacks == 0)
    }

    @Test func understoodMessageResetsTheFallbackCount() {
        var dialogue = Dialogue()
        dialogue.say("今天天气怎么样")
        dialogue.say("谢谢")
        #expect(dialogue.state.consecutiveFallbacks == 0)
    }

    // MARK: - Aid request

    @Test func aidRequestFilesACaseBeforeConfirmingIt() throws {
        var dialogue = Dialogue()
        let summary = dialogue.say(Self.aidAnswers)
        #expect(summary.contains("联系手机：13800138000"))
        #expect(summary.contains("援助需求：法律咨询与维权指导、电商平台维权"))
        #expect(dialogue.form?.current == nil)
        let effects = dialogue.send(.text("1"))
        try #require(effects.count == 2)
        guard case .fileCase(let record) = effects[0], case .reply(let reply) = effects[1] else {
            Issue.record("expected fileCase then reply, got \(effects)")
            return
        }
        #expect(record.kind == .aidRequest)
        #expect(record.unit == "nanning")
        #expect(record.consent == ConsentRecord(noticeVersion: "2026-11", acceptedAt: Transcript.defaultStart))
        #expect(
            record.fields == [
                "applicant_type": "enterprise", "name": "南宁某某科技有限公司", "phone": "13800138000", "region": "南宁市",
                "ip_type": "patent", "ip_number": "201310268509.X", "other_party": "深圳某某贸易有限公司",
                "facts": "他们在网店上销售仿冒我们专利的产品", "services": "consultation,ecommerce", "evidence": "有购买记录和网页截图",
            ]
        )
        #expect(reply.contains(record.id.rawValue))
        #expect(reply.contains("南宁知识产权维权援助分中心"))
        #expect(dialogue.state.phase == .idle)
    }

    @Test func declinedConsentCollectsNothing() {
        var dialogue = Dialogue()
        dialogue.say("申请援助")
        let reply = dialogue.say("不同意")
        #expect(reply == self.replies.render("consent.declined"))
        #expect(dialogue.state.phase == .idle)
        #expect(dialogue.cases.isEmpty)
    }

    @Test func whatTheOpeningMessageSaidIsNotAskedAgain() {
        var dialogue = Dialogue()
        dialogue.say(["我的专利ZL201310268509.X被侵权了，想申请维权援助", "1", "1", "张三", "13800138000", "1"])
        // Type and number came with the first message: the next question is the other party.
        #expect(dialogue.form?.current == "other_party")
        #expect(dialogue.form?.values["ip_number"] == "201310268509.X")
    }

    @Test func invalidAnswersExplainThenOfferAWayOut() {
        var dialogue = Dialogue()
        dialogue.now = Dialogue.mondayMorning
        dialogue.say(["申请援助", "1", "1", "张三"])
        let first = dialogue.say("138")
        #expect(first.hasPrefix(self.replies.render("invalid.phone")))
        #expect(dialogue.form?.invalidAttempts == 1)
        dialogue.say("1380013800")
        let third = dialogue.say("不告诉你")
        #expect(third.contains(self.replies.render("example.phone")))
        // The phone is required: no skip, but a person and going on.
        #expect(dialogue.state.choices == [.talkToHuman, .continueForm])
        #expect(dialogue.form?.invalidAttempts == 0)
        let effects = dialogue.send(.text("1"))
        guard case .requestHandoff(let request, position: 1) = effects.first else {
            Issue.record("expected a handoff, got \(effects)")
            return
        }
        #expect(request.reason == .retriesExhausted)
        #expect(request.form?.current == "phone")
        #expect(dialogue.form?.current == "phone")
    }

    @Test func exhaustedOptionalQuestionOffersToSkip() {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1", "1", "张三", "13800138000", "1", "1"])
        #expect(dialogue.form?.current == "ip_number")
        dialogue.say(["123", "abc", "9"])
        #expect(dialogue.state.choices == [.skipField, .talkToHuman, .continueForm])
        dialogue.say("1")
        #expect(dialogue.form?.current == "other_party")
        #expect(dialogue.form?.values["ip_number"] == nil)
    }

    @Test func wrongCheckDigitIsExplained() {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1", "1", "张三", "13800138000", "1", "1"])
        let reply = dialogue.say("201310268509.1")
        #expect(
            reply.hasPrefix(self.replies.render("number.wrong_check", ["number": "201310268509.1", "expected": "X"])))
        #expect(dialogue.form?.current == "ip_number")
    }

    @Test func cancelWithAnswersAsksFirst() {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1", "1", "张三"])
        let reply = dialogue.say("取消")
        #expect(reply == self.replies.render("form.confirm_cancel"))
        guard case .confirmingCancel(let kept) = dialogue.state.phase else {
            Issue.record("expected a cancel confirmation")
            return
        }
        #expect(kept.values["name"] == "张三")
        // "2" keeps the form where it was.
        dialogue.say("2")
        #expect(dialogue.form?.current == "phone")
        dialogue.say("退出")
        dialogue.say("1")
        #expect(dialogue.state.phase == .idle)
        #expect(dialogue.cases.isEmpty)
    }

    @Test func cancelBeforeAnyAnswerLeavesAtOnce() {
        var dialogue = Dialogue()
        dialogue.say("申请援助")
        let reply = dialogue.say("取消")
        #expect(reply.hasPrefix(self.replies.render("form.cancelled")))
        #expect(dialogue.state.phase == .idle)
    }

    @Test func backReturnsToThePreviousQuestionShowingItsAnswer() {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1", "1", "张三"])
        let reply = dialogue.say("返回")
        #expect(dialogue.form?.current == "name")
        #expect(reply.contains(self.replies.render("form.current_value", ["value": "张三"])))
        dialogue.say("李四")
        #expect(dialogue.form?.values["name"] == "李四")
        #expect(dialogue.form?.current == "phone")
    }

    @Test func questionInTheMiddleIsAnsweredThenTheFormGoesOn() {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1", "1"])
        let reply = dialogue.say("申请援助要收费吗？")
        let answer = TestBot.data.catalogue.intent("faq.free")?.answer ?? "?"
        #expect(reply.hasPrefix(self.replies.fill(answer)))
        #expect(reply.hasSuffix(self.replies.render("ask.name")))
        #expect(dialogue.form?.current == "name")
        #expect(dialogue.form?.values["name"] == nil)
    }

    @Test func summaryCanCorrectOneField() {
        var dialogue = Dialogue()
        dialogue.say(Self.aidAnswers)
        dialogue.say("2")
        #expect(dialogue.state.choices.first == .editField("applicant_type"))
        dialogue.say("2")  // the name
        #expect(dialogue.form?.current == "name")
        let summary = dialogue.say("南宁某某新名称有限公司")
        #expect(summary.contains("申请人名称：南宁某某新名称有限公司"))
        #expect(dialogue.form?.current == nil)
        dialogue.say("改电话")
        #expect(dialogue.form?.current == "phone")
    }

    @Test func changingTheIPTypeAsksForANewNumber() {
        var dialogue = Dialogue()
        dialogue.say(Self.aidAnswers)
        dialogue.say(["2", "5"])  // edit the IP type
        dialogue.say("2")  // trademark
        #expect(dialogue.form?.current == "ip_number")
        #expect(dialogue.form?.values["ip_number"] == nil)
        dialogue.say("第16435657号")
        #expect(dialogue.form?.values["ip_number"] == "16435657")
        #expect(dialogue.form?.current == nil)
    }

    @Test func mediaDuringAFormBecomesEvidence() {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1", "1"])
        let effects = dialogue.send(.media(kind: "image", reference: "media-1"))
        #expect(dialogue.form?.attachments == ["media-1"])
        guard case .reply(let reply) = effects.last else {
            Issue.record("expected a reply")
            return
        }
        #expect(reply.hasPrefix(self.replies.render("media.attached", ["count": "1"])))
        #expect(dialogue.form?.current == "name")
    }

    @Test func locationAnswersTheRegionQuestion() {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1", "1", "张三", "13800138000"])
        #expect(dialogue.form?.current == "region")
        dialogue.send(.location(label: "广西壮族自治区柳州市城中区某某路"))
        #expect(dialogue.form?.values["region"] == "柳州市")
        #expect(dialogue.form?.current == "ip_type")
    }

    @Test func untouchedFormExpires() {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1", "1"])
        dialogue.now = dialogue.now.addingTimeInterval(25 * 3600)
        let reply = dialogue.say("你好")
        #expect(reply.hasPrefix(self.replies.render("form.expired", ["hours": "24"])))
        #expect(dialogue.state.phase == .idle)
        #expect(dialogue.state.choices == ConversationMachine.menu)
    }

    @Test func formWithinTheExpiryGoesOn() {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1", "1"])
        dialogue.now = dialogue.now.addingTimeInterval(23 * 3600)
        dialogue.say("张三")
        #expect(dialogue.form?.values["name"] == "张三")
    }

    @Test func humanInAFormKeepsTheFormForStaff() {
        var dialogue = Dialogue()
        dialogue.now = Dialogue.mondayMorning
        dialogue.say(["申请援助", "1", "1", "张三"])
        let effects = dialogue.send(.text("人工"))
        #expect(effects.count == 2)
        guard case .requestHandoff(let request, position: 1) = effects.first else {
            Issue.record("expected a handoff")
            return
        }
        #expect(request.reason == .requested)
        #expect(request.form?.values["name"] == "张三")
        guard case .reply(let reply) = effects.last else {
            Issue.record("expected a reply")
            return
        }
        #expect(reply.contains(self.replies.render("handoff.form_kept")))
    }

    // MARK: - Complaint

    @Test func anonymousComplaintIsRoutedByWhereItHappened() {
        var dialogue = Dialogue()
        dialogue.say(["我要举报卖假货的", "卖假冒某品牌运动鞋", "桂林市某某路 8 号某某商店", "商标", "跳过", "匿名", "1"])
        let record = dialogue.cases.first
        #expect(record?.kind == .complaint)
        #expect(record?.unit == "guilin")
        #expect(record?.fields["contact"] == nil)
        #expect(record?.consent == nil)
    }

    @Test func complaintWithContactRecordsConsent() {
        var dialogue = Dialogue()
        dialogue.say(["举报", "盗版图书", "某网店链接 https://shop.example/1", "著作权", "跳过", "13900139000", "确认"])
        #expect(dialogue.cases.first?.fields["contact"] == "13900139000")
        #expect(dialogue.cases.first?.consent?.noticeVersion == "2026-11")
        #expect(dialogue.cases.first?.unit == "centre")
    }

    // MARK: - Legal status

    @Test func legalStatusAnswersFromTheRegistry() {
        var dialogue = Dialogue()
        dialogue.say("查询专利法律状态")
        #expect(dialogue.state.phase == .awaitingNumber(attempts: 0))
        let reply = dialogue.say("ZL 2013 1 0268509.X")
        #expect(reply.contains("201310268509.X"))
        #expect(reply.contains("2033"))
        #expect(reply.contains(self.replies.render("status.in_force")))
        // The official channels close the facts; a reminder of the next fee is offered after them.
        #expect(reply.contains(self.replies.render("status.disclaimer") + "\n"))
        #expect(reply.hasSuffix("1. 提醒我\n2. 查看服务菜单"), "\(reply)")
        #expect(dialogue.state.phase == .idle)
    }

    @Test func wrongNumbersAreCountedThenOfficialChannelsNamed() {
        var dialogue = Dialogue()
        dialogue.say("查专利状态")
        dialogue.say("201310268509.1")
        #expect(dialogue.state.phase == .awaitingNumber(attempts: 1))
        dialogue.say("你好啊")
        let reply = dialogue.say("不知道")
        #expect(reply == self.replies.render("number.exhausted"))
        #expect(dialogue.state.phase == .idle)
        #expect(dialogue.state.choices == [.talkToHuman, .mainMenu])
    }

    @Test func missingCheckDigitIsCompletedOnlyWithConsent() {
        var dialogue = Dialogue()
        let reply = dialogue.say("查一下专利 201310268509 的状态")
        #expect(reply == self.replies.render("number.confirm_check", ["number": "201310268509.X"]))
        #expect(dialogue.state.choices == [.acceptNumber("201310268509.X"), .reenterNumber])
        let answer = dialogue.say("1")
        #expect(answer.contains(self.replies.render("status.in_force")))
    }

    @Test func bareNumberIsALegalStatusQuery() {
        var dialogue = Dialogue()
        let reply = dialogue.say("91103346.7")
        #expect(reply.contains(self.replies.render("status.expired")))
        #expect(reply.contains("1991"))
    }

    @Test func unknownNumberNamesTheOfficialChannels() {
        var dialogue = Dialogue()
        let reply = dialogue.say("专利 200680018223.4 还有效吗")
        #expect(reply.contains(self.replies.render("status.not_found.patent")))
    }

    @Test func urgentStatusOffersAPerson() {
        var dialogue = Dialogue()
        let reply = dialogue.say("202310123456.6 的法律状态")
        #expect(reply.contains(self.replies.render("status.urgent")))
        #expect(dialogue.state.choices == [.talkToHuman, .mainMenu])
    }

    // MARK: - Case progress

    @Test func progressListsOnlyTheApplicantsCases() {
        var dialogue = Dialogue()
        let none = dialogue.say("我的案件进度")
        #expect(none == self.replies.render("progress.none"))
        dialogue.say(Self.aidAnswers)
        dialogue.say("1")
        let list = dialogue.say("进度")
        #expect(list.contains("WQ202611210001"))
        #expect(list.contains(self.replies.render("case.status.submitted")))
        let other = dialogue.say("WQ202611219999 办到哪了")
        #expect(other == self.replies.render("progress.not_yours", ["case_id": "WQ202611219999"]))
    }

    // MARK: - Channel events

    @Test func unsubscribeClosesWithoutAReply() {
        var dialogue = Dialogue()
        dialogue.say(["申请援助", "1"])
        let effects = dialogue.send(.unsubscribed)
        #expect(effects == [.closeConversation])
        #expect(dialogue.state.phase == .idle)
    }

    @Test func menuClickStartsTheIntent() {
        var dialogue = Dialogue()
        dialogue.send(.command(.legalStatus))
        #expect(dialogue.state.phase == .awaitingNumber(attempts: 0))
    }

    @Test func stateAtRestIsSmallAndRoundTrips() throws {
        var dialogue = Dialogue()
        dialogue.say(Array(Self.aidAnswers.prefix(8)))
        let data = try JSONEncoder().encode(dialogue.state)
        #expect(data.count < 800)
        let decoded = try JSONDecoder().decode(ConversationState.self, from: data)
        #expect(decoded == dialogue.state)
        #expect(try JSONEncoder().encode(ConversationState()).count < 40)
    }

    /// After the menu the state says so in one key instead of listing the six choices; a state stored before, with
    /// the six written out, reads back the same; any other list of choices is written out as before.
    @Test func theMainMenuIsStoredAsOneKeyAndReadInEitherForm() throws {
        var dialogue = Dialogue()
        dialogue.send(.text("你好"))
        #expect(dialogue.state.choices == ConversationMachine.menu)
        let json = String(decoding: try JSONEncoder().encode(dialogue.state), as: UTF8.self)
        #expect(json.contains(#""menu":true"#), "\(json)")
        #expect(!json.contains("choices"), "\(json)")
        #expect(try JSONDecoder().decode(ConversationState.self, from: Data(json.utf8)) == dialogue.state)

        let written =
            #"{"choices":[{"intent":{"_0":"aid_request"}},{"intent":{"_0":"complaint"}},"#
            + #"{"intent":{"_0":"legal_status"}},{"intent":{"_0":"case_progress"}},{"faqMenu":{}},"#
            + #"{"intent":{"_0":"human"}}],"fallbacks":1}"#
        let old = try JSONDecoder().decode(ConversationState.self, from: Data(written.utf8))
        #expect(old.choices == ConversationMachine.menu)
        #expect(old.consecutiveFallbacks == 1)
        #expect(try JSONDecoder().decode(ConversationState.self, from: try JSONEncoder().encode(old)) == old)

        var other = ConversationState()
        other.choices = Array(ConversationMachine.menu.prefix(5))
        let otherJSON = String(decoding: try JSONEncoder().encode(other), as: UTF8.self)
        #expect(otherJSON.contains("choices") && !otherJSON.contains(#""menu""#), "\(otherJSON)")
        #expect(try JSONDecoder().decode(ConversationState.self, from: Data(otherJSON.utf8)) == other)
        let falseMenu = try JSONDecoder().decode(ConversationState.self, from: Data(#"{"menu":false}"#.utf8))
        #expect(falseMenu.choices.isEmpty)
    }

    // MARK: - Data

    @Test func shippedWordingAndConfigurationHaveNoErrors() {
        let issues = ConfigurationValidator.validate(
            TestBot.data.configuration, replies: TestBot.data.replies, catalogue: TestBot.data.catalogue
        )
        #expect(issues.filter { $0.severity == .error } == [])
    }

    @Test func missingWordingIsReported() {
        var templates = TestBot.data.replies.templates
        templates["ask.phone"] = nil
        templates["menu"] = "{options}{no_such_value}"
        let issues = ConfigurationValidator.validate(
            TestBot.data.configuration, replies: ReplyBook(templates: templates), catalogue: TestBot.data.catalogue
        )
        #expect(issues.contains { $0.message.contains("missing key 'ask.phone'") })
        #expect(issues.contains { $0.message.contains("{no_such_value}") })
    }

    @Test func aHolidayCalendarWithoutThisYearIsReported() {
        let check = { (year: Int) in
            ConfigurationValidator.validate(
                TestBot.data.configuration, replies: TestBot.data.replies, catalogue: TestBot.data.catalogue, year: year
            )
            .filter { $0.message.contains("holidays lists no public holiday") }
        }
        // The demo configuration lists 2026's holidays.
        #expect(check(2026).isEmpty)
        let missing = check(2027)
        #expect(missing.count == 1)
        #expect(missing.first?.severity == .warning)
        #expect(missing.first?.message.contains("2027") == true)
    }

    @Test func brokenDirectoryIsReported() {
        var configuration = TestBot.data.configuration
        configuration.directory.units.append(
            OrgUnit(id: "x", name: "X", level: .subCentre, regions: ["火星市"], parent: "nowhere"))
        configuration.directory.units.append(OrgUnit(id: "centre", name: "again", level: .centre))
        let messages = ConfigurationValidator.validate(
            configuration, replies: TestBot.data.replies, catalogue: TestBot.data.catalogue
        )
        .map(\.message)
        #expect(messages.contains { $0.contains("exactly one unit with level 'centre'") })
        #expect(messages.contains { $0.contains("'火星市'") })
        #expect(messages.contains { $0.contains("parent 'nowhere'") })
        #expect(messages.contains { $0.contains("unit id 'centre' is used twice") })
    }

    @Test func contactLinesLeftEmptyInTheConfigAreDropped() {
        let book = ReplyBook(templates: [:], contact: ContactInfo(centreName: "中心", phone: "", website: ""))
        #expect(book.fill("热线：{hotline}\n电话：{phone}\n网站：{website}\n谢谢") == "热线：12330\n谢谢")
        #expect(book.fill("电话：{phone}", ["phone": "123"]) == "电话：123")
    }

    @Test func faqListFollowsTheConfiguredOrder() {
        let order = TestBot.replies.words("faq.menu.order").map { IntentID($0) }
        #expect(Array(TestBot.machine.faqMenu.prefix(order.count)) == order)
        #expect(Set(TestBot.machine.faqMenu) == Set(TestBot.data.catalogue.intents.map(\.id).filter(\.isFAQ)))
    }

    /// A template rendered without values is worked out when the book is made: it must be what filling it then
    /// gives, for every template of the bot's book, and follow the contact details of the book it is in.
    @Test func templatesRenderedWithoutValuesAreTheirFilledText() {
        let book = TestBot.replies
        #expect(!book.templates.isEmpty)
        for (key, template) in book.templates {
            #expect(book.render(key) == book.fill(template), "\(key)")
            #expect(book.render(key, [:]) == book.fill(template, [:]), "\(key)")
        }
        let other = book.with(contact: ContactInfo(centreName: "另一中心", hotline: "99999", website: ""))
        let hotline = book.templates.first { $0.value.contains("{hotline}") }
        #expect(hotline != nil)
        if let hotline {
            #expect(other.render(hotline.key).contains("99999"))
            #expect(!book.render(hotline.key).contains("99999"))
            #expect(other.render(hotline.key) == other.fill(hotline.value))
        }
    }

    @Test func missingTemplateRendersVisiblyInsteadOfCrashing() {
        let book = ReplyBook(templates: ["a": "你好 {name}，热线 {hotline}"], contact: ContactInfo(centreName: "中心"))
        #expect(book.render("a", ["name": "张三"]) == "你好 张三，热线 12330")
        #expect(book.render("nope") == "[nope]")
        #expect(book.fill("{unknown} 原样") == "{unknown} 原样")
    }

    /// Placeholders next to Chinese text and punctuation, repeated, unknown, nested in stray braces or left
    /// open: filled byte for byte as written around them.
    @Test func placeholdersAreFilledExactlyWhereverTheyStand() {
        let book = ReplyBook(templates: [:], contact: ContactInfo(centreName: "中心"))
        let values = ["a": "甲", "b": "《乙》", "empty": ""]
        #expect(book.fill("【{a}】{b}{a}。", values) == "【甲】《乙》甲。")
        #expect(book.fill("{x{a}}", values) == "{x甲}")
        #expect(book.fill("{a} 与 {", values) == "甲 与 {")
        #expect(book.fill("}{a}{}{empty}尾", values) == "}甲{}尾")
        #expect(book.fill("没有占位符", values) == "没有占位符")
        #expect(book.fill("😀{b}😀", values) == "😀《乙》😀")
    }
}
