import Foundation
import Logging
import Synchronization
import WeiquanCore
import WeiquanFiles
import WeiquanStore
import WeiquanTestSupport

@testable import WeiquanServer

/// Pictures as an applicant would send them, with their SHA-256 computed independently (Python's hashlib).
enum EvidenceSamples {
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + (0..<3000).map { UInt8($0 % 256) } + [0xFF, 0xD9]
    static let jpegSHA256 = "ad52939adbc135c2ea156cda3f7aebbd9d60803a752367d66b8b81f552b7df30"
    static let png: [UInt8] =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<5000).map { UInt8(($0 * 7) % 256) }
    static let pngSHA256 = "af9087dfc59f92df2a778bccd2764d46d9d617ed0c9b5d44e1153d9d3a567e0a"

    /// The aid request's answers with pictures sent while the form is open (after the applicant's name).
    static func aidRequest(media: [String]) -> [ConversationEvent] {
        let answers = ConversationClusterTests.aidRequest.map { ConversationEvent.text($0) }
        return Array(answers.prefix(4)) + media.map { .media(kind: "image", reference: $0) } + answers.dropFirst(4)
    }
}

/// One instance for the evidence's tests: a conversation service, an outbox (not sending anything here) and the
/// evidence worker beside its delivery, wired as `EvidenceFeature` does, over `store` and `coordination`.
///
/// Only the worker sleeps on `clock` (its back-offs and idle waits); the conversation service's timers and the API's
/// request timeouts run on clocks of their own that never move, so a test that waits for a sleeper on `clock` waits
/// for the worker.
final class EvidenceInstance: Sendable {
    let service: ConversationService
    let outbox: Outbox
    let worker: EvidenceWorker
    let blobs: any BlobStore
    private let runner = Mutex<Task<Void, any Error>?>(nil)

    init(
        store: any DocumentStore, coordination: any Coordination = InProcessCoordination(), blobs: any BlobStore,
        server: FakeWeChatAPIServer, clock: ManualClock, settings: EvidenceSettings = EvidenceSettings(),
        name: String = "a"
    ) async throws {
        var logger = Logger(label: "evidence-test-\(name)")
        logger.logLevel = .critical
        let api = HTTPWeChatAPI(baseURL: server.baseURL, clock: ManualClock())
        let tokens = AccessTokenManager(
            api: api, appID: server.appID, secret: server.secret, clock: clock, logger: logger)
        self.outbox = try await Outbox(
            store: store, api: api, tokens: tokens, clock: clock.wallClock, timerClock: clock,
            coordination: coordination, logger: logger)
        self.service = try await ConversationService(
            machine: TestServer.data.makeMachine(), store: store, outbound: self.outbox, coordination: coordination,
            clock: clock.wallClock, timerClock: ManualClock(), logger: logger)
        self.blobs = blobs
        self.worker = EvidenceWorker(
            service: self.service, blobs: blobs, api: api, tokens: tokens, settings: settings,
            clock: clock.wallClock, timerClock: clock, logger: logger)
        let worker = self.worker
        self.service.evidenceCreated.withLock { $0 = { worker.created($0) } }
        self.outbox.whileDelivering { await worker.work() }
    }

    func start() {
        let outbox = self.outbox
        self.runner.withLock { $0 = Task { try await outbox.run() } }
    }

    func stop() async {
        let task = self.runner.withLock { $0 }
        task?.cancel()
        _ = try? await task?.value
    }

    /// Files an aid request with `media` sent during the form; returns the case.
    func file(_ applicant: ApplicantID, media: [String], first id: Int) async throws -> CaseRecord {
        for (index, event) in EvidenceSamples.aidRequest(media: media).enumerated() {
            _ = await self.service.handle(event, applicant: applicant, key: "msg:\(id + index)")
        }
        let cases = try await self.service.store.all(CaseRecord.self).filter { $0.applicant == applicant }
        guard let record = cases.last else { throw EvidenceTestError.notFiled }
        return record
    }

    enum EvidenceTestError: Error { case notFiled }
}

extension ObservedStore: BlobStoreProviding {
    var blobs: any BlobStore { (self.inner as? any BlobStoreProviding)?.blobs ?? MemoryBlobStore() }
}
