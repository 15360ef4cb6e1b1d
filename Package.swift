// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "weiquan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "weiquan", targets: ["weiquan"]),
        .library(name: "WeiquanCore", targets: ["WeiquanCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // Pure domain: Foundation only, no I/O, no clock, no randomness.
        .target(name: "WeiquanCore", swiftSettings: swiftSettings),
        // Reads the data directories (intents/, config, transcripts/) from disk into core values.
        .target(
            name: "WeiquanFiles",
            dependencies: ["WeiquanCore"],
            resources: [
                // Compiled into the binary, so `weiquan serve` runs anywhere on its demo defaults.
                .embedInCode("Resources/demo-config.json"),
                .embedInCode("Resources/legal-status-demo.json"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "weiquan",
            dependencies: [
                "WeiquanCore",
                "WeiquanFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "WeiquanBench",
            dependencies: ["WeiquanCore", "WeiquanFiles"],
            path: "bench/WeiquanBench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WeiquanCoreTests",
            dependencies: ["WeiquanCore", "WeiquanFiles"],
            swiftSettings: swiftSettings
        ),
    ]
)
