import Crypto
import Foundation
import Logging
import Synchronization
import WeiquanCore
import WeiquanStore

/// Fetches the media evidence of filed cases from WeChat's temporary media API into the ``BlobStore``, performing
/// what ``EvidenceStateMachine`` decides, and writes each result with the case's annotation.
///
/// **Where it runs.** Only beside the outbox's delivery (``Outbox/whileDelivering(_:)``): one instance at a time
/// across instances (the holder of ``Outbox/role``), and with the outbox's ``AccessTokenManager``, because a second
/// fetcher of the account's token would invalidate the outbox's (WeChat keeps one token per account). A term starts
/// by reading every unfinished job from the store; new jobs come in from this instance's conversation service
/// (``created(_:)``) and from the other instances' writes (``Coordination/changes()``); while idle it reads the
/// collection again every ``rescanInterval``, in case word of a job was missed.
///
/// **Safe to overlap.** A result is written in the applicant's lane and lock (one writer of the case across
/// instances) on fresh copies of the job and the case, and not at all when the job was finished meanwhile; the bytes
/// are keyed by their hash, so a second download of the same media stores nothing new. A download cut off by the end
/// of a term (the role lost, shutdown) records nothing and is made again by the next holder.
final class EvidenceWorker: Sendable {
    let service: ConversationService
    let blobs: any BlobStore
    let api: any WeChatMediaAPI
    let tokens: AccessTokenManager
    let settings: EvidenceSettings
    let clock: @Sendable () -> Date
    let timerClock: any Clock<Duration>
    let rescanInterval: Duration
    let logger: Logger
    let machine: Mutex<EvidenceStateMachine>
    /// True during a term of work: only then are jobs made here taken in (a term starts by reading them all).
    private let working = Mutex(false)
    private let wakeup = Wakeup()

    var store: any DocumentStore { self.service.store }
    var coordination: any Coordination { self.service.coordination }

    init(
        service: ConversationService, blobs: any BlobStore, api: any WeChatMediaAPI, tokens: AccessTokenManager,
        settings: EvidenceSettings, clock: @escaping @Sendable () -> Date, timerClock: any Clock<Duration>,
        rescanInterval: Duration = .seconds(600), logger: Logger
    ) {
        self.service = service
        self.blobs = blobs
        self.api = api
        self.tokens = tokens
        self.settings = settings
        self.clock = clock
        self.timerClock = timerClock
        self.rescanInterval = rescanInterval
        self.logger = logger
        self.machine = Mutex(EvidenceStateMachine(settings: settings))
    }

    /// Jobs this instance just wrote (with their cases): fetched soon if this instance is working.
    func created(_ jobs: [EvidenceJob]) {
        guard !jobs.isEmpty, self.working.withLock({ $0 }) else { return }
        self.machine.withLock { machine in
            for job in jobs { machine.ingest(job) }
        }
        self.wakeup.signal()
    }

    /// One term of work; returns when cancelled.
    func work() async {
        // Subscribed before anything is read, so that no job written elsewhere falls in between.
        let changes = self.coordination.isSingleInstance ? nil : self.coordination.changes()
        self.working.withLock { $0 = true }
        defer { self.working.withLock { $0 = false } }
        await withDiscardingTaskGroup { group in
            if let changes {
                group.addTask { await self.follow(changes) }
            }
            group.addTask { await self.run() }
        }
    }

    private func run() async {
        var loaded = await self.reload()
        while !Task.isCancelled {
            if !loaded {
                _ = await self.wakeup.wait(atMost: self.rescanInterval, clock: self.timerClock)
                loaded = await self.reload()
                continue
            }
            let now = self.clock()
            switch self.machine.withLock({ $0.next(at: now) }) {
            case .idle:
                if await !self.wakeup.wait(atMost: self.rescanInterval, clock: self.timerClock) {
                    loaded = await self.reload()
                }
            case .wait(let pause):
                _ = await self.wakeup.wait(atMost: pause, clock: self.timerClock)
            case .fetch(let job):
                await self.attempt(job)
            }
        }
    }

    /// Reads every job again; false when the store could not be read.
    private func reload() async -> Bool {
        do {
            let jobs = try await self.store.all(EvidenceJob.self)
            self.machine.withLock { $0.reload(jobs) }
            return true
        } catch {
            if !Task.isCancelled {
                self.logger.warning("evidence could not read its jobs", metadata: ["error": "\(error)"])
            }
            return false
        }
    }

