import Foundation
import Testing
import WeiquanCore
import WeiquanStore
import WeiquanTestSupport

@testable import WeiquanServer

/// The evidence worker against the fake WeChat media endpoint: what is kept, what fails and why, what is retried,
/// and on several instances who fetches.
@Suite struct EvidenceWorkerTests {
    static func jobs(_ store: any DocumentStore) async throws -> [EvidenceJob] {
        try await store.all(EvidenceJob.self)
    }

    @Test func picturesOfAFiledCaseAreFetchedHashedAndRecordedOnTheCase() async throws {
        let server = try await FakeWeChatAPIServer.start()
        server.addMedia("MEDIA_one", contentType: "image/jpeg", bytes: EvidenceSamples.jpeg)
        server.addMedia("MEDIA_two", contentType: "image/png; charset=binary", bytes: EvidenceSamples.png)
        let store = ObservedStore()
        let blobs = MemoryBlobStore()
        let instance = try await EvidenceInstance(
            store: store, blobs: blobs, server: server, clock: ManualClock(startDate: DeskHarness.mondayMorning))
        instance.start()
        let filed = try await instance.file("user-pictures", media: ["MEDIA_one", "MEDIA_two"], first: 100)
        #expect(filed.attachments == ["MEDIA_one", "MEDIA_two"])
        try await store.waitUntil("both pictures are fetched") {
            try await Self.jobs(store).filter(\.isFinished).count == 2
        }
        let record = try #require(try await store.get(CaseRecord.self, id: filed.id.rawValue))
        #expect(record.evidence.map(\.status) == [.fetched, .fetched])
        #expect(record.evidence.map(\.sha256) == [EvidenceSamples.jpegSHA256, EvidenceSamples.pngSHA256])
        #expect(record.evidence.map(\.contentType) == ["image/jpeg", "image/png"])
        #expect(record.evidence.map(\.size) == [EvidenceSamples.jpeg.count, EvidenceSamples.png.count])
        #expect(try await blobs.get(sha256: EvidenceSamples.jpegSHA256) == EvidenceSamples.jpeg)
        #expect(try await blobs.get(sha256: EvidenceSamples.pngSHA256) == EvidenceSamples.png)
        // One token, one request per picture, the media id asked for as sent.
        #expect(server.tokenRequests.count == 1)
        #expect(server.mediaRequests.map { $0.query["media_id"] } == ["MEDIA_one", "MEDIA_two"])
        #expect(server.mediaRequests.allSatisfy { $0.query["access_token"] == "token-1" })
        await instance.stop()
        await server.stop()
    }

    @Test func tooLargeWrongTypeAndExpiredFailWithTheirReasonAndATransientErrorIsRetried() async throws {
        let server = try await FakeWeChatAPIServer.start()
        server.addMedia("MEDIA_big", contentType: "image/jpeg", bytes: Array(repeating: 1, count: 5_000))
        server.addMedia("MEDIA_page", contentType: "text/html", bytes: Array("<html></html>".utf8))
        // MEDIA_gone is not there: WeChat answers 40007, as for media older than 3 days.
        server.addMedia("MEDIA_late", contentType: "image/jpeg", bytes: EvidenceSamples.jpeg)
        server.scriptMedia(.ok, .ok, .ok, .http(500))
        let store = ObservedStore()
        let clock = ManualClock(startDate: DeskHarness.mondayMorning)
        let instance = try await EvidenceInstance(
            store: store, blobs: MemoryBlobStore(), server: server, clock: clock,
            settings: EvidenceSettings(maxBytes: 4_000))
        instance.start()
        let filed = try await instance.file(
            "user-failures", media: ["MEDIA_big", "MEDIA_page", "MEDIA_gone", "MEDIA_late"], first: 200)
        try await store.waitUntil("three failed, the last is to be retried") {
            let jobs = try await Self.jobs(store)
            return jobs.filter(\.isFinished).count == 3 && jobs.contains { $0.number == 4 && $0.attempts == 1 }
        }
        let late = try #require(try await Self.jobs(store).first { $0.number == 4 })
        #expect(late.status == .pending && late.code == -500)
        // The back-off: one second on the worker's clock, then the second attempt gets the picture.
        try await clock.waitForSleepers(1)
        #expect(clock.pendingSleeps.count == 1 && clock.pendingSleeps[0] <= .seconds(1))
        clock.advance(by: .seconds(2))
        try await store.waitUntil("the late picture is fetched") {
            try await Self.jobs(store).allSatisfy(\.isFinished)
        }
        let record = try #require(try await store.get(CaseRecord.self, id: filed.id.rawValue))
        #expect(record.evidence.map(\.number) == [1, 2, 3, 4])
        #expect(record.evidence.map(\.status) == [.failed, .failed, .failed, .fetched])
        #expect(record.evidence.map(\.reason) == [.tooLarge, .contentType, .expired, nil])
        #expect(record.evidence[1].contentType == "text/html")
        #expect(record.evidence[2].code == 40007)
        #expect(record.evidence[3].sha256 == EvidenceSamples.jpegSHA256)
        #expect(server.mediaRequests.count == 5)
        await instance.stop()
        await server.stop()
    }

