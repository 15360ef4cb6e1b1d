import Foundation
import Testing
import WeiquanFiles

@testable import WeiquanCore

/// The aid-request form checks the right against the registry (issue 14): a right that is not in force is explained
/// when its number is given, with the way to a person, and the form goes on; a right in force, an unknown number
/// and a complaint say nothing of it.
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
        #expect(reply.contains("回复“人工”"))
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
}
