import Hummingbird

/// The console's pages of the volunteers' queue (`/console/questions`, `/console/questions/{id}`, `/console/questions/history`) and staff review (`/console/review`).
struct ConsoleQuestionPages: Sendable {
    let services: ConsoleFeature.Services
    let renderer: ConsoleRenderer

    /// The templates and scripts of these pages, by file name (embedded in the binary).
    static let files: [String: [UInt8]] = [:]

    func addRoutes(to console: RouterGroup<ConsoleRequestContext>) {}
}
