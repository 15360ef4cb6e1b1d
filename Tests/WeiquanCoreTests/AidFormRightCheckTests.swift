import Foundation
import Testing
import WeiquanFiles

@testable import WeiquanCore

/// The aid-request form checks the right against the registry (issue 14): a right that is not in force is explained
/// when its number is given, with a person offered as the next number after the question's own options, and the form
/// goes on when the question is answered; a right in force, an unknown number and a complaint say nothing of it.
@Suite struct AidFormRightCheckTests {
    /// The aid-request answers up to the right's number (the demo registry's records).
    static let beforeNumber = Array(ConversationMachineTests.aidAnswers.prefix(7))

    static func replyToNumber(_ number: String, opening: [String] = beforeNumber) -> String {
        var dialogue = Dialogue()
        for answer in opening { dialogue.say(answer) }
        return dialogue.say(number)
    }

    @Test(arguments: [("200420091540.7", "保护期届满"), ("201430238126.3", "因未缴年费终止")])
    func aRightNotInForceIsExplainedAndTheFormGoesOn(_ number: String, _ status: String) {
        let reply = Self.replyToNumber(number)
        #expect(reply.contains("\(number) 的法律状态为“\(status)”"), "\(reply)")
        #expect(reply.contains("数据（截至 2026-11-01）"))
        #expect(reply.contains("请回复“1”"), "\(reply)")
        // The next question follows: the other party.
        #expect(reply.contains(TestBot.replies.render("ask.other_party")), "\(reply)")
    }

    @Test(arguments: ["201310268509.X", "201410117875.X"])
    func aRightInForceOrUnknownSaysNothingOfIt(_ number: String) {
        #expect(!Self.replyToNumber(number).contains("法律状态为"))
    }

    @Test func aNumberInTheOpeningMessageIsCheckedToo() {
        var dialogue = Dialogue()
        let reply = dialogue.say("我的专利200420091540.7被人仿冒了，我要申请维权援助")
        #expect(reply.contains("200420091540.7 的法律状态为“保护期届满”"), "\(reply)")
    }

    @Test func choosingTheOfferedNumberHandsOffWithTheFormKept() throws {
        var dialogue = Dialogue()
        dialogue.now = Dialogue.mondayMorning
        for answer in Self.beforeNumber { dialogue.say(answer) }
        dialogue.say("200420091540.7")
        #expect(dialogue.state.choices == [.askStaff])
        let effects = dialogue.send(.text("1"))
        let handoff = try #require(
            effects.compactMap { effect -> HandoffRequest? in
                if case .requestHandoff(let request, _) = effect { return request } else { return nil }
            }.first)
        // The applicant asked: not a way out of failed answers.
        #expect(handoff.reason == .requested)
        #expect(handoff.form?.values["ip_number"] == "200420091540.7")
    }

    @Test func answeringTheQuestionGoesOnWithTheForm() {
        var dialogue = Dialogue()
        for answer in Self.beforeNumber { dialogue.say(answer) }
        dialogue.say("200420091540.7")
        let reply = dialogue.say("深圳某某贸易有限公司")
        #expect(reply.contains(TestBot.replies.render("ask.facts")), "\(reply)")
        #expect(dialogue.state.form?.values["other_party"] == "深圳某某贸易有限公司")
        #expect(!dialogue.lastEffects.contains { if case .requestHandoff = $0 { true } else { false } })
    }

    @Test func theOfferFollowsTheQuestionsOwnOptions() {
        var dialogue = Dialogue()
        let reply = dialogue.say("我的专利200420091540.7被人仿冒了，我要申请维权援助")
        // The consent question lists 1 and 2: the person is 3, and the note comes before the question.
        #expect(reply.contains("请回复“3”"), "\(reply)")
        #expect(dialogue.state.choices == [.option("yes"), .option("no"), .askStaff])
        let note = reply.range(of: "法律状态为")
        let question = reply.range(of: "1. ")
        #expect(note != nil && question != nil && note!.lowerBound < question!.lowerBound)
        // Accepting the notice still works by its number.
        #expect(dialogue.say("1").contains(TestBot.replies.render("ask.applicant_type").prefix(6)))
    }
}
