import Testing
@testable import WeiquanRegistry

@Suite struct RegistryBatchBinaryTests {
    @Test func aBatchReadsBackAsItWasWritten() throws {
        for name in ["cnipa-bulk.csv", "trademark-flow.csv", "patents.jsonl"] {
            let (_, batch) = try Fixtures.read(name)
            #expect(try RegistryBatch(serialized: batch.serialized()) == batch)
        }
        #expect(try RegistryBatch(serialized: RegistryBatch().serialized()) == RegistryBatch())
    }

    @Test func dataOfAnotherVersionIsRefused() throws {
        var bytes = try Fixtures.read("cnipa-bulk.csv").1.serialized()
        bytes[5] = UInt8(ascii: "9")
        #expect(throws: RegistryImportError.self) { try RegistryBatch(serialized: bytes) }
    }

    @Test func dataCutShortAtAnyPointIsRefused() throws {
        let bytes = try Fixtures.read("cnipa-bulk.csv").1.serialized()
        for length in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: RegistryImportError.self) { try RegistryBatch(serialized: Array(bytes.prefix(length))) }
        }
        #expect(throws: RegistryImportError.self) { try RegistryBatch(serialized: bytes + [0]) }
    }

    @Test func dataWhoseColumnsDisagreeIsRefused() throws {
        var batch = try Fixtures.read("cnipa-bulk.csv").1
        batch.eventKind[0] = 9_999
        #expect(throws: RegistryImportError.self) { try RegistryBatch(serialized: batch.serialized()) }
        var unsorted = try Fixtures.read("cnipa-bulk.csv").1
        unsorted.patents.keys.swapAt(0, 1)
        #expect(throws: RegistryImportError.self) { try RegistryBatch(serialized: unsorted.serialized()) }
    }
}
