import WeiquanCore

/// Reads every source on a shelf into one ``CompactRegistry``: one source as it is, several merged (events of one
/// right from every source, kept once; facts from the latest as-of day).
public enum RegistryLoader {
    /// The registry of all the shelf's sources, and the sources it was made from.
    ///
    /// - Parameter calendar: the centre's holidays, moving the ends of periods past rest days.
    public static func load(
        from shelf: any RegistryShelf, calendar: HolidayCalendar? = nil
    ) async throws -> (CompactRegistry, [RegistrySource]) {
        let sources = try await shelf.sources()
        var batches: [RegistryBatch] = []
        for source in sources {
            do {
                batches.append(try RegistryBatch(serialized: try await shelf.data(of: source)))
            } catch let error as RegistryImportError {
                throw RegistryShelfError("registry source '\(source.name)': \(error.message)")
            }
        }
        return (self.merge(batches, calendar: calendar), sources)
    }

    /// One registry of several batches.
    package static func merge(_ batches: [RegistryBatch], calendar: HolidayCalendar? = nil) -> CompactRegistry {
        switch batches.count {
        case 0: return CompactRegistry(calendar: calendar)
        case 1: return CompactRegistry(batch: batches[0], calendar: calendar)
        default:
            var builder = RegistryBatchBuilder()
            for batch in batches { builder.add(batch) }
            return CompactRegistry(batch: builder.finish(), calendar: calendar)
        }
    }
}