    @Test func aRefusedTokenIsRefreshedOnceAndTheMediaFetchedWithTheNewOne() async throws {
        let server = try await FakeWeChatAPIServer.start()
        server.addMedia("MEDIA_one", contentType: "image/jpeg", bytes: EvidenceSamples.jpeg)
        server.scriptMedia(.errcode(40001))
        let store = ObservedStore()
        let instance = try await EvidenceInstance(
            store: store, blobs: MemoryBlobStore(), server: server,
            clock: ManualClock(startDate: DeskHarness.mondayMorning))
        instance.start()
        _ = try await instance.file("user-token", media: ["MEDIA_one"], first: 300)
        try await store.waitUntil("fetched") { try await Self.jobs(store).allSatisfy(\.isFinished) }
        #expect(try await Self.jobs(store).map(\.status) == [.fetched])
        #expect(server.mediaRequests.map { $0.query["access_token"] } == ["token-1", "token-2"])
        await instance.stop()
        await server.stop()
    }

    @Test func onTwoInstancesOnlyTheOutboxHolderFetchesWithItsOwnToken() async throws {
        let server = try await FakeWeChatAPIServer.start()
        server.addMedia("MEDIA_one", contentType: "image/jpeg", bytes: EvidenceSamples.jpeg)
        server.addMedia("MEDIA_two", contentType: "image/png", bytes: EvidenceSamples.png)
        let cluster = ClusterTwin()
        let blobs = MemoryBlobStore()
        let clock = ManualClock(startDate: DeskHarness.mondayMorning)
        let a = try await EvidenceInstance(
            store: cluster.member("a").store, coordination: cluster.member("a").coordination, blobs: blobs,
            server: server, clock: clock, name: "a")
        let b = try await EvidenceInstance(
            store: cluster.member("b").store, coordination: cluster.member("b").coordination, blobs: blobs,
            server: server, clock: clock, name: "b")
        a.start()
        try await cluster.waitForRole(Outbox.role, heldBy: "a")
        b.start()
        try await cluster.waitForWaiters(Outbox.role, ["b"])
        // Filed on the instance that does not fetch: the holder hears of the jobs and fetches them.
        let filed = try await b.file("user-cluster", media: ["MEDIA_one", "MEDIA_two"], first: 400)
        try await cluster.waitUntilStored("both fetched") {
            let record = try await cluster.store.get(CaseRecord.self, id: filed.id.rawValue)
            return record?.evidence.map(\.status) == [.fetched, .fetched]
        }
        #expect(server.tokenRequests.count == 1)
        #expect(server.mediaRequests.count == 2)
        #expect(try await blobs.get(sha256: EvidenceSamples.pngSHA256) == EvidenceSamples.png)
        // The role passes to b: nothing is left to fetch, and nothing is fetched twice.
        cluster.revoke(Outbox.role)
        try await cluster.waitForRole(Outbox.role, heldBy: "b")
        let second = try await a.file("user-cluster-2", media: ["MEDIA_two"], first: 500)
        try await cluster.waitUntilStored("fetched by b") {
            try await cluster.store.get(EvidenceJob.self, id: EvidenceJob.id(second.id, 1))?.isFinished == true
        }
        #expect(server.mediaRequests.count == 3)
        #expect(server.tokenRequests.count == 2, "b fetched a token of its own once it held the role")
        await a.stop()
        await b.stop()
        await server.stop()
    }
}
