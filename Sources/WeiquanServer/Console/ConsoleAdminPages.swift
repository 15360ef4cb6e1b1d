import Hummingbird

/// The console's pages of reports (`/console/reports`), people (`/console/people`), the knowledge base (`/console/knowledge`) and try the bot (`/console/try`).
struct ConsoleAdminPages: Sendable {
    let services: ConsoleFeature.Services
    let renderer: ConsoleRenderer

    /// The templates and scripts of these pages, by file name (embedded in the binary).
    static let files: [String: [UInt8]] = [:]

    func addRoutes(to console: RouterGroup<ConsoleRequestContext>) {}
}
