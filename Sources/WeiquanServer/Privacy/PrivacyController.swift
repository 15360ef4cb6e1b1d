import Foundation
import Hummingbird
import Synchronization
import WeiquanCore

/// `/api/v1/erasures`: the applicants' requests to delete their personal data (删除我的信息), and staff's decision.
///
/// - `GET /api/v1/erasures?status=pending|done|declined`: oldest first.
/// - `POST /api/v1/erasures/{id}/confirm`: carries it out (``PrivacyService/confirm(_:_:)``); 409
///   `erasure_decided` when it was decided already.
/// - `POST /api/v1/erasures/{id}/decline` with `{"reason": "…"}`: the applicant is told the reason.
///
/// Admins and staff of no unit; staff of a unit get 403 `forbidden_unit`, volunteers 403 `forbidden_role`.
struct PrivacyController: Sendable {
    let privacy: PrivacyService
    let tokens: TokenRegistry

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        let api = DeskController.api(router, tokens: self.tokens)
        api.get("erasures") { request, context in
            let status = try request.uri.queryParameters.get("status").map { text in
                guard let status = ErasureRequest.Status(rawValue: text) else {
                    throw DeskError.badRequest("unknown status '\(text)'; use pending, done or declined")
                }
                return status
            }
            let requests = try await self.privacy.requests(context.staff(), status: status)
            return ErasureListing(erasures: requests.map(self.view))
        }
        api.post("erasures/:id/confirm") { _, context in
            self.view(try await self.privacy.confirm(context.staff(), Self.id(context)))
        }
        api.post("erasures/:id/decline") { request, context in
            let body = try await request.decode(as: DeclineBody.self, context: context)
            return self.view(try await self.privacy.decline(context.staff(), Self.id(context), reason: body.reason))
        }
    }

    /// `{"reason": "…"}`: why, as the applicant is told.
    struct DeclineBody: Decodable {
        var reason: String
    }

    func view(_ request: ErasureRequest) -> ErasureView {
        let cases =
            request.status == .pending
            ? self.privacy.service.casesByApplicant.withLock { $0[request.applicant] ?? [] } : nil
        return ErasureView(request, cases: cases)
    }

    static func id(_ context: DeskRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty, id.utf8.count <= 100 else {
            throw DeskError.notFound("erasure request '\(context.parameters.get("id") ?? "")'")
        }
        return id
    }
}
