import Foundation

/// Where a PostgreSQL store is: parsed from `postgres://user[:password]@host[:port]/database`.
public struct PostgresStoreURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String

    /// Parses a `postgres://` or `postgresql://` URL; nil for anything else.
    public init?(_ text: String) {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql",
            let host = components.host, !host.isEmpty
        else { return nil }
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user ?? "postgres"
        self.password = components.password
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? self.username : path
    }

    /// The URL without its password, for logs.
    public var description: String {
        "postgres://\(self.username)@\(self.host):\(self.port)/\(self.database)"
    }
}
