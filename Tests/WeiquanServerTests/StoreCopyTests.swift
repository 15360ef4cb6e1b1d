import Foundation
import Testing
import WeiquanCore
import WeiquanServer
import WeiquanStore

/// `weiquan store copy`: every collection the service writes, from one store to another and back, checked by
/// reading both back.
@Suite struct StoreCopyTests {
    /// Every collection the service writes.
    static let collections = ["audit", "cases", "conversations", "dedupe", "handoffs", "outbox", "tokens"]

    /// A fresh temporary directory, removed afterwards.
    func withDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weiquan-copy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    /// A centre in use: an applicant handed to the desk and another chatting (conversations, handoffs,
    /// audit, dedupe), a case, a late answer in the outbox, and an active and a revoked token.
    func populate(_ store: any DocumentStore, tokens: any TokenStorage) async throws {
        let harness = try await DeskHarness(store: store)
        await harness.say("转人工", id: 1)
        await harness.say("你好", from: "user-b", id: 2)
        _ = try await harness.desk.claim(DeskHarness.staff1, try harness.handoff().id)
        // Whatever the service still writes in the background is written before anything is copied.
        await harness.service.settled()
        try await store.put(
            CaseRecord(
                id: "WQ202611230001", kind: .aidRequest, applicant: "user-b", createdAt: DeskHarness.mondayMorning,
                unit: "nanning", fields: ["phone": "13800138000", "facts": "商标被抢注，\"急\"\n第二行"], consent: nil
            )
        )
        try await store.put(
            OutboxMessage(
                id: "0000000000000001", applicant: "user-b", content: "迟到的回答", createdAt: DeskHarness.mondayMorning)
        )
        for name in ["desk-1", "desk-2"] {
            _ = try await TokenAdministration.create(
                name: name, role: .staff, unit: nil, directory: TokenRegistryTests.directory, in: tokens,
                now: DeskHarness.mondayMorning, secret: "wq_\(name)"
            )
        }
        _ = try await TokenAdministration.revoke(name: "desk-2", in: tokens, now: DeskHarness.mondayMorning + 60)
        for collection in Self.collections {
            #expect(try await store.count(collection: collection) > 0, "\(collection) is empty")
        }
    }

    /// A memory store with its tokens in its `tokens` collection (as PostgreSQL keeps them), populated.
    func populatedMemoryStore() async throws -> MemoryDocumentStore {
        let store = MemoryDocumentStore()
        try await self.populate(
            store, tokens: TokenCollection(store: store, coordination: InProcessCoordination(), storeDescription: "m"))
        return store
    }

    /// The embedded store of `directory` with its `tokens.json` as the `tokens` collection.
    func embedded(_ directory: URL, readOnly: Bool = false) async throws -> (FileDocumentStore, TokenFileOverlay) {
        let store =
            readOnly
            ? try await FileDocumentStore.openReadOnly(directory: directory)
            : try await FileDocumentStore.open(directory: directory)
        return (store, TokenFileOverlay(base: store, tokens: TokenFile(directory: directory)))
    }

    @Test func memoryToFileAndBackKeepsEveryDocument() async throws {
        let original = try await self.populatedMemoryStore()
        try await self.withDirectory { directory in
            let (file, overlay) = try await self.embedded(directory)
            let entries = try await StoreCopy(from: original, to: overlay, batchSize: 3).copy(
                collections: Self.collections, replacing: false)
            #expect(entries.map(\.collection) == Self.collections)
            #expect(entries.allSatisfy { $0.copied > 0 && $0.deleted == 0 })
            try await file.close()

            // Tokens went to tokens.json, where the embedded service reads them; not into the journal.
            let tokens = try TokenFile(directory: directory).load()
            #expect(tokens.map(\.name) == ["desk-1", "desk-2"])
            #expect(tokens.map(\.isActive) == [true, false])
            let (reopened, readBack) = try await self.embedded(directory, readOnly: true)
            #expect(try await reopened.count(collection: "tokens") == 0)
            let counts = try await StoreCopy(from: original, to: readBack).verify(collections: Self.collections)
            #expect(counts.map(\.collection) == Self.collections)
            for (collection, count) in counts {
                #expect(try await original.count(collection: collection) == count)
            }

            // And back into an empty memory store: the same documents, byte for byte.
            let back = MemoryDocumentStore()
            _ = try await StoreCopy(from: readBack, to: back).copy(collections: Self.collections, replacing: false)
            _ = try await StoreCopy(from: original, to: back).verify(collections: Self.collections)
            for collection in Self.collections {
                let before = try await original.documents(collection: collection)
                let after = try await back.documents(collection: collection)
                #expect(before.map(\.id) == after.map(\.id))
                #expect(before.map(\.json) == after.map(\.json), "\(collection)")
            }
            try await reopened.close()
        }
    }

