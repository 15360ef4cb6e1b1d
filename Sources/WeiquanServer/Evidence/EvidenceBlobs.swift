import WeiquanCore
import WeiquanStore

/// The blobs the service's documents refer to: the evidence fetched for cases, by the SHA-256 of its bytes.
public enum EvidenceBlobs {
    /// Every blob key the cases and the evidence jobs of `store` name, sorted, each once.
    public static func keys(in store: any DocumentStore) async throws -> [String] {
        var keys: Set<String> = []
        for record in try await store.all(CaseRecord.self) {
            keys.formUnion(record.evidence.compactMap(\.sha256))
        }
        for job in try await store.all(EvidenceJob.self) {
            if let sha256 = job.sha256 { keys.insert(sha256) }
        }
        return keys.sorted()
    }
}
