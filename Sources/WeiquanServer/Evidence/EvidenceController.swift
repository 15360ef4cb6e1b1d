import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WeiquanCore
import WeiquanStore

/// `/api/v1/cases/{id}/evidence`: what became of each piece of media evidence of a case, and
/// `/api/v1/cases/{id}/evidence/{n}`: the bytes of the `n`th, with their content type. Who may see the case may see
/// its evidence (``CaseService/visibleCase(_:_:)``); every download is audited.
struct EvidenceController: Sendable {
    let cases: CaseService
    let blobs: any BlobStore
    let tokens: TokenRegistry

    var store: any DocumentStore { self.cases.store }

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        let api = DeskController.api(router, tokens: self.tokens)
        api.get("cases/:id/evidence") { _, context -> EvidenceListing in
            let record = try await self.cases.visibleCase(context.staff(), Self.caseID(context))
            let keys = record.mediaAttachments.map {
                DocumentKey(collection: EvidenceJob.collection, id: EvidenceJob.id(record.id, $0.number))
            }
            let found = try await self.store.documents(keys)
            let jobs = try keys.compactMap { key in
                try found[key].map { try StoreCoding.decode(EvidenceJob.self, key: key, from: $0) }
            }
            return EvidenceListing(evidence: jobs.map(EvidenceListing.Item.init))
        }
        api.get("cases/:id/evidence/:n") { _, context -> Response in
            let who = try context.staff()
            let record = try await self.cases.visibleCase(who, Self.caseID(context))
            let text = context.parameters.get("n") ?? ""
            guard let number = Int(text), number > 0,
                let job = try await self.store.get(EvidenceJob.self, id: EvidenceJob.id(record.id, number))
            else {
                throw DeskError.notFound("evidence \(text) of case '\(record.id)'")
            }
            let bytes = try await self.bytes(of: job)
            try await self.store.put(
                AuditEvent(
                    id: self.cases.service.makeID(), at: self.cases.service.clock(), actor: who.name,
                    action: .caseViewed, conversation: record.applicant, caseID: record.id,
                    detail: "evidence=\(number)"))
            var headers: HTTPFields = [
                .contentType: job.contentType ?? "application/octet-stream",
                .contentDisposition: "attachment; filename=\"\(job.id)\"",
                .eTag: "\"\(job.sha256 ?? "")\"",
            ]
            if let noSniff = HTTPField.Name("X-Content-Type-Options") { headers[noSniff] = "nosniff" }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    /// The kept bytes of a fetched job; a desk error saying why there are none otherwise.
    private func bytes(of job: EvidenceJob) async throws -> [UInt8] {
        switch job.status {
        case .pending:
            throw DeskError.conflict("evidence_pending", "evidence \(job.number) has not been fetched yet")
        case .failed:
            throw DeskError(
                "evidence_failed",
                "evidence \(job.number) could not be kept: \(job.reason?.rawValue ?? "unknown")", status: .gone)
        case .fetched:
            guard let sha256 = job.sha256, let bytes = try await self.blobs.get(sha256: sha256) else {
                throw DeskError(
                    "evidence_missing", "the bytes of evidence \(job.number) are not in the store",
                    status: .internalServerError)
            }
            return bytes
        }
    }

    static func caseID(_ context: DeskRequestContext) throws -> CaseID {
        guard let text = context.parameters.get("id"), let id = CaseID(rawValue: text) else {
            throw DeskError.notFound("case '\(context.parameters.get("id") ?? "")'")
        }
        return id
    }
}

/// The answer of `GET /api/v1/cases/{id}/evidence`.
struct EvidenceListing: ResponseEncodable {
    struct Item: Encodable {
        var number: Int
        var status: CaseEvidence.Status
        var attempts: Int
        var contentType: String?
        var size: Int?
        var sha256: String?
        var reason: CaseEvidence.FailureReason?
        var code: Int?
        var finishedAt: Date?

        init(_ job: EvidenceJob) {
            self.number = job.number
            self.status = job.status
            self.attempts = job.attempts
            self.contentType = job.contentType
            self.size = job.size
            self.sha256 = job.sha256
            self.reason = job.reason
            self.code = job.code
            self.finishedAt = job.finishedAt
        }

        enum CodingKeys: String, CodingKey {
            case number, status, attempts, size, sha256, reason, code
            case contentType = "content_type"
            case finishedAt = "finished_at"
        }
    }

    var evidence: [Item]
}
