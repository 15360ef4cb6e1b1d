import Foundation
import Testing

@testable import WeiquanStore

/// Creates (``DocumentChange/mustNotExist``) in every store: checked against the state the write applies to, in
/// order within the write, all or nothing, and one winner among concurrent creates of one document.
@Suite struct DocumentStoreCreateTests {
    @Test(arguments: StoreKind.allCases)
    func aCreateOfAnExistingDocumentRejectsTheWholeWrite(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.write([put("cases", "WQ1", #"{"v":1}"#)])
            let error = await storeError {
                try await store.write([
                    put("cases", "WQ0", #"{"v":0}"#),
                    create("cases", "WQ2", #"{"v":2}"#),
                    create("cases", "WQ1", #"{"v":"again"}"#),
                    .delete(collection: "cases", id: "WQ1"),
                ])
            }
            #expect(error?.code == .conflict)
            #expect(error?.message.contains("cases/WQ1") == true, "\(String(describing: error))")
            #expect(try await store.documents(collection: "cases").map(\.id) == ["WQ1"], "nothing was applied")
            #expect(stored(try await store.document(collection: "cases", id: "WQ1"), is: #"{"v":1}"#, in: kind))
            // A create of a new document, alone or typed, succeeds.
            try await store.write([create("cases", "WQ2", #"{"v":2}"#)])
            let note = Note(id: "n1", text: "新", created: date(0))
            try await store.write([try .create(note)])
            #expect(try await store.get(Note.self, id: "n1") == note)
            let typed = await storeError { try await store.write([try .create(note)]) }
            #expect(typed?.code == .conflict)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func changesOfOneWriteMeetCreatesInOrder(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.write([put("c", "a", #"{"v":1}"#)])
            // A create after a delete of the same document succeeds.
            try await store.write([.delete(collection: "c", id: "a"), create("c", "a", #"{"v":2}"#)])
            #expect(stored(try await store.document(collection: "c", id: "a"), is: #"{"v":2}"#, in: kind))
            // Two creates of one document in one write conflict, and nothing of it is applied.
            let twice = await storeError {
                try await store.write([put("c", "z", "{}"), create("c", "b", "{}"), create("c", "b", "{}")])
            }
            #expect(twice?.code == .conflict)
            // A create after a put of the same document in one write conflicts too.
            let afterPut = await storeError { try await store.write([put("c", "d", "{}"), create("c", "d", "{}")]) }
            #expect(afterPut?.code == .conflict)
            #expect(try await store.documents(collection: "c").map(\.id) == ["a"])
            // Create, delete, create again: the last create wins.
            try await store.write([
                create("c", "e", #"{"v":1}"#), .delete(collection: "c", id: "e"), create("c", "e", #"{"v":3}"#),
            ])
            #expect(stored(try await store.document(collection: "c", id: "e"), is: #"{"v":3}"#, in: kind))
            // A create, then a put of the same document: the put's JSON stays.
            try await store.write([create("c", "f", #"{"v":1}"#), put("c", "f", #"{"v":2}"#)])
            #expect(stored(try await store.document(collection: "c", id: "f"), is: #"{"v":2}"#, in: kind))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aCreateMustCarryADocument(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let error = await storeError {
                try await store.write([DocumentChange(collection: "c", id: "x", json: nil, mustNotExist: true)])
            }
            #expect(error?.code == .invalidDocument)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func oneOfConcurrentCreatesOfADocumentWins(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let contenders = 16
            let outcomes = try await withThrowingTaskGroup(of: (Int, StoreError.Code?).self) { group in
                for index in 0..<contenders {
                    group.addTask {
                        do {
                            // The winner's second document is written with its create; the losers' never are.
                            try await store.write([
                                create("numbers", "WQ-0001", #"{"by":\#(index)}"#),
                                put("claims", "claim-\(index)", #"{"by":\#(index)}"#),
                            ])
                            return (index, nil)
                        } catch let error as StoreError {
                            return (index, error.code)
                        }
                    }
                }
                var outcomes: [(Int, StoreError.Code?)] = []
                for try await outcome in group {
                    outcomes.append(outcome)
                }
                return outcomes
            }
            let winners = outcomes.filter { $0.1 == nil }.map(\.0)
            #expect(winners.count == 1)
            #expect(outcomes.filter { $0.1 == .conflict }.count == contenders - 1)
            let winner = try #require(winners.first)
            #expect(try await store.documents(collection: "claims").map(\.id) == ["claim-\(winner)"])
            #expect(
                stored(
                    try await store.document(collection: "numbers", id: "WQ-0001"), is: #"{"by":\#(winner)}"#, in: kind)
            )
        }
    }
}

/// A create of raw JSON text.
func create(_ collection: String, _ id: String, _ text: String) -> DocumentChange {
    DocumentChange(collection: collection, id: id, json: json(text), mustNotExist: true)
}
