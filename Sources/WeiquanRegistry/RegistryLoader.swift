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
        let stored = try await self.read(try await shelf.sources(), from: shelf)
        return (try self.build(stored, calendar: calendar), stored.map(\.source))
    }

    /// The serialized data of `sources` (as the shelf listed them): the part of a load that waits on the store.
    public static func read(
        _ sources: [RegistrySource], from shelf: any RegistryShelf
    ) async throws -> [(source: RegistrySource, data: [UInt8])] {
        var stored: [(source: RegistrySource, data: [UInt8])] = []
        for source in sources {
            stored.append((source, try await shelf.data(of: source)))
        }
        return stored
    }

    /// The registry of sources read with ``read(_:from:)``: the part of a load that only computes (seconds for a
    /// province), which a service runs off its event loops.
    public static func build(
        _ stored: [(source: RegistrySource, data: [UInt8])], calendar: HolidayCalendar? = nil
    ) throws -> CompactRegistry {
        var batches: [RegistryBatch] = []
        for (source, data) in stored {
            do {
                batches.append(try RegistryBatch(serialized: data))
            } catch {
                throw RegistryShelfError("registry source '\(source.name)': \(error.message)")
            }
        }
        return self.merge(batches, calendar: calendar)
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