    @Test func fileToFileKeepsEveryDocumentAndTheTokensFile() async throws {
        try await self.withDirectory { root in
            let from = root.appendingPathComponent("from")
            let to = root.appendingPathComponent("to")
            let (source, sourceCentre) = try await self.embedded(from)
            try await self.populate(sourceCentre, tokens: TokenFile(directory: from))
            let (destination, destinationCentre) = try await self.embedded(to)
            let copy = StoreCopy(from: sourceCentre, to: destinationCentre)
            _ = try await copy.copy(collections: Self.collections, replacing: false)
            _ = try await copy.verify(collections: Self.collections)
            #expect(try TokenFile(directory: to).load() == TokenFile(directory: from).load())
            // The copied service accepts the active token and refuses the revoked one.
            let registry = TokenRegistry(file: TokenFile(directory: to), logger: LogRecorder().logger)
            #expect(await registry.identity(bearer: "wq_desk-1")?.name == "desk-1")
            #expect(await registry.identity(bearer: "wq_desk-2") == nil)
            try await source.close()
            try await destination.close()
        }
    }

    @Test func theEvidenceBytesTheCasesReferToAreCopiedAndCheckedAndAMissingOneIsNamed() async throws {
        let source = MemoryDocumentStore()
        let (kept, lost) = (String(repeating: "ab", count: 32), String(repeating: "cd", count: 32))
        var record = CaseRecord(
            id: "WQ202611230001", kind: .aidRequest, applicant: "user-b", createdAt: DeskHarness.mondayMorning,
            unit: "nanning", fields: [:], attachments: ["MEDIA_1"], consent: nil)
        record.recordEvidence(
            CaseEvidence(
                number: 1, mediaID: "MEDIA_1", status: .fetched, contentType: "image/jpeg", size: 3, sha256: kept,
                at: DeskHarness.mondayMorning))
        try await source.put(record)
        try await source.blobs.put([1, 2, 3], sha256: kept)
        try await source.blobs.put([9], sha256: lost)
        #expect(try await EvidenceBlobs.keys(in: source) == [kept])

        let destination = MemoryDocumentStore()
        let copy = StoreCopy(from: source, to: destination)
        _ = try await copy.copy(collections: ["cases"], replacing: false)
        #expect(try await copy.copyBlobs([kept], from: source.blobs, to: destination.blobs) == 1)
        #expect(try await destination.blobs.get(sha256: kept) == [1, 2, 3])
        // Blobs nothing refers to stay behind; a second run copies nothing again.
        #expect(try await destination.blobs.get(sha256: lost) == nil)
        #expect(try await copy.copyBlobs([kept], from: source.blobs, to: destination.blobs) == 0)
        // A document naming bytes the source lacks is reported by key.
        try await source.blobs.delete(sha256: kept)
        let error = await #expect(throws: StoreCopyError.self) {
            _ = try await copy.copyBlobs([kept], from: source.blobs, to: MemoryDocumentStore().blobs)
        }
        #expect(error == .blobMissing(kept) && error?.description.contains(kept) == true)
    }

    @Test func aNonEmptyDestinationIsRefusedUnlessReplaced() async throws {
        let source = try await self.populatedMemoryStore()
        let destination = MemoryDocumentStore()
        let stale = DocumentChange(collection: "cases", id: "WQ202601010001", json: Data(#"{"old":true}"#.utf8))
        try await destination.write([stale, DocumentChange(collection: "legacy", id: "x", json: Data("{}".utf8))])
        let copy = StoreCopy(from: source, to: destination)
        let collections = Self.collections + ["legacy"]
        let error = await #expect(throws: StoreCopyError.self) {
            _ = try await copy.copy(collections: collections, replacing: false)
        }
        #expect(error == .destinationNotEmpty(["cases": 1, "legacy": 1]))
        #expect(error?.description.contains("--force") == true)
        #expect(try await destination.count(collection: "conversations") == 0)

        let entries = try await copy.copy(collections: collections, replacing: true)
        #expect(entries.first { $0.collection == "cases" }?.deleted == 1)
        #expect(
            entries.first { $0.collection == "legacy" } == StoreCopy.Entry(collection: "legacy", copied: 0, deleted: 1))
        #expect(try await destination.document(collection: "cases", id: "WQ202601010001") == nil)
        _ = try await copy.verify(collections: collections)
    }

    @Test func verificationNamesEveryDifference() async throws {
        let source = try await self.populatedMemoryStore()
        let destination = MemoryDocumentStore()
        let copy = StoreCopy(from: source, to: destination)
        _ = try await copy.copy(collections: Self.collections, replacing: false)
        let outbox = try #require(try await destination.documents(collection: "outbox").first)
        let caseID = try #require(try await destination.documents(collection: "cases").first).id
        try await destination.write([
            DocumentChange(collection: "outbox", id: outbox.id, json: Data(#"{"changed":true}"#.utf8)),
            DocumentChange(collection: "cases", id: caseID, json: nil),
            DocumentChange(collection: "audit", id: "zz-extra", json: Data("{}".utf8)),
        ])
        let error = await #expect(throws: StoreCopyError.self) {
            _ = try await copy.verify(collections: Self.collections)
        }
        guard case .mismatch(let differences, let total) = error else {
            Issue.record("expected a mismatch, got \(String(describing: error))")
            return
        }
        let auditCount = try await source.count(collection: "audit")
        #expect(
            differences == [
                .count(collection: "audit", source: auditCount, destination: auditCount + 1),
                .extra(DocumentKey(collection: "audit", id: "zz-extra")),
                .count(collection: "cases", source: 1, destination: 0),
                .missing(DocumentKey(collection: "cases", id: caseID)),
                .changed(DocumentKey(collection: "outbox", id: outbox.id)),
            ])
        #expect(total == 5)
        #expect(error?.description.contains("outbox/\(outbox.id): its JSON differs") == true)
    }

    @Test func normalisationIgnoresKeyOrderSpacingAndNumberSpelling() {
        func same(_ one: String, _ two: String) -> Bool {
            StoreCopy.normalized(Data(one.utf8)) == StoreCopy.normalized(Data(two.utf8))
        }
        #expect(
            same(
                #"{"b":1,"a":[1,2],"c":{"y":"\u4e2d","x":null}}"#,
                #"{ "a": [1, 2], "c": {"x": null, "y": "中"}, "b": 1 }"#))
        #expect(same(#"{"a":1.50}"#, #"{"a":1.5}"#))
        #expect(same(#"{"a":"x/y"}"#, #"{"a":"x\/y"}"#))
        #expect(!same(#"{"a":1}"#, #"{"a":2}"#))
        #expect(!same(#"{"a":"1"}"#, #"{"a":1}"#))
        #expect(!same(#"{"a":[1,2]}"#, #"{"a":[2,1]}"#))
        // Not JSON: compared as bytes.
        #expect(same("not json", "not json"))
        #expect(!same("not json", "not  json"))
    }

    @Test func theOverlayRefusesWhatIsNotAToken() async throws {
        try await self.withDirectory { directory in
            let (store, overlay) = try await self.embedded(directory)
            let token = StoredToken(
                name: "desk-1", role: .admin, unit: nil, hash: TokenRegistry.hash("wq_a"),
                createdAt: DeskHarness.mondayMorning)
            try await overlay.write([try .create(token)])
            let invalid = await #expect(throws: StoreError.self) {
                try await overlay.write([
                    DocumentChange(collection: "cases", id: "WQ202611230001", json: Data("{}".utf8)),
                    DocumentChange(
                        collection: "tokens", id: "not-its-hash", json: try StoreCoding.encoder.encode(token)),
                ])
            }
            #expect(invalid?.code == .invalidDocument)
            #expect(try await store.count(collection: "cases") == 0)
            let conflict = await #expect(throws: StoreError.self) { try await overlay.write([try .create(token)]) }
            #expect(conflict?.code == .conflict)
            #expect(
                try await overlay.document(collection: "tokens", id: token.hash).map {
                    try StoreCoding.decoder.decode(StoredToken.self, from: $0)
                } == token)
            try await overlay.write([.delete(StoredToken.self, id: token.hash)])
            #expect(try TokenFile(directory: directory).load().isEmpty)
            #expect(try await overlay.count(collection: "tokens") == 0)
            try await store.close()
        }
    }
}
