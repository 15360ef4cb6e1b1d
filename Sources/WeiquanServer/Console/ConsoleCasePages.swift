import Hummingbird

/// The console's pages of cases (`/console/cases`, `/console/cases/{id}`) and erasure requests (`/console/erasures`).
struct ConsoleCasePages: Sendable {
    let services: ConsoleFeature.Services
    let renderer: ConsoleRenderer

    /// The templates and scripts of these pages, by file name (embedded in the binary).
    static let files: [String: [UInt8]] = [:]

    func addRoutes(to console: RouterGroup<ConsoleRequestContext>) {}
}