    /// Takes in the jobs other instances write.
    private func follow(_ changes: AsyncStream<CoordinationEvent>) async {
        for await event in changes {
            switch event {
            case .changed(let keys):
                let ids = keys.filter { $0.collection == EvidenceJob.collection }.map(\.id)
                for id in ids {
                    guard let job = try? await self.store.get(EvidenceJob.self, id: id) else { continue }
                    self.machine.withLock { $0.ingest(job) }
                }
                if !ids.isEmpty { self.wakeup.signal() }
            case .resync:
                if await self.reload() { self.wakeup.signal() }
            }
        }
    }

    // MARK: - One attempt

    private func attempt(_ job: EvidenceJob) async {
        let token: String
        do {
            token = try await self.tokens.token()
            self.machine.withLock { $0.tokenFetched() }
        } catch {
            if Task.isCancelled { return }
            let now = self.clock()
            self.machine.withLock { $0.tokenUnavailable(at: now) }
            return
        }
        let outcome: EvidenceStateMachine.Attempt
        var media: WeChatMedia?
        do {
            media = try await self.download(job.mediaID, token: token)
            let bytes = media?.bytes ?? []
            outcome = .received(
                contentType: media?.contentType ?? "", size: bytes.count, sha256: Self.sha256(bytes))
        } catch {
            if Task.isCancelled { return }
            outcome = .failed(
                error as? WeChatAPIError ?? WeChatAPIError(code: WeChatAPIError.transport, message: "\(error)"))
        }
        let now = self.clock()
        var result = self.machine.withLock { $0.attempted(job, outcome, at: now) }
        if result.status == .fetched, let media, let sha256 = result.sha256 {
            do {
                try await self.blobs.put(media.bytes, sha256: sha256)
            } catch {
                if Task.isCancelled { return }
                self.logger.error(
                    "evidence could not store fetched media", metadata: ["job": "\(job.id)", "error": "\(error)"])
                result = self.machine.withLock { $0.attempted(job, .notStored, at: now) }
            }
        }
        self.logResult(result)
        await self.record(result, original: job)
    }

    /// The media, with one more try on a fresh token when WeChat refused the token.
    private func download(_ mediaID: String, token: String) async throws -> WeChatMedia {
        do {
            return try await self.api.media(mediaID, accessToken: token, maxBytes: self.settings.maxBytes)
        } catch let error as WeChatAPIError where error.isTokenExpired {
            await self.tokens.invalidate(token)
            let fresh = try await self.tokens.token()
            return try await self.api.media(mediaID, accessToken: fresh, maxBytes: self.settings.maxBytes)
        }
    }

    /// Writes the job, with the case's annotation once it is finished, in the applicant's lane and lock.
    private func record(_ job: EvidenceJob, original: EvidenceJob) async {
        let service = self.service
        do {
            let record = try await service.lanes.run(job.applicant) {
                try await service.exclusively(job.applicant) { try await self.write(job) }
            }
            if let record { service.takeIn([record]) }
        } catch {
            if !Task.isCancelled {
                self.logger.error(
                    "evidence could not record a result", metadata: ["job": "\(job.id)", "error": "\(error)"])
            }
            let now = self.clock()
            self.machine.withLock { $0.notRecorded(original, at: now) }
        }
    }

    private func write(_ job: EvidenceJob) async throws -> CaseRecord? {
        let stored = try await self.store.get(EvidenceJob.self, id: job.id)
        guard let stored else {
            // The applicant's data was erased meanwhile (the job went with it): nothing is recorded, and the bytes
            // just fetched go too unless another case refers to them.
            self.machine.withLock { $0.forget(job.id) }
            if let sha256 = job.sha256 {
                await PrivacyService(service: self.service, blobs: self.blobs, logger: self.logger)
                    .deleteUnreferenced([sha256])
            }
            return nil
        }
        if stored.isFinished {
            // Finished by an overlapping term of another instance: that result stands.
            self.machine.withLock { $0.ingest(stored) }
            return nil
        }
        var changes = [try DocumentChange.put(job)]
        var annotated: CaseRecord?
        if job.isFinished, var record = try await self.store.get(CaseRecord.self, id: job.caseID.rawValue) {
            record.recordEvidence(job.annotation)
            changes.append(try .put(record))
            annotated = record
        }
        try await self.store.write(changes)
        return annotated
    }

    /// The lowercase hex of the bytes' SHA-256.
    static func sha256(_ bytes: [UInt8]) -> String {
        BlobKey.hex(SHA256.hash(data: bytes))
    }

    private func logResult(_ job: EvidenceJob) {
        var metadata: Logger.Metadata = ["job": "\(job.id)", "status": "\(job.status.rawValue)"]
        if let reason = job.reason { metadata["reason"] = "\(reason.rawValue)" }
        if let code = job.code { metadata["code"] = "\(code)" }
        if job.status == .failed {
            self.logger.warning("evidence could not be kept", metadata: metadata)
        } else {
            self.logger.info("evidence attempt", metadata: metadata)
        }
    }
}
