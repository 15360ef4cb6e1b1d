import Hummingbird

/// The console's pages of the staff desk: the live queue (`/console/queue`) and one handoff (`/console/handoffs/{id}`).
struct ConsoleDeskPages: Sendable {
    let services: ConsoleFeature.Services
    let renderer: ConsoleRenderer

    /// The templates and scripts of these pages, by file name (embedded in the binary).
    static let files: [String: [UInt8]] = [:]

    func addRoutes(to console: RouterGroup<ConsoleRequestContext>) {}
}
