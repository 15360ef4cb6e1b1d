import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// Case deadlines over HTTP: `due_at`, `due_kind` and `overdue` on every case, the `overdue` and
/// `due_within_hours` lists, the applicant's legal deadline recorded by staff, and the gauge of overdue cases by
/// unit — with the test clock moved, never waited for.
@Suite struct CaseDeadlinesAPITests {
    /// The aid request of the other tests, asking for a consultation only (no e-commerce): due for acceptance
    /// within 15 working days.
    static let consultation = WebhookRouteTests.aidAnswers.map { $0 == "1 4" ? "1" : $0 } + ["1"]

    /// 2026-12-15 00:00 in Shanghai: the end of the 15th working day after Monday 2026-11-23.
    static let acceptanceDue = "2026-12-14T16:00:00Z"

    static func application(clock: TestClock, metrics: Metrics) async throws -> some ApplicationProtocol {
        try await WeiquanApplication.build(
            settings: try TestServer.settings(), data: TestServer.data, store: MemoryDocumentStore(),
            tokens: DeskHarness.tokens, clock: clock.function, metrics: metrics)
    }

    static func file(_ client: some TestClientProtocol, _ answers: [String], user: String, first id: Int) async throws
        -> String
    {
        var reply = ""
        for (index, text) in answers.enumerated() {
            reply = try await client.say(text, from: user, id: id + index)
        }
        let found = try #require(reply.firstMatch(of: /WQ\d{12}/))
        return String(found.output)
    }

    static func ids(_ reply: DeskAPITests.Reply) -> [String] {
        (reply.json["cases"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    static func overdueLine(_ metrics: Metrics, unit: String) -> String? {
        metrics.render().split(separator: "\n").map(String.init)
            .first { $0.hasPrefix("weiquan_cases_overdue{unit=\"\(unit)\"}") }
    }

    @Test func aCasePastItsAcceptanceDeadlineIsListedAsOverdueUntilItIsAccepted() async throws {
        let clock = TestClock(DeskHarness.mondayMorning)
        let metrics = Metrics()
        let app = try await Self.application(clock: clock, metrics: metrics)
        try await app.test(.router) { client in
            let id = try await Self.file(client, Self.consultation, user: "user-due", first: 100)
            let fresh = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(id)")
            #expect(fresh.json["due_at"] as? String == Self.acceptanceDue)
            #expect(fresh.json["due_kind"] as? String == "acceptance" && fresh.json["overdue"] as? Bool == false)
            #expect(Self.ids(try await DeskAPITests.call(client, .get, "/api/v1/cases?overdue=true")).isEmpty)
            #expect(Self.ids(try await DeskAPITests.call(client, .get, "/api/v1/cases?overdue=false")) == [id])
            #expect(Self.ids(try await DeskAPITests.call(client, .get, "/api/v1/cases?due_within_hours=24")).isEmpty)

            // Monday 2026-12-14, 12:00: due within the day, not overdue yet.
            clock.advance(21 * 86_400 + 2 * 3_600)
            #expect(Self.ids(try await DeskAPITests.call(client, .get, "/api/v1/cases?due_within_hours=24")) == [id])
            #expect(Self.ids(try await DeskAPITests.call(client, .get, "/api/v1/cases?overdue=true")).isEmpty)

            // Tuesday 2026-12-15, 00:00: overdue, in the list, the view and the gauge of its unit.
            clock.advance(12 * 3_600)
            let overdue = try await DeskAPITests.call(client, .get, "/api/v1/cases?overdue=true")
            #expect(overdue.status == .ok && Self.ids(overdue) == [id])
            #expect((overdue.json["cases"] as? [[String: Any]])?.first?["overdue"] as? Bool == true)
            #expect(Self.ids(try await DeskAPITests.call(client, .get, "/api/v1/cases?due_within_hours=24")).isEmpty)
            #expect(Self.overdueLine(metrics, unit: "nanning") == "weiquan_cases_overdue{unit=\"nanning\"} 1.0")

            // Accepted: the acceptance deadline is met, and a consultation has no conclusion deadline.
            let accepted = try await CasesAPITests.transition(client, id, #"{"action":"accept"}"#)
            #expect(accepted.status == .ok && accepted.json["overdue"] as? Bool == false)
            #expect(accepted.json["due_at"] == nil)
            #expect(Self.ids(try await DeskAPITests.call(client, .get, "/api/v1/cases?overdue=true")).isEmpty)
            #expect(Self.overdueLine(metrics, unit: "nanning") == "weiquan_cases_overdue{unit=\"nanning\"} 0.0")
        }
    }

    @Test func anECommerceCaseIsDueInTwentyFourHoursAndAnEarlierLegalDeadlineWins() async throws {
        let clock = TestClock(DeskHarness.mondayMorning)
        let app = try await Self.application(clock: clock, metrics: Metrics())
        try await app.test(.router) { client in
            // Services "1 4": consultation and e-commerce.
            let id = try await Self.file(client, ConversationClusterTests.aidRequest, user: "user-shop", first: 200)
            let plain = try await Self.file(client, Self.consultation, user: "user-plain", first: 300)
            let fresh = try await DeskAPITests.call(client, .get, "/api/v1/cases/\(id)")
            #expect(fresh.json["due_kind"] as? String == "conclusion")
            #expect(fresh.json["due_at"] as? String == "2026-11-24T02:00:00Z")
            // Soonest due first.
            let soon = try await DeskAPITests.call(client, .get, "/api/v1/cases?due_within_hours=8784")
            #expect(Self.ids(soon) == [id, plain])

            #expect(try await CasesAPITests.transition(client, id, #"{"action":"accept"}"#).status == .ok)
            clock.advance(86_400)
            let overdue = try await DeskAPITests.call(client, .get, "/api/v1/cases?overdue=true")
            #expect(Self.ids(overdue) == [id])

            // A hearing the applicant mentioned, recorded by staff: due at the start of that day.
            let path = "/api/v1/cases/\(plain)/legal-deadline"
            let bad = try await DeskAPITests.call(client, .post, path, body: #"{"date":"12月1日"}"#)
            #expect(bad.status == .unprocessableContent)
            let hearing = try await DeskAPITests.call(client, .post, path, body: #"{"date":"2026-12-01","note":"开庭"}"#)
            #expect(hearing.status == .ok && hearing.json["legal_deadline"] as? String == "2026-12-01")
            #expect(hearing.json["due_kind"] as? String == "legal")
            #expect(hearing.json["due_at"] as? String == "2026-11-30T16:00:00Z")
            let timeline = hearing.json["timeline"] as? [[String: Any]]
            #expect(timeline?.last?["action"] as? String == "legal_deadline_recorded")
            let cleared = try await DeskAPITests.call(client, .post, path, body: #"{"date":null}"#)
            #expect(cleared.json["due_kind"] as? String == "acceptance" && cleared.json["legal_deadline"] == nil)

            let badQuery = try await DeskAPITests.call(client, .get, "/api/v1/cases?overdue=yes")
            #expect(badQuery.status == .badRequest)
            let badHours = try await DeskAPITests.call(client, .get, "/api/v1/cases?due_within_hours=-1")
            #expect(badHours.status == .badRequest)
        }
    }
}
