import Foundation
import Testing

@testable import WeiquanStore

/// The files are plain JSON a person can read with `cat` and `jq`, in the documented layout.
@Suite struct OnDiskFormatTests {
    private func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func journalLinesAreOneJSONObjectPerWrite() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await store.write([put("cases", "WQ1", #"{"schemaVersion":1,"title":"专利"}"#)])
            try await store.write([
                put("cases", "WQ2", "{ \"pretty\" :\n true }"), .delete(collection: "dedupe", id: "m1"),
            ])
            try await store.close()

            let journal = try String(contentsOf: directory.appendingPathComponent("journal-1.jsonl"), encoding: .utf8)
            #expect(
                journal == """
                    {"seq":1,"changes":[{"c":"cases","id":"WQ1","doc":{"schemaVersion":1,"title":"专利"}}]}
                    {"seq":2,"changes":[{"c":"cases","id":"WQ2","doc":{ "pretty" :  true }},{"c":"dedupe","id":"m1","delete":true}]}

                    """)
            for line in journal.split(separator: "\n") {
                let record = try self.object(Data(line.utf8))
                #expect(record["seq"] is Int)
                #expect(record["changes"] is [Any])
            }
        }
    }

    @Test func aCreateIsJournalledAsAPutAndAConflictingWriteAppendsNothing() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await store.write([create("cases", "WQ1", #"{"n":1}"#)])
            let conflict = await storeError {
                try await store.write([put("cases", "WQ0", "{}"), create("cases", "WQ1", #"{"n":2}"#)])
            }
            #expect(conflict?.code == .conflict)
            try await store.write([create("cases", "WQ2", #"{"n":2}"#)])
            try await store.close()

            let journal = try String(contentsOf: directory.appendingPathComponent("journal-1.jsonl"), encoding: .utf8)
            #expect(
                journal == """
                    {"seq":1,"changes":[{"c":"cases","id":"WQ1","doc":{"n":1}}]}
                    {"seq":2,"changes":[{"c":"cases","id":"WQ2","doc":{"n":2}}]}

                    """)
            let reopened = try await FileDocumentStore.open(directory: directory)
            #expect(try await reopened.documents(collection: "cases").map(\.id) == ["WQ1", "WQ2"])
            try await reopened.close()
        }
    }

    @Test func snapshotsHoldTheWholeStateOneDocumentPerLine() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory)
            try await store.write([
                put("cases", "WQ2", #"{"n":2}"#), put("cases", "WQ1", #"{"n":1}"#), put("dedupe", "m\"1", "{}"),
            ])
            try await store.compact()
            try await store.close()

            let data = try Data(contentsOf: directory.appendingPathComponent("snapshot-2.json"))
            #expect(
                String(decoding: data, as: UTF8.self) == """
                    {"schemaVersion":1,"generation":2,"seq":1,"collections":{
                    "cases":{
                    "WQ1":{"n":1},
                    "WQ2":{"n":2}
                    },
                    "dedupe":{
                    "m\\"1":{}
                    }
                    }}

                    """)
            let snapshot = try self.object(data)
            #expect(snapshot["schemaVersion"] as? Int == 1)
            #expect(snapshot["generation"] as? Int == 2)
            let collections = try #require(snapshot["collections"] as? [String: [String: [String: Int]]])
            #expect(collections["cases"]?["WQ2"]?["n"] == 2)
        }
    }

    @Test func anEmptyStoreStartsWithAnEmptySnapshotAndJournal() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await FileDocumentStore.open(directory: directory.appendingPathComponent("a/b/data"))
            try await store.close()
            let data = directory.appendingPathComponent("a/b/data")
            #expect(try storeFileNames(in: data) == ["journal-1.jsonl", "snapshot-1.json"])
            let snapshot = try self.object(try Data(contentsOf: data.appendingPathComponent("snapshot-1.json")))
            #expect((snapshot["collections"] as? [String: Any])?.isEmpty == true)
            #expect(try Data(contentsOf: data.appendingPathComponent("journal-1.jsonl")).isEmpty)
        }
    }

    @Test func fileNamesAreRecognisedStrictly() {
        let files = StoreFiles(names: [
            "snapshot-1.json", "snapshot-12.json", "snapshot-01.json", "snapshot-.json", "snapshot-3.json.tmp",
            "journal-12.jsonl", "journal-x.jsonl", "journal-2.json", "LOCK", ".writable-check-1", "notes.txt",
        ])
        #expect(files.snapshots == [1, 12])
        #expect(files.journals == [12])
        #expect(files.temporaries == ["snapshot-3.json.tmp"])
    }
}
