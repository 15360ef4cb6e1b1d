import Foundation
import Testing

@testable import WeiquanStore

/// A typed document's JSON is taken as the encoder made it, not scanned a second time; anything else still is.
@Suite struct PreparedWriteTests {
    /// A document type that encodes itself as an array: not one JSON object, whatever the encoder's care.
    struct Listed: StoredDocument {
        static var collection: String { "listed" }
        var documentID: String { "l" }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(1)
        }
        init() {}
        init(from decoder: any Decoder) throws {}
    }

    @Test func aTypedDocumentIsTakenAsEncodedAndReadsBackWithItsLineBreaks() throws {
        let note = Note(id: "n1", text: "第一行\n第二行\r\n", created: Date(timeIntervalSince1970: 1_714_552_200))
        let change = try DocumentChange.put(note)
        #expect(change.isEncoderOutput)
        let prepared = try PreparedWrite(validating: [change], encodeJournalLine: true)
        #expect(prepared.changes[0].json == change.json)
        // One journal line: the line breaks of the text are escaped by the encoder.
        #expect(prepared.lineTail.filter { $0 == ASCII.lineFeed }.count == 1)
        let stored = try StoreCoding.decode(Note.self, key: change.key, from: try #require(prepared.changes[0].json))
        #expect(stored == note)
    }

    @Test(arguments: StoreKind.allCases)
    func aTypedDocumentThatIsNotAnObjectIsStillRefused(kind: StoreKind) async throws {
        let change = try DocumentChange.put(Listed())
        #expect(change.isEncoderOutput)
        try await withStore(kind) { store in
            let error = await storeError { try await store.write([change]) }
            #expect(error?.code == .invalidDocument)
            let count = try await store.count(collection: "listed")
            #expect(count == 0)
        }
    }

    @Test func howAChangesJSONWasMadeIsNotPartOfItsIdentity() throws {
        let note = Note(id: "n2", text: "同一", created: Date(timeIntervalSince1970: 1_714_552_200))
        let typed = try DocumentChange.put(note)
        let raw = DocumentChange(collection: Note.collection, id: "n2", json: typed.json)
        #expect(!raw.isEncoderOutput)
        #expect(typed == raw)
        #expect(try DocumentChange.create(note) != raw)
    }
}
