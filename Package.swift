// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// The product's modules run a nonisolated async function on its caller's executor, as Swift 6.2's
/// approachable concurrency does (SE-0461), instead of hopping to the global executor on the way in and back to
/// the caller's on the way out. Under `serve` each hop was a trip through the event loop's task queue: 61 a
/// webhook message before, 42 after, and 3-6 % more messages a second (README, issue 15). Not for the test
/// targets: swift-testing's macros do not compile under it in this toolchain (6.3.1).
let productSwiftSettings: [SwiftSetting] =
    swiftSettings + [
        .enableUpcomingFeature("NonisolatedNonsendingByDefault")
    ]

let package = Package(
    name: "weiquan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "weiquan", targets: ["weiquan"]),
        .library(name: "WeiquanCore", targets: ["WeiquanCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Bearer-token authentication as Hummingbird middleware for the desk API.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        // Metrics through the standard API, rendered in the Prometheus text format at /metrics.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Typed file descriptors and errno for the store's file calls.
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        // PostgreSQL for several instances on one database: a connection pool, LISTEN/NOTIFY.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // The console's HTML templates: escaping by default, partials and layouts, loadable from a directory
        // so that a centre can restyle the pages without rebuilding.
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // Already underneath Hummingbird; named for `serve`, which runs Swift Concurrency on NIO's event loops.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // Pure domain: Foundation only, no I/O, no clock, no randomness.
        .target(name: "WeiquanCore", swiftSettings: productSwiftSettings),
        // Reads the data directories (intents/, config, transcripts/) from disk into core values.
        .target(
            name: "WeiquanFiles",
            dependencies: ["WeiquanCore"],
            resources: [
                // Compiled into the binary, so `weiquan serve` runs anywhere on its demo defaults.
                .embedInCode("Resources/demo-config.json"),
                .embedInCode("Resources/legal-status-demo.json"),
            ],
            swiftSettings: productSwiftSettings
        ),
        // Registry exports (CSV in UTF-8 or GBK, JSON, JSON Lines) read into a compact in-memory registry.
        .target(
            name: "WeiquanRegistry",
            dependencies: ["WeiquanCore", "WeiquanStore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: productSwiftSettings
        ),
        // The durable JSON document store: journal with group commit, snapshots, in-memory twin.
        .target(
            name: "WeiquanStore",
            dependencies: ["WeiquanCore", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: productSwiftSettings
        ),
        // The store and the coordination of several instances on one PostgreSQL database.
        .target(
            name: "WeiquanPostgres",
            dependencies: [
                "WeiquanStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: productSwiftSettings
        ),
        // The WeChat official-account protocol: signatures, XML in and out, safe mode.
        .target(
            name: "WeChatChannel",
            dependencies: [
                "WeiquanCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: productSwiftSettings
        ),
        // The only HTTP code: the webhook, health and metrics routes, and the conversation service.
        .target(
            name: "WeiquanServer",
            dependencies: [
                "WeiquanRegistry",
                "WeiquanCore",
                "WeiquanFiles",
                "WeiquanStore",
                "WeiquanPostgres",
                "WeChatChannel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Outbound calls to the WeChat API (customer-service messages, access tokens).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // SHA-256 of desk tokens.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
                // The thread pool that takes seconds-long computing (a registry load) off the event loops.
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [
                // The OpenAPI document of /api/v1, served at /api/v1/openapi.json.
                .embedInCode("Resources/openapi.json"),
                // The console's templates, styles and scripts (`ConsoleTemplates` lists them too).
                .embedInCode("Resources/console/admin.css"),
                .embedInCode("Resources/console/case.mustache"),
                .embedInCode("Resources/console/cases.css"),
                .embedInCode("Resources/console/cases.js"),
                .embedInCode("Resources/console/cases.mustache"),
                .embedInCode("Resources/console/console.css"),
                .embedInCode("Resources/console/console.js"),
                .embedInCode("Resources/console/desk.js"),
                .embedInCode("Resources/console/erasures.mustache"),
                .embedInCode("Resources/console/error.mustache"),
                .embedInCode("Resources/console/handoff.mustache"),
                .embedInCode("Resources/console/knowledge-entry.mustache"),
                .embedInCode("Resources/console/knowledge.mustache"),
                .embedInCode("Resources/console/layout.mustache"),
                .embedInCode("Resources/console/logo.svg"),
                .embedInCode("Resources/console/messages.mustache"),
                .embedInCode("Resources/console/people.js"),
                .embedInCode("Resources/console/people.mustache"),
                .embedInCode("Resources/console/question-history.mustache"),
                .embedInCode("Resources/console/question.mustache"),
                .embedInCode("Resources/console/questions.css"),
                .embedInCode("Resources/console/questions.mustache"),
                .embedInCode("Resources/console/queue.mustache"),
                .embedInCode("Resources/console/reports.mustache"),
                .embedInCode("Resources/console/review.mustache"),
                .embedInCode("Resources/console/sign-in-link.mustache"),
                .embedInCode("Resources/console/sign-in.mustache"),
                .embedInCode("Resources/console/try.js"),
                .embedInCode("Resources/console/try.mustache"),
            ],
            swiftSettings: productSwiftSettings
        ),
        .executableTarget(
            name: "weiquan",
            dependencies: [
                "WeiquanRegistry",
                "WeiquanCore",
                "WeiquanFiles",
                "WeiquanStore",
                "WeiquanServer",
                "WeiquanPostgres",
                "WeChatChannel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // One probing connection before the pools start (`--store` that cannot be reached).
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // `serve` runs Swift Concurrency's jobs on NIO's event loops (one pool of threads, no hops).
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: productSwiftSettings
        ),
        .executableTarget(
            name: "WeiquanBench",
            dependencies: [
                "WeChatChannel", "WeiquanCore", "WeiquanFiles", "WeiquanRegistry", "WeiquanServer", "WeiquanStore",
            ],
            path: "bench/WeiquanBench",
            swiftSettings: swiftSettings
        ),
        // What several test targets share (a seeded random generator, a PostgreSQL database per test).
        .target(
            name: "WeiquanTestSupport",
            dependencies: [
                "WeiquanPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/WeiquanTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WeiquanCoreTests",
            dependencies: ["WeiquanCore", "WeiquanFiles", "WeiquanTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WeiquanRegistryTests",
            dependencies: [
                "WeiquanCore", "WeiquanRegistry", "WeiquanStore", "WeiquanPostgres", "WeiquanTestSupport",
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WeiquanStoreTests",
            dependencies: [
                "WeiquanStore", "WeiquanPostgres", "WeiquanTestSupport",
                .product(name: "SystemPackage", package: "swift-system"),
                // Tests of the PostgreSQL coordination make their databases and send notices themselves.
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WeChatChannelTests", dependencies: ["WeChatChannel", "WeiquanTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WeiquanServerTests",
            dependencies: [
                "WeiquanServer",
                "WeiquanFiles",
                "WeiquanStore",
                "WeiquanPostgres",
                "WeChatChannel",
                "WeiquanTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // A client that reads GET /api/v1/events as it streams.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
