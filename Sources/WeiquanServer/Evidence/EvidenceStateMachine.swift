import Foundation
import WeiquanCore

/// The evidence worker's decisions as a pure state machine, like ``OutboxStateMachine``: the ``EvidenceWorker`` feeds
/// it events (jobs read or written elsewhere, an attempt's result, the token endpoint failing) and performs the
/// actions it returns (fetch this job, wait this long, wait for word of new jobs). No I/O, no clock, no task: the
/// time comes in with the events.
///
/// **Rules.** Jobs are fetched one at a time, the one due first (oldest first among those due). An attempt ends:
/// - fetched, when the media is within `evidence.max_bytes` and its type on `evidence.content_types`; else failed
///   `too_large` or `content_type` (not retried: the same media would come again);
/// - failed `expired` on 40007 (the media id is invalid or WeChat forgot it);
/// - retried after a back-off (1 s, ×2, at most 5 min) on transient errors (-1, timeouts, transport, HTTP 5xx) and a
///   token refused twice, or when the result could not be stored; after `evidence.max_attempts` such attempts
///   failed `unreachable`;
/// - failed `rejected` with the code on any other error code.
/// The token endpoint failing is nobody's job's fault: every job waits with a back-off of its own, attempts untouched.
package struct EvidenceStateMachine {
    /// What the worker does next.
    package enum Action: Equatable {
        /// Fetch this job's media.
        case fetch(EvidenceJob)
        /// Wait this long (a back-off), or until word of a new job, then ask again.
        case wait(Duration)
        /// Nothing to do: wait for word of a new job.
        case idle
    }

    /// How one attempt ended.
    package enum Attempt: Equatable {
        /// WeChat sent media of this type and size, with this SHA-256.
        case received(contentType: String, size: Int, sha256: String)
        /// The media API (or the token, refused twice) failed with this error.
        case failed(WeChatAPIError)
        /// Fetched, but the bytes or the result could not be stored (code: a local one).
        case notStored
    }

    package let settings: EvidenceSettings
    package let backoff: OutboxRetryPolicy
    /// The unfinished jobs, by id.
    package private(set) var pending: [String: EvidenceJob] = [:]
    /// Consecutive failures of the token endpoint.
    package private(set) var tokenFailures = 0
    private var tokenRetryAt: Date?

    package init(settings: EvidenceSettings) {
        self.settings = settings
        self.backoff = OutboxRetryPolicy(maxAttempts: settings.maxAttempts)
    }

    // MARK: - Jobs in

    /// Every job as stored (a new term of work, or word may have been missed): the unfinished ones are the work.
    package mutating func reload(_ jobs: [EvidenceJob]) {
        self.pending = Dictionary(uniqueKeysWithValues: jobs.filter { !$0.isFinished }.map { ($0.id, $0) })
    }

    /// A stored version of a job (created with a case, here or elsewhere; or written again): an unfinished one is
    /// work unless a copy with more attempts is known; a finished one leaves the work.
    package mutating func ingest(_ job: EvidenceJob) {
        if job.isFinished {
            self.pending[job.id] = nil
        } else if let known = self.pending[job.id], known.attempts > job.attempts {
            return
        } else {
            self.pending[job.id] = job
        }
    }

    /// A job deleted from the store (its applicant's data erased): no more work.
    package mutating func forget(_ id: String) {
        self.pending[id] = nil
    }

    // MARK: - What next

    /// The next step at `now`.
    package func next(at now: Date) -> Action {
        if let retry = self.tokenRetryAt, retry > now {
            return .wait(.seconds(retry.timeIntervalSince(now)))
        }
        let first = self.pending.values.min { a, b in
            (a.dueAt ?? .distantPast, a.createdAt, a.id) < (b.dueAt ?? .distantPast, b.createdAt, b.id)
        }
        guard let job = first else { return .idle }
        if let due = job.dueAt, due > now {
            return .wait(.seconds(due.timeIntervalSince(now)))
        }
        return .fetch(job)
    }

    // MARK: - Results

    /// The token endpoint answered.
    package mutating func tokenFetched() {
        self.tokenFailures = 0
        self.tokenRetryAt = nil
    }

    /// The token endpoint failed: every job waits.
    package mutating func tokenUnavailable(at now: Date) {
        self.tokenFailures += 1
        self.tokenRetryAt = now.addingTimeInterval(self.backoff.delay(afterAttempts: self.tokenFailures).inSeconds)
    }

    /// An attempt at `job` ended: returns the job as it is now, to be stored (with the case's annotation once it is
    /// finished).
    package mutating func attempted(_ job: EvidenceJob, _ attempt: Attempt, at now: Date) -> EvidenceJob {
        var job = job
        switch attempt {
        case .received(let contentType, let size, let sha256):
            job.contentType = EvidenceSettings.mediaType(contentType)
            job.size = size
            if size > self.settings.maxBytes {
                Self.fail(&job, .tooLarge, code: WeChatAPIError.tooLarge, at: now)
            } else if !self.settings.allows(contentType) {
                Self.fail(&job, .contentType, code: nil, at: now)
            } else {
                job.status = .fetched
                job.sha256 = sha256
                job.reason = nil
                job.code = nil
                job.dueAt = nil
                job.finishedAt = now
            }
        case .failed(let error):
            if error.code == 40007 {
                Self.fail(&job, .expired, code: error.code, at: now)
            } else if error.code == WeChatAPIError.tooLarge {
                Self.fail(&job, .tooLarge, code: error.code, at: now)
            } else if error.isTransient || error.isTokenExpired {
                self.retry(&job, code: error.code, at: now)
            } else {
                Self.fail(&job, .rejected, code: error.code, at: now)
            }
        case .notStored:
            self.retry(&job, code: nil, at: now)
        }
        self.ingest(job)
        return job
    }

    /// The result of an attempt at `original` could not be stored: it stays pending as it was, tried again after a
    /// pause.
    package mutating func notRecorded(_ original: EvidenceJob, at now: Date) {
        var job = original
        job.dueAt = now.addingTimeInterval(self.backoff.delay(afterAttempts: max(1, job.attempts)).inSeconds)
        self.pending[job.id] = job
    }

    private mutating func retry(_ job: inout EvidenceJob, code: Int?, at now: Date) {
        job.attempts += 1
        job.code = code
        if job.attempts >= self.backoff.maxAttempts {
            Self.fail(&job, .unreachable, code: code, at: now)
        } else {
            job.dueAt = now.addingTimeInterval(self.backoff.delay(afterAttempts: job.attempts).inSeconds)
        }
    }

    private static func fail(
        _ job: inout EvidenceJob, _ reason: CaseEvidence.FailureReason, code: Int?, at now: Date
    ) {
        job.status = .failed
        job.reason = reason
        job.code = code
        job.dueAt = nil
        job.finishedAt = now
    }
}
