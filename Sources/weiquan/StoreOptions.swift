import ArgumentParser
import Foundation

/// Which store a command works on: PostgreSQL with `--store URL` (else `$WEIQUAN_STORE_URL`), otherwise the
/// embedded store in the `--data` directory.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "A PostgreSQL store, postgres://user[:password]@host[:port]/database (default: $WEIQUAN_STORE_URL).",
            valueName: "url"
        )
    )
    var storeURL: String?

    @Option(
        name: .customLong("data"),
        help: ArgumentHelp(
            "The embedded store's data directory when no PostgreSQL store is given "
                + "(default: server.data_directory: $WEIQUAN_SERVER_DATA_DIRECTORY, else 'data').",
            valueName: "dir"
        )
    )
    var dataDirectory: String?

    /// The store: `--store`; else `--data`; else `$WEIQUAN_STORE_URL`; else `defaultDirectory` (the
    /// configuration's data directory). An explicit `--data` beats the environment's URL, like every flag.
    func location(
        defaultDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> StoreLocation {
        if let text = self.storeURL {
            guard self.dataDirectory == nil else { throw StoreLocationError.storeAndData }
            return try Self.url(text)
        }
        if let directory = self.dataDirectory {
            return try StoreLocation(parsing: directory)
        }
        if let text = environment["WEIQUAN_STORE_URL"], !text.isEmpty {
            return try Self.url(text)
        }
        return .embedded(directory: defaultDirectory)
    }

    /// A `--store` value: only a PostgreSQL URL.
    private static func url(_ text: String) throws -> StoreLocation {
        let location = try StoreLocation(parsing: text)
        guard case .postgres = location else { throw StoreLocationError.notAURL }
        return location
    }
}
