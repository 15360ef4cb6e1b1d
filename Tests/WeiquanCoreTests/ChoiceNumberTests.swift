import Testing

@testable import WeiquanCore

/// The number of a menu choice in a normalised message: digits or one numeral, with 第…个/项 or a full stop around it.
@Suite struct ChoiceNumberTests {
    @Test(arguments: [
        ("1", 1), ("12", 12), ("第2个", 2), ("3.", 3), ("三", 3), ("第三项", 3), ("五个", 5), ("第九", 9), ("6项", 6), ("第九个", 9),
        ("第12项", 12),
    ])
    func choices(_ text: String, _ number: Int) {
        #expect(ConversationMachine.choiceNumber(text) == number)
    }

    @Test(arguments: ["", "第", "个", "123", "好", "一二", "十", "查询专利201310268509.X的法律状态", "第1个2", "1个个", "a"])
    func notChoices(_ text: String) {
        #expect(ConversationMachine.choiceNumber(text) == nil)
    }
}
