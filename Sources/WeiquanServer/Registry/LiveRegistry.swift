import Logging
import NIOPosix
import Synchronization
import WeiquanCore
import WeiquanRegistry

/// The registry the bot and staff answer from: the imported sources (``CompactRegistry``) first, then the
/// registry file of the configuration; the embedded demo records answer only while nothing is imported.
///
/// ``refresh()`` reads the shelf's list of sources and, when it changed, loads the new registry beside the old
/// one and swaps it in: lookups never wait for a load, and every instance picks up an import on its next refresh.
public final class LiveRegistry: LegalStatusRegistry {
    /// What one load gave; swapped whole, so a lookup takes one reference under the lock, not the registry's columns.
    private final class Loaded: Sendable {
        let registry: CompactRegistry
        let sources: [RegistrySource]

        init(registry: CompactRegistry = CompactRegistry(), sources: [RegistrySource] = []) {
            self.registry = registry
            self.sources = sources
        }
    }

    /// Where the imported sources are kept.
    public let shelf: any RegistryShelf
    private let fallback: any LegalStatusRegistry
    private let fallbackIsDemo: Bool
    private let calendar: HolidayCalendar
    private let logger: Logger
    private let loaded = Mutex(Loaded())
    /// Serializes refreshes, so two never load at once.
    private let refreshing = Mutex(false)

    /// - Parameter calendar: the centre's holidays: the ends of periods (appeal, restoration) move past rest days.
    public init(
        shelf: any RegistryShelf, fallback: any LegalStatusRegistry, fallbackIsDemo: Bool,
        calendar: HolidayCalendar = .weekendsOnly, logger: Logger
    ) {
        self.shelf = shelf
        self.calendar = calendar
        self.fallback = fallback
        self.fallbackIsDemo = fallbackIsDemo
        self.logger = logger
    }

    public func record(kind: LegalStatusRecord.RightKind, number: String, today: CalendarDay) -> LegalStatusRecord? {
        let loaded = self.loaded.withLock { $0 }
        if let record = loaded.registry.record(kind: kind, number: number, today: today) { return record }
        if !loaded.sources.isEmpty, self.fallbackIsDemo { return nil }
        return self.fallback.record(kind: kind, number: number, today: today)
    }

    /// The sources answering now.
    public var sources: [RegistrySource] {
        self.loaded.withLock { $0.sources }
    }

    /// The imported registry answering now.
    public var imported: CompactRegistry {
        self.loaded.withLock { $0.registry }
    }

    /// Loads the shelf's sources when their list changed since the last load; returns whether it loaded.
    ///
    /// A source that cannot be read leaves the registry answering as before, and the error is logged.
    @discardableResult
    public func refresh() async -> Bool {
        let started = self.refreshing.withLock { busy -> Bool in
            if busy { return false }
            busy = true
            return true
        }
        guard started else { return false }
        defer { self.refreshing.withLock { $0 = false } }
        do {
            let sources = try await self.shelf.sources()
            let current = self.sources
            guard Self.versions(sources) != Self.versions(current) else { return false }
            let stored = try await RegistryLoader.read(sources, from: self.shelf)
            // Seconds of computing for a province: on the thread pool, not on an event loop that serves messages.
            let calendar = self.calendar
            let registry = try await NIOThreadPool.singleton.runIfActive {
                try RegistryLoader.build(stored, calendar: calendar)
            }
            self.loaded.withLock { $0 = Loaded(registry: registry, sources: sources) }
            self.logger.info(
                "registry loaded",
                metadata: [
                    "sources": "\(sources.map(\.name))", "patents": "\(registry.patentCount)",
                    "trademarks": "\(registry.trademarkCount)",
                ])
            return true
        } catch {
            self.logger.error(
                "registry sources could not be loaded; answering from the registry loaded before",
                metadata: ["error": "\(error)"])
            return false
        }
    }

    private static func versions(_ sources: [RegistrySource]) -> [String: String] {
        Dictionary(sources.map { ($0.name, $0.dataSHA256) }, uniquingKeysWith: { first, _ in first })
    }
}
