import WeiquanCore

/// Reads every source on a shelf into one ``CompactRegistry``: one source as it is, several merged (events of one
/// right from every source, kept once; facts from the latest as-of day).
public enum RegistryLoader {
    /// The registry of all the shelf's sources, and the sources it was made from.
    public static func load(from shelf: any RegistryShelf) async throws -> (CompactRegistry, [RegistrySource]) {
        let sources = try await shelf.sources()
        var batches: [RegistryBatch] = []
        for source in sources {
            do {
                batches.append(try RegistryBatch(serialized: try await shelf.data(of: source)))
            } catch let error as RegistryImportError {
                throw RegistryShelfError("registry source '\(source.name)': \(error.message)")
            }
        }
        return (self.merge(batches), sources)
    }

    /// One registry of several batches.
    package static func merge(_ batches: [RegistryBatch]) -> CompactRegistry {
        switch batches.count {
        case 0: return CompactRegistry()
        case 1: return CompactRegistry(batch: batches[0])
        default:
            var builder = RegistryBatchBuilder()
            for batch in batches { builder.add(batch) }
            return CompactRegistry(batch: builder.finish())
        }
    }
}
