import Foundation
import WeiquanStore

/// Registry sources in `<data>/registry/`: `sources.json` lists them, `<sha256>.wqreg` holds each one's data.
///
/// Writers take `registry.lock` and replace files atomically (write, fsync, rename), data before the list, so the
/// service — which reads without the lock — sees the old list or the new one, each with its data. This works while
/// the service runs on the embedded store, as `tokens.json` does.
public struct RegistryDirectory: RegistryShelf {
    /// `<data>/registry`.
    public let url: URL

    /// The registry directory inside a data directory.
    public init(dataDirectory: URL) {
        self.url = dataDirectory.appendingPathComponent("registry", isDirectory: true)
    }

    /// `sources.json`: the list the service watches.
    public var listPath: String { self.url.appendingPathComponent("sources.json").path }

    public func sources() async throws -> [RegistrySource] {
        try self.readList()
    }

    public func data(of source: RegistrySource) async throws -> [UInt8] {
        let path = self.dataPath(source.dataSHA256)
        do {
            return try AtomicFile.read(path)
        } catch {
            throw RegistryShelfError("cannot read registry data \(path): \(error)")
        }
    }

    public func keep(_ source: RegistrySource, data: [UInt8]) async throws {
        try self.locked {
            var list = try self.readList()
            let path = self.dataPath(source.dataSHA256)
            if !FileManager.default.fileExists(atPath: path) {
                try self.replace(path, with: data)
            }
            let previous = list.first { $0.name == source.name }
            list.removeAll { $0.name == source.name }
            list.append(source)
            try self.writeList(list)
            if let previous, !list.contains(where: { $0.dataSHA256 == previous.dataSHA256 }) {
                try? FileManager.default.removeItem(atPath: self.dataPath(previous.dataSHA256))
            }
        }
    }

    public func remove(named name: String) async throws -> Bool {
        try self.locked {
            var list = try self.readList()
            guard let previous = list.first(where: { $0.name == name }) else { return false }
            list.removeAll { $0.name == name }
            try self.writeList(list)
            if !list.contains(where: { $0.dataSHA256 == previous.dataSHA256 }) {
                try? FileManager.default.removeItem(atPath: self.dataPath(previous.dataSHA256))
            }
            return true
        }
    }

    /// The list's signature now (one `stat(2)`): a changed signature means a new list to read.
    package func listSignature() -> FileSignature? {
        FileSignature(path: self.listPath)
    }

    private func dataPath(_ sha256: String) -> String {
        self.url.appendingPathComponent("\(sha256).wqreg").path
    }

    private func readList() throws -> [RegistrySource] {
        guard FileManager.default.fileExists(atPath: self.listPath) else { return [] }
        do {
            let bytes = try AtomicFile.read(self.listPath)
            return try StoreCoding.decoder.decode([RegistrySource].self, from: Data(bytes)).sorted {
                $0.name < $1.name
            }
        } catch {
            throw RegistryShelfError("cannot read the registry's list \(self.listPath): \(error)")
        }
    }

    private func writeList(_ list: [RegistrySource]) throws {
        let bytes = try StoreCoding.encode(list.sorted { $0.name < $1.name })
        try self.replace(self.listPath, with: Array(bytes))
    }

    private func replace(_ path: String, with bytes: [UInt8]) throws {
        do {
            try AtomicFile.replace(path, with: bytes, through: path + ".tmp", permissions: 0o644)
        } catch {
            throw RegistryShelfError("cannot write \(path): \(error)")
        }
    }

    private func locked<T>(_ body: () throws -> T) throws -> T {
        do {
            try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
        } catch {
            throw RegistryShelfError("cannot create \(self.url.path): \(error.localizedDescription)")
        }
        let lock: FileLock
        do {
            lock = try FileLock(path: self.url.appendingPathComponent("registry.lock").path)
        } catch {
            throw RegistryShelfError("cannot lock \(self.url.path): \(error)")
        }
        defer { lock.release() }
        return try body()
    }
}
