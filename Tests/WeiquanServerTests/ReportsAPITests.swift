import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// `GET /api/v1/reports`: who may report on which unit, the query's checks, and JSON and CSV answers. The figures
/// themselves are the core's (`CaseReportTests`).
@Suite struct ReportsAPITests {
    static let nanning = StaffIdentity(name: "nanning-1", role: .staff, unit: "nanning")

    /// The desk's tokens and a staff member of Nanning.
    static let tokens = TokenRegistry(
        tokens: [DeskHarness.staff1, DeskHarness.liuzhou, DeskHarness.admin, DeskHarness.volunteer, nanning].map {
            who in
            StoredToken(
                name: who.name, role: who.role, unit: who.unit, hash: TokenRegistry.hash("token-\(who.name)"),
                createdAt: DeskHarness.mondayMorning)
        })

    /// One aid request in March 2026 at each of Nanning, its workstation and Liuzhou.
    static func store() async throws -> MemoryDocumentStore {
        let store = MemoryDocumentStore()
        let march = Date(timeIntervalSince1970: 1_772_413_200)  // 2026-03-02 09:00 Shanghai
        let units: [UnitID] = ["nanning", "nanning-hightech-ws", "liuzhou"]
        for (index, unit) in units.enumerated() {
            var record = CaseRecord(
                id: CaseID(year: 2026, month: 3, day: 2, sequence: index + 1)!, kind: .aidRequest,
                applicant: ApplicantID("user-\(index)"), createdAt: march, unit: unit,
                fields: ["ip_type": "patent", "services": "ecommerce", "name": "=cmd|' /C calc'!A0"], consent: nil)
            try record.apply(.accept, by: "desk-1", at: march + 3600)
            try await store.put(record)
        }
        return store
    }

    static func application(_ store: MemoryDocumentStore) async throws -> some ApplicationProtocol {
        try await WeiquanApplication.build(
            settings: try TestServer.settings(), data: TestServer.data, store: store, tokens: Self.tokens,
            clock: TestClock(DeskHarness.mondayMorning).function)
    }

    static let year = "/api/v1/reports?from=2026-01-01&to=2027-01-01"

    static func received(_ reply: DeskAPITests.Reply) -> Int? {
        (reply.json["totals"] as? [String: Any])?["received"] as? Int
    }

    @Test func staffReportOnTheirUnitAndTheUnitsBelowItOnly() async throws {
        let app = try await Self.application(try await Self.store())
        try await app.test(.router) { client in
            // Nanning's own: Nanning and its workstation.
            let own = try await DeskAPITests.call(client, .get, Self.year, token: "token-nanning-1")
            #expect(own.status == .ok && own.json["unit"] as? String == "nanning" && Self.received(own) == 2)
            let station = try await DeskAPITests.call(
                client, .get, Self.year + "&unit=nanning-hightech-ws", token: "token-nanning-1")
            #expect(station.status == .ok && Self.received(station) == 1)
            // Liuzhou's staff on Nanning; Nanning's on the centre above it.
            let other = try await DeskAPITests.call(client, .get, Self.year + "&unit=nanning", token: "token-liuzhou-1")
            #expect(other.status == .forbidden && DeskAPITests.errorCode(other) == "forbidden_unit")
            let above = try await DeskAPITests.call(client, .get, Self.year + "&unit=centre", token: "token-nanning-1")
            #expect(above.status == .forbidden && DeskAPITests.errorCode(above) == "forbidden_unit")
            // Volunteers: no reports.
            let volunteer = try await DeskAPITests.call(client, .get, Self.year, token: "token-vol-1")
            #expect(volunteer.status == .forbidden && DeskAPITests.errorCode(volunteer) == "forbidden_role")
            // No token.
            #expect(try await DeskAPITests.call(client, .get, Self.year, token: nil).status == .unauthorized)
            // Admins and staff of no unit: everything, or the unit asked for.
            let all = try await DeskAPITests.call(client, .get, Self.year, token: "token-admin")
            #expect(all.status == .ok && all.json["unit"] is NSNull && Self.received(all) == 3)
            let liuzhou = try await DeskAPITests.call(client, .get, Self.year + "&unit=liuzhou")
            #expect(liuzhou.status == .ok && Self.received(liuzhou) == 1)
        }
    }

    @Test func badQueriesAreRefused() async throws {
        let app = try await Self.application(try await Self.store())
        try await app.test(.router) { client in
            for query in [
                "from=2026-13-01&to=2027-01-01", "from=2026-01-01&to=2026-02-30", "from=2026-01-01",
                "from=yesterday&to=today", "from=2027-01-01&to=2026-01-01", "from=2026-01-01&to=2027-01-01&format=xml",
            ] {
                let reply = try await DeskAPITests.call(client, .get, "/api/v1/reports?\(query)")
                #expect(reply.status == .badRequest, "\(query)")
            }
            let invalid = try await DeskAPITests.call(client, .get, "/api/v1/reports?from=2026-1-1&to=2027-01-01")
            #expect(DeskAPITests.errorCode(invalid) == "invalid_date")
            let unknown = try await DeskAPITests.call(client, .get, Self.year + "&unit=atlantis")
            #expect(unknown.status == .notFound)
        }
    }

    @Test func csvComesAsTextCSVWithAByteOrderMark() async throws {
        let app = try await Self.application(try await Self.store())
        try await app.test(.router) { client in
            let reply = try await DeskAPITests.call(client, .get, Self.year + "&format=csv", token: "token-nanning-1")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(reply.headers[.contentDisposition]?.contains("report-2026-01-01-2027-01-01.csv") == true)
            #expect(reply.body.hasPrefix("\u{FEFF}unit,month,kind,ip_type,"))
            // Header, Nanning's row, the workstation's row, the totals.
            let lines = reply.body.split(separator: "\r\n")
            #expect(lines.count == 4)
            #expect(lines[1].hasPrefix("nanning,2026-03,aid_request,patent,1,1,0,"))
            #expect(lines[3].hasPrefix("total,,,,2,2,0,"))
        }
    }
}
