import Foundation
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

@Suite struct CaseNumberingTests {
    @Test func aDayGoesOnPastNineThousandNineHundredNinetyNineCases() {
        let numbering = CaseNumbering(existing: ["WQ202611219998"])
        var ids: [String] = []
        for _ in 0..<3 {
            let id = CaseID.make(year: 2026, month: 11, day: 21, sequence: numbering.peek(day: "20261121"))
            numbering.observe(id)
            ids.append(id.rawValue)
        }
        #expect(ids == ["WQ202611219999", "WQ2026112110000", "WQ2026112110001"])
        // Word of an older id changes nothing; of a later one (another instance's), moves past it.
        numbering.observe("WQ2026112110000")
        #expect(numbering.peek(day: "20261121") == 10_002)
        numbering.observe("WQ2026112110005")
        #expect(numbering.peek(day: "20261121") == 10_006)
    }

    @Test func aRestartContinuesFromTheWidestSequenceOfEachDay() {
        let numbering = CaseNumbering(existing: [
            "WQ202611219999", "WQ2026112110000", "WQ202611210005", "WQ2026112110001",
            "WQ202611220003", "WQ2026112299999",
            // Not canonical case ids: skipped, not misread.
            "WQ2026112300100", "wq202611240009", "note",
        ])
        #expect(numbering.peek(day: "20261121") == 10_002)
        #expect(numbering.peek(day: "20261122") == 100_000)
        #expect(numbering.peek(day: "20261123") == 1)
        #expect(numbering.peek(day: "20261124") == 1)
    }

    /// The service reads the ids in its store when it starts: a day already past its 9,999th case goes on
    /// with the wide form.
    @Test func theServiceNumbersAfterWideIDsInItsStore() async throws {
        let store = MemoryDocumentStore()
        let filed = Date(timeIntervalSince1970: 1_795_222_000)
        for id: CaseID in ["WQ202611219999", "WQ2026112110000"] {
            try await store.put(
                CaseRecord(
                    id: id, kind: .aidRequest, applicant: "someone-else", createdAt: filed, unit: "nanning",
                    fields: [:], consent: nil
                )
            )
        }
        let app = try await TestServer.application(store: store)
        let confirmation = try await app.test(.router) { client in
            for (index, text) in WebhookRouteTests.aidAnswers.enumerated() {
                _ = try await client.say(text, id: 1 + index)
            }
            return try await client.say("1", id: 99)
        }
        #expect(confirmation.contains("WQ2026112110001"), "\(confirmation)")
        let record = try #require(try await store.get(CaseRecord.self, id: "WQ2026112110001"))
        #expect(record.applicant == "user-a")
        #expect(try await store.all(CaseRecord.self).count == 3)
    }
}
