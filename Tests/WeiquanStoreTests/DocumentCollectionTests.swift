import Foundation
import Testing
import WeiquanTestSupport

@testable import WeiquanStore

/// The store's in-memory collections: documents packed into chunks, checked against a plain dictionary.
@Suite struct DocumentCollectionTests {
    /// Random puts, replacements and deletions (ids short and long, ASCII and not, JSON empty to large), with every
    /// document checked against a dictionary after each step, and the dead bytes kept below the live ones.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func holdsWhatADictionaryHolds(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var collection = DocumentCollection()
        var model: [String: Data] = [:]
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-_维权专利商标")
        let ids = (0..<400).map { index in
            "\(random.string(over: alphabet, length: random.next(below: 40)))#\(index)"
        }
        for step in 0..<20_000 {
            let id = ids[random.next(below: ids.count)]
            if random.next(below: 3) == 0 {
                #expect(collection.remove(id) == (model.removeValue(forKey: id) != nil))
            } else {
                let length = random.next(below: 8) == 0 ? random.next(below: 5_000) : random.next(below: 300)
                let json = Data((0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) })
                #expect(collection.put(json, id: id) == (model.updateValue(json, forKey: id) == nil))
            }
            #expect(collection.count == model.count)
            if step.isMultiple(of: 97) {
                for id in ids {
                    #expect(collection[id] == model[id])
                    #expect(collection.contains(id) == (model[id] != nil))
                }
                #expect(collection.ids.sorted() == model.keys.sorted())
                let memory = collection.memory
                #expect(memory.live == model.reduce(0) { $0 + 8 + $1.key.utf8.count + $1.value.count })
                // Each shard compacts once its dead bytes reach 4 KB and half its live ones.
                #expect(memory.dead <= memory.live / 2 + 64 * DocumentShard.deadBytesWorthCompacting)
            }
        }
    }

    /// Large documents and large shards live in chunks mapped from the system (16 KB and more): held, replaced,
    /// compacted and freed like the others, and a copy keeps them while the original lets them go.
    @Test func documentsInMappedChunksAreHeldAndFreedLikeTheOthers() {
        var collection = DocumentCollection()
        var model: [String: Data] = [:]
        for number in 0..<300 {
            let json = Data(repeating: UInt8(number % 251), count: 20_000 + number)
            collection.put(json, id: "large-\(number)")
            model["large-\(number)"] = json
        }
        let snapshot = collection
        for number in 0..<300 where number.isMultiple(of: 3) {
            let json = Data(repeating: 7, count: 30_000)
            collection.put(json, id: "large-\(number)")
            model["large-\(number)"] = json
        }
        for number in 0..<300 where number % 3 == 1 {
            collection.remove("large-\(number)")
            model["large-\(number)"] = nil
        }
        for number in 0..<300 {
            #expect(collection["large-\(number)"] == model["large-\(number)"])
            #expect(snapshot["large-\(number)"] == Data(repeating: UInt8(number % 251), count: 20_000 + number))
        }
        let memory = collection.memory
        #expect(memory.dead <= memory.live / 2 + 64 * DocumentShard.deadBytesWorthCompacting)
        #expect(memory.chunks >= memory.live + memory.dead)
        for number in 0..<300 { collection.remove("large-\(number)") }
        #expect(collection.memory == (live: 0, dead: 0, chunks: 0))
    }

    /// The snapshot writer's walk: every document once, in ascending order of the ids' bytes.
    @Test func theWalkInIdOrderGivesEveryDocumentSortedByBytes() {
        var random = SeededGenerator(seed: 7)
        var collection = DocumentCollection()
        var model: [String: Data] = [:]
        let alphabet = Array("ab维权Zz09-é")
        for index in 0..<3_000 {
            let id = random.string(over: alphabet, length: random.next(below: 12))
            let json = Data("{\"n\":\(index)}".utf8)
            collection.put(json, id: id)
            model[id] = json
            if index.isMultiple(of: 5) {
                collection.remove(id)
                model[id] = nil
            }
        }
        var walked: [(id: [UInt8], json: Data)] = []
        collection.forEachInIDOrder { id, json in walked.append((Array(id), Data(json))) }
        let expected = model.map { (id: Array($0.key.utf8), json: $0.value) }
            .sorted { $0.id.lexicographicallyPrecedes($1.id) }
        #expect(walked.map(\.id) == expected.map(\.id))
        #expect(walked.map(\.json) == expected.map(\.json))
    }

    /// A copy (a compaction's snapshot) keeps what it saw while the original goes on changing, and the other way round.
    @Test func aCopyKeepsItsDocumentsWhileTheOriginalChanges() {
        var original = DocumentCollection()
        for number in 0..<2_000 {
            original.put(Data("{\"n\":\(number)}".utf8), id: "doc-\(number)")
        }
        var snapshot = original
        for number in 0..<2_000 {
            if number.isMultiple(of: 2) {
                original.remove("doc-\(number)")
            } else {
                original.put(Data("{\"n\":\(number),\"changed\":true}".utf8), id: "doc-\(number)")
            }
        }
        for number in 2_000..<3_000 {
            original.put(Data("{\"n\":\(number)}".utf8), id: "doc-\(number)")
        }
        snapshot.put(Data("{\"snapshot\":true}".utf8), id: "doc-1")
        for number in 0..<3_000 {
            let id = "doc-\(number)"
            let inSnapshot = number == 1 ? "{\"snapshot\":true}" : number < 2_000 ? "{\"n\":\(number)}" : nil
            #expect(snapshot[id].map { String(decoding: $0, as: UTF8.self) } == inSnapshot)
            let inOriginal =
                number < 2_000
                ? (number.isMultiple(of: 2) ? nil : "{\"n\":\(number),\"changed\":true}") : "{\"n\":\(number)}"
            #expect(original[id].map { String(decoding: $0, as: UTF8.self) } == inOriginal)
        }
        #expect(snapshot.count == 2_000)
        #expect(original.count == 2_000)
    }

    /// Documents written and deleted a few minutes later (the retry answers) give their memory back: the chunks and
    /// the slots go once the last document of a shard is gone, and a shard left with a few compacts them into one.
    @Test func deletedDocumentsGiveTheirMemoryBack() {
        var collection = DocumentCollection()
        let answer = Data(String(repeating: "答", count: 150).utf8)
        for number in 0..<10_000 {
            collection.put(answer, id: "msg:\(number)")
        }
        let full = collection.memory
        #expect(full.live == 10_000 * (8 + answer.count) + (0..<10_000).reduce(0) { $0 + "msg:\($1)".utf8.count })
        // Chunks grow with the shard: not much room is left unused.
        #expect(full.chunks < full.live + full.live / 4)
        for number in 0..<10_000 where number % 100 != 0 {
            collection.remove("msg:\(number)")
        }
        let few = collection.memory
        #expect(
            few.live
                == (0..<10_000).filter { $0 % 100 == 0 }.reduce(0) { $0 + 8 + answer.count + "msg:\($1)".utf8.count })
        #expect(few.chunks < full.chunks / 10)
        for number in stride(from: 0, to: 10_000, by: 100) {
            #expect(collection["msg:\(number)"] == answer)
            collection.remove("msg:\(number)")
        }
        #expect(collection.count == 0)
        #expect(collection.memory == (live: 0, dead: 0, chunks: 0))
    }

    /// Ids are told apart by their bytes: two spellings of "é" (one scalar, or "e" and a combining accent) that
    /// Swift's `==` calls equal are two documents, as they are in PostgreSQL and in the journal.
    @Test func idsAreComparedByTheirBytes() {
        var collection = DocumentCollection()
        collection.put(Data("1".utf8), id: "caf\u{E9}")
        collection.put(Data("2".utf8), id: "cafe\u{301}")
        #expect(collection.count == 2)
        #expect(collection["caf\u{E9}"] == Data("1".utf8))
        #expect(collection["cafe\u{301}"] == Data("2".utf8))
        collection.put(Data(), id: "")
        #expect(collection[""] == Data())
        #expect(collection.contains(""))
    }
}
