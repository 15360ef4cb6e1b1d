/// Where imported registry sources are kept, so that every instance of the service reads the same ones and picks
/// up a new import without a restart.
///
/// - ``RegistryDirectory``: `registry/` in the embedded store's data directory (written by `weiquan registry
///   import` while the service runs, like `tokens.json`).
/// - ``RegistryDocuments``: the `registry-sources` collection and the blobs of a shared store (PostgreSQL).
public protocol RegistryShelf: Sendable {
    /// The sources kept, by name.
    func sources() async throws -> [RegistrySource]
    /// A source's compact data (``RegistryBatch`` serialized).
    func data(of source: RegistrySource) async throws -> [UInt8]
    /// Keeps a source, replacing the one of the same name; its data first, then the entry that names it.
    func keep(_ source: RegistrySource, data: [UInt8]) async throws
    /// Removes a source by name; false when there is none.
    func remove(named name: String) async throws -> Bool
}

/// What a shelf failed to do.
public struct RegistryShelfError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}

extension RegistryShelf {
    /// Copies every source of `source` onto this shelf (`weiquan store copy`), each read back equal; returns how
    /// many. Sources of the same name are replaced; others this shelf holds stay.
    public func copy(from source: any RegistryShelf) async throws -> Int {
        let sources = try await source.sources()
        for entry in sources {
            let data = try await source.data(of: entry)
            try await self.keep(entry, data: data)
            guard try await self.data(of: entry) == data else {
                throw RegistryShelfError("registry source '\(entry.name)' did not read back equal to the source")
            }
        }
        return sources.count
    }
}
