import Foundation
import Testing

@testable import WeiquanStore

/// What every `DocumentStore` does, run against the in-memory twin and the file store alike.
@Suite struct DocumentStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func rawDocumentsRoundTrip(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.write([
                put("cases", "WQ1", #"{"schemaVersion":1,"title":"专利侵权","n":1.5e3}"#),
                put("dedupe", "m-1", #"{"at":"2024-05-01T08:30:00.250Z"}"#),
            ])
            #expect(
                try await store.document(collection: "cases", id: "WQ1")
                    == json(#"{"schemaVersion":1,"title":"专利侵权","n":1.5e3}"#))
            #expect(
                try await store.document(collection: "dedupe", id: "m-1") == json(#"{"at":"2024-05-01T08:30:00.250Z"}"#)
            )
            #expect(try await store.document(collection: "cases", id: "WQ2") == nil)
            #expect(try await store.document(collection: "nothing", id: "WQ1") == nil)
            #expect(try await store.documents(collection: "nothing").isEmpty)
            #expect(try await store.count(collection: "nothing") == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func typedDocumentsRoundTrip(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let first = Note(
                id: "n1", text: "你好 \"quoted\" / slash", created: date(1_714_552_200_250), tags: ["a", "b"])
            let second = Note(id: "n2", text: "second", created: date(1_714_552_200_000))
            try await store.put(first)
            try await store.put(contentsOf: [second, Note(id: "n3", text: "third", created: date(0))])
            #expect(try await store.get(Note.self, id: "n1") == first)
            #expect(try await store.get(Note.self, id: "n2") == second)
            #expect(try await store.get(Note.self, id: "missing") == nil)
            #expect(try await store.all(Note.self).map(\.id) == ["n1", "n2", "n3"])
            #expect(try await store.count(Note.self) == 3)
            let stored = try #require(try await store.document(collection: "notes", id: "n1"))
            let text = String(decoding: stored, as: UTF8.self)
            #expect(text.contains(#""created":"2024-05-01T08:30:00.250Z""#))
            #expect(text.hasPrefix(#"{"created""#), "keys are sorted")
            try await store.delete(Note.self, id: "n2")
            #expect(try await store.all(Note.self).map(\.id) == ["n1", "n3"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deleteRemovesOnlyThatDocument(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.write([put("c", "a", "{}"), put("c", "b", "{}"), put("d", "a", "{}")])
            try await store.write([.delete(collection: "c", id: "a")])
            #expect(try await store.document(collection: "c", id: "a") == nil)
            #expect(try await store.count(collection: "c") == 1)
            #expect(try await store.count(collection: "d") == 1)
            // Deleting what is not there does nothing.
            try await store.write([.delete(collection: "c", id: "zzz"), .delete(collection: "nothing", id: "a")])
            try await store.write([.delete(collection: "c", id: "b")])
            #expect(try await store.documents(collection: "c").isEmpty)
            #expect(try await store.count(collection: "c") == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func documentsAreOrderedByID(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let ids = ["WQ10", "WQ2", "WQ1", "a", "B", "WQ3", "中", "WQ20"]
            for id in ids {
                try await store.write([put("cases", id, #"{"id":"\#(id)"}"#)])
            }
            #expect(try await store.documents(collection: "cases").map(\.id) == ids.sorted())
            // Changing a document keeps the order; adding and removing ids updates it.
            try await store.write([put("cases", "WQ2", #"{"changed":true}"#), put("cases", "WQ0", "{}")])
            try await store.write([.delete(collection: "cases", id: "a")])
            let expected = (ids + ["WQ0"]).filter { $0 != "a" }.sorted()
            let listed = try await store.documents(collection: "cases")
            #expect(listed.map(\.id) == expected)
            #expect(listed.first { $0.id == "WQ2" }?.json == json(#"{"changed":true}"#))
            #expect(try await store.count(collection: "cases") == expected.count)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func changesOfOneWriteApplyInOrder(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.write([
                put("c", "x", #"{"v":1}"#),
                put("c", "x", #"{"v":2}"#),
                put("c", "y", #"{"v":1}"#),
                .delete(collection: "c", id: "y"),
                .delete(collection: "c", id: "z"),
                put("c", "z", #"{"v":3}"#),
            ])
            #expect(try await store.document(collection: "c", id: "x") == json(#"{"v":2}"#))
            #expect(try await store.document(collection: "c", id: "y") == nil)
            #expect(try await store.document(collection: "c", id: "z") == json(#"{"v":3}"#))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aBadChangeRejectsTheWholeWrite(kind: StoreKind) async throws {
        let bad: [DocumentChange] = [
            put("c", "x", "[1,2]"),
            put("c", "x", #""text""#),
            put("c", "x", "{"),
            put("c", "x", "{} {}"),
            put("c", "x", ""),
            put("c", "x", #"{"a":01}"#),
            put("c", "x", "{\"a\":\"raw tab\there\"}"),
            DocumentChange(collection: "c", id: "x", json: Data([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D])),
            put("", "x", "{}"),
            put("c", "", "{}"),
            .delete(collection: "", id: "x"),
        ]
        try await withStore(kind) { store in
            for change in bad {
                let error = await storeError {
                    try await store.write([put("c", "good", #"{"ok":true}"#), change])
                }
                #expect(error?.code == .invalidDocument, "\(change)")
            }
            #expect(try await store.count(collection: "c") == 0, "nothing of a rejected write is applied")
            try await store.write([put("c", "good", #"{"ok":true}"#)])
            #expect(try await store.count(collection: "c") == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func whiteSpaceAndLineBreaksAreNormalised(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let pretty = "  {\n  \"a\" : 1,\r\n  \"b\" : [ \"x y\" ]\n}\n"
            try await store.write([put("c", "p", pretty), put("c", "q", #"{"kept":"as is"}"#)])
            let stored = try #require(try await store.document(collection: "c", id: "p"))
            #expect(String(decoding: stored, as: UTF8.self) == "{   \"a\" : 1,    \"b\" : [ \"x y\" ] }")
            #expect(try await store.document(collection: "c", id: "q") == json(#"{"kept":"as is"}"#))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func oddNamesAndIDsWork(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let ids = ["quote\"d", "back\\slash", "line\nbreak", "tab\t", "\u{1}control", "表情😀", "slash/and space"]
            try await store.write(ids.map { put("odd \"collection\"", $0, #"{"id":1}"#) })
            for id in ids {
                #expect(try await store.document(collection: "odd \"collection\"", id: id) == json(#"{"id":1}"#))
            }
            #expect(try await store.documents(collection: "odd \"collection\"").map(\.id) == ids.sorted())
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anEmptyWriteDoesNothing(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.write([])
            try await store.checkWritable()
        }
    }
}
