import Foundation
import WeiquanCore
import WeiquanFiles

/// The shipped catalogue, wording and demo configuration, loaded once for all tests.
enum TestBot {
    static let data: BotData = {
        do {
            return try BotData.load(intentsDirectory: RepositoryPaths.url("intents"))
        } catch {
            fatalError("the shipped data does not load: \(error)")
        }
    }()
    static let machine = data.makeMachine()
    static var replies: ReplyBook { machine.replies }
}

/// Drives the machine as one applicant would, keeping state, clock and filed cases between messages.
struct Dialogue {
    let machine: ConversationMachine
    var state = ConversationState()
    var now = Transcript.defaultStart
    var cases: [CaseRecord] = []
    var lastEffects: [ConversationEffect] = []

    /// Monday 2026-11-23 10:00 in Shanghai: the desk is open.
    static let mondayMorning = Date(timeIntervalSince1970: 1_795_399_200)
    /// How many wait in each unit's queue, as the service would say.
    var waiting: [UnitID: Int] = [:]

    init(machine: ConversationMachine = TestBot.machine) {
        self.machine = machine
    }

    /// Sends an event and returns every effect.
    @discardableResult
    mutating func send(_ event: ConversationEvent) -> [ConversationEffect] {
        let context = ConversationContext(
            now: self.now, applicant: "test-applicant",
            caseID: CaseID(rawValue: "WQ2026112100\(String(format: "%02d", self.cases.count + 1))")!,
            cases: self.cases.reversed().map(\.summary), waiting: self.waiting
        )
        self.lastEffects = self.machine.handle(event, state: &self.state, context: context)
        for case .fileCase(let record) in self.lastEffects { self.cases.append(record) }
        return self.lastEffects
    }

    /// Sends a text and returns the reply ("" when there is none).
    @discardableResult
    mutating func say(_ text: String) -> String {
        self.send(.text(text))
        for case .reply(let reply) in self.lastEffects { return reply }
        return ""
    }

    /// Sends several texts, returning the last reply.
    @discardableResult
    mutating func say(_ texts: [String]) -> String {
        var reply = ""
        for text in texts { reply = self.say(text) }
        return reply
    }

    var form: FormProgress? { self.state.form }
}
