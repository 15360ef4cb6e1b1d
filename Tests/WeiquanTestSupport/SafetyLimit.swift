/// How long a test waits for an event before it gives up: far longer than any event takes on the slowest
/// machine, so that it only ever ends a test that would otherwise hang.
public enum SafetyLimit {
    /// One minute of real time.
    public static let standard: Duration = .seconds(60)
}

/// The event a test waited for did not come within its safety limit: the test fails instead of hanging.
public struct SafetyLimitExceeded: Error, CustomStringConvertible {
    /// What the test waited for.
    public var what: String
    public var limit: Duration

    public var description: String { "waited \(self.limit) of real time for \(self.what) in vain" }
}

/// Runs `body` (a wait on an event), throwing ``SafetyLimitExceeded`` if it has not finished within `limit` of real
/// time; `body` is then cancelled, so it must stop waiting when cancelled.
public func withSafetyLimit<Value: Sendable>(
    _ what: String, limit: Duration = SafetyLimit.standard, _ body: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    try await withThrowingTaskGroup(of: SafetyLimitRace<Value>.self) { group in
        group.addTask { .finished(try await body()) }
        group.addTask {
            try await ContinuousClock().sleep(for: limit)
            return .limitReached
        }
        defer { group.cancelAll() }
        guard case .finished(let value) = try await group.next() else {
            throw SafetyLimitExceeded(what: what, limit: limit)
        }
        return value
    }
}

/// Which of a wait and its safety limit ended first.
private enum SafetyLimitRace<Value: Sendable>: Sendable {
    case finished(Value)
    case limitReached
}
