import Foundation
import Testing

@testable import WeiquanStore

/// What every `DocumentStore` does, run against the in-memory twin, the file store and (when a server is given, see
/// `TestPostgres`) the PostgreSQL store alike, each PostgreSQL test on a database of its own.
///
/// PostgreSQL keeps JSON values, not bytes (jsonb): where a test compares bytes it compares values for that store.
@Suite struct DocumentStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func rawDocumentsRoundTrip(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.write([
                put("cases", "WQ1", #"{"schemaVersion":1,"title":"专利侵权","n":1.5e3}"#),
                put("dedupe", "m-1", #"{"at":"2024-05-01T08:30:00.250Z"}"#),
            ])
            #expect(
                stored(
                    try await store.document(collection: "cases", id: "WQ1"),
                    is: #"{"schemaVersion":1,"title":"专利侵权","n":1.5e3}"#, in: kind))
            #expect(
                stored(
                    try await store.document(collection: "dedupe", id: "m-1"),
                    is: #"{"at":"2024-05-01T08:30:00.250Z"}"#,
                    in: kind))
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
            let document = try #require(try await store.document(collection: "notes", id: "n1"))
            let text = String(decoding: document, as: UTF8.self)
            if kind.keepsBytes {
                #expect(text.contains(#""created":"2024-05-01T08:30:00.250Z""#))
                #expect(text.hasPrefix(#"{"created""#), "keys are sorted")
            } else {
                #expect(text.contains(#""created": "2024-05-01T08:30:00.250Z""#), "jsonb's spacing")
            }
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
            #expect(stored(listed.first { $0.id == "WQ2" }?.json, is: #"{"changed":true}"#, in: kind))
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
            #expect(stored(try await store.document(collection: "c", id: "x"), is: #"{"v":2}"#, in: kind))
            #expect(try await store.document(collection: "c", id: "y") == nil)
            #expect(stored(try await store.document(collection: "c", id: "z"), is: #"{"v":3}"#, in: kind))
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
            let document = try #require(try await store.document(collection: "c", id: "p"))
            #expect(stored(document, is: "{   \"a\" : 1,    \"b\" : [ \"x y\" ] }", in: kind))
            #expect(stored(try await store.document(collection: "c", id: "q"), is: #"{"kept":"as is"}"#, in: kind))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func oddNamesAndIDsWork(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let ids = ["quote\"d", "back\\slash", "line\nbreak", "tab\t", "\u{1}control", "表情😀", "slash/and space"]
            try await store.write(ids.map { put("odd \"collection\"", $0, #"{"id":1}"#) })
            for id in ids {
                #expect(
                    stored(
                        try await store.document(collection: "odd \"collection\"", id: id), is: #"{"id":1}"#, in: kind))
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

/// More of the contract: collection names, Chinese text, large documents, concurrent writers.
@Suite struct DocumentStoreContentTests {
    @Test(arguments: StoreKind.allCases)
    func severalDocumentsReadTogetherAreThoseThatExist(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.write([put("cases", "WQ1", #"{"v":1}"#), put("conversations", "u1", #"{"v":"对话"}"#)])
            let wanted = [
                DocumentKey(collection: "cases", id: "WQ1"), DocumentKey(collection: "conversations", id: "u1"),
                DocumentKey(collection: "cases", id: "missing"), DocumentKey(collection: "nowhere", id: "WQ1"),
            ]
            let found = try await store.documents(wanted)
            #expect(Set(found.keys) == Set(wanted.prefix(2)))
            #expect(stored(found[wanted[0]], is: #"{"v":1}"#, in: kind))
            #expect(stored(found[wanted[1]], is: #"{"v":"对话"}"#, in: kind))
            #expect(try await store.documents([]).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func collectionsListsTheNonEmptyOnesSorted(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.collections() == [])
            try await store.write([put("b", "1", "{}"), put("a", "1", "{}"), put("中文", "1", "{}"), put("B", "1", "{}")])
            try await store.write([put("b", "2", "{}"), put("gone", "1", "{}")])
            try await store.write([.delete(collection: "gone", id: "1")])
            #expect(try await store.collections() == ["B", "a", "b", "中文"])
            try await store.write([.delete(collection: "b", id: "1"), .delete(collection: "b", id: "2")])
            #expect(try await store.collections() == ["B", "a", "中文"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func chineseTextAndEscapesRoundTrip(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let text = "商标“维权”援助中心：请提供注册号 12345678。\\ \" / \t 😀 \u{7F} \u{1}"
            let note = Note(id: "备案-1", text: text, created: date(1_714_552_200_250), tags: ["专利", "商标", ""])
            try await store.put(note)
            #expect(try await store.get(Note.self, id: "备案-1") == note)
            try await store.write([put("raw", "转义", #"{"s":"\u4e2d\u6587 \ud83d\ude00 \n","n":-0.5e-3,"e":[],"o":{}}"#)]
            )
            let raw = try #require(try await store.document(collection: "raw", id: "转义"))
            #expect(sameJSON(raw, json(#"{"s":"中文 😀 \n","n":-0.0005,"e":[],"o":{}}"#)))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func largeDocumentsRoundTrip(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let big = Note(
                id: "big", text: String(repeating: "侵权线索 evidence ", count: 60_000), created: date(0),
                tags: (0..<2_000).map { "tag-\($0)" })
            let many = (0..<300).map { Tally(id: "t\($0)", value: $0) }
            try await store.write([try .put(big)] + many.map { try .put($0) })
            #expect(try await store.get(Note.self, id: "big") == big)
            #expect(try await store.all(Tally.self).count == 300)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentWritesToDistinctDocumentsAllApply(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await store.write([
                            put("parallel", String(format: "p%03d", index), #"{"i":\#(index)}"#),
                            put("logs", String(format: "l%03d", index), #"{"i":\#(index)}"#),
                        ])
                    }
                }
                try await group.waitForAll()
            }
            #expect(
                try await store.documents(collection: "parallel").map(\.id)
                    == (0..<40).map { String(format: "p%03d", $0) })
            #expect(try await store.count(collection: "logs") == 40)
        }
    }
}
