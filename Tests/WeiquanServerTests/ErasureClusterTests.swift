import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// An erasure across two instances on one store (``ConversationClusterTests/withTwoInstances(on:_:)``: the twin and
/// PostgreSQL): filed on one, requested and confirmed on the other, nothing of the applicant left but the pseudonym.
@Suite struct ErasureClusterTests {
    @Test(arguments: ConversationClusterTests.Backend.available)
    func anErasureConfirmedOnOneInstanceTakesTheCaseFiledOnTheOther(
        _ backend: ConversationClusterTests.Backend
    ) async throws {
        let store = try await ConversationClusterTests.withTwoInstances(on: backend) { a, b in
            let id = try await CasesAPITests.file(a, user: "user-gone", first: 100)
            // Asked on the other instance right after filing (its memory may not know the case yet).
            _ = try await ErasureAPITests.requestErasure(b, user: "user-gone", first: 200)
            let request = try #require(try await ErasureAPITests.pending(a).first?["id"] as? String)
            let done = try await DeskAPITests.call(b, .post, "/api/v1/erasures/\(request)/confirm")
            #expect(done.status == .ok && done.json["cases_anonymised"] as? Int == 1, "\(done.body)")
            // Both instances refuse a second decision, and staff still find the case, without the person.
            #expect(try await DeskAPITests.call(a, .post, "/api/v1/erasures/\(request)/confirm").status == .conflict)
            let detail = try await DeskAPITests.call(a, .get, "/api/v1/cases/\(id)")
            #expect(detail.status == .ok && !detail.body.contains("user-gone"))
        }
        let record = try #require(try await store.all(CaseRecord.self).first)
        #expect(record.isAnonymised && record.applicant.isErased && record.status == .withdrawn)
        #expect(try await store.get(Conversation.self, id: "user-gone") == nil)
        #expect(try await store.all(ErasureRequest.self).map(\.status) == [.done])
    }
}
