import Foundation
import Hummingbird
import WeiquanCore
import WeiquanRegistry

/// `GET /api/v1/registry`: the legal-status data the bot answers from — each imported source with its as-of day and
/// what it holds, whether the data is older than `conversation.legal_status_stale_days`, and whether the embedded
/// demo records still answer. Staff and admins only; volunteers get 403 `forbidden_role`.
struct RegistryController: Sendable {
    let registry: LiveRegistry
    let staleDays: Int
    /// Today at the centre (the conversation machine's day of the injected clock).
    let today: @Sendable () -> CalendarDay
    let tokens: TokenRegistry

    func addRoutes(to router: Router<WeiquanRequestContext>) {
        DeskController.api(router, tokens: self.tokens).get("registry") { _, context in
            try DeskService.requireStaff(context.staff())
            return RegistryStatus(registry: self.registry, staleDays: self.staleDays, today: self.today())
        }
    }
}

/// What `GET /api/v1/registry` and the console's reports page say of the registry.
struct RegistryStatus: ResponseEncodable, Equatable {
    struct Source: Encodable, Equatable {
        var name: String
        var file: String
        var asOf: String?
        /// Days from the as-of day to today (the centre's day).
        var ageDays: Int?
        var isStale: Bool
        var patents: Int
        var events: Int
        var trademarks: Int
        var flowRows: Int
        var rowsRefused: Int
        var importedAt: Date

        enum CodingKeys: String, CodingKey {
            case name, file, patents, events, trademarks
            case asOf = "as_of"
            case ageDays = "age_days"
            case isStale = "stale"
            case flowRows = "flow_rows"
            case rowsRefused = "rows_refused"
            case importedAt = "imported_at"
        }
    }

    var sources: [Source]
    var patents: Int
    var trademarks: Int
    /// Nothing imported: the embedded demo records (or the configured registry file) answer.
    var demoAnswering: Bool
    var staleDays: Int

    init(registry: LiveRegistry, staleDays: Int, today: CalendarDay) {
        let imported = registry.imported
        self.sources = registry.sources.map { source in
            let age = source.asOf.flatMap(CalendarDay.init).map { today.days(since: $0) }
            return Source(
                name: source.name, file: source.file, asOf: source.asOf, ageDays: age,
                isStale: age.map { $0 > staleDays } ?? false, patents: source.patents, events: source.events,
                trademarks: source.trademarks, flowRows: source.flowRows, rowsRefused: source.rowsRefused,
                importedAt: source.importedAt)
        }
        self.patents = imported.patentCount
        self.trademarks = imported.trademarkCount
        self.demoAnswering = self.sources.isEmpty
        self.staleDays = staleDays
    }

    enum CodingKeys: String, CodingKey {
        case sources, patents, trademarks
        case demoAnswering = "demo_answering"
        case staleDays = "stale_days"
    }
}
