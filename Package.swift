// swift-tools-version:6.1
// GRDB.swift 7 needs tools 6.1; everything else here is happy with it.

import PackageDescription

/// Dependencies, each for one job we would otherwise write by hand:
/// - swift-argument-parser: the `feedwatch` command line, its help and usage errors.
/// - swift-log: structured logging API; the daemon bootstraps a journald-friendly handler.
/// - TOMLKit: a maintained TOML parser (wraps toml++) for the config file.
/// - GRDB.swift: SQLite with WAL, migrations and concurrent readers for the daemon's state.
let package = Package(
    name: "feedwatch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "feedwatch", targets: ["feedwatch"]),
        // Not for users: the in-process half of bench/run.
        .executable(name: "feedwatch-bench", targets: ["feedwatch-bench"]),
        // Not for users: the libraries the fuzz targets in Fuzz/ (a package of their own) are built on.
        .library(name: "FeedwatchCore", targets: ["FeedwatchCore"]),
        .library(name: "FeedwatchParser", targets: ["FeedwatchParser"]),
        .library(name: "FeedwatchRules", targets: ["FeedwatchRules"]),
        .library(name: "FeedwatchConfig", targets: ["FeedwatchConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries, each behind a tiny shim; imported by exactly one Swift module.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // glibc's mallopt, for the daemon to bound its memory; used by the feedwatch executable only.
        .systemLibrary(name: "CMalloc"),

        // Plain values and pure logic shared by every other module.
        .target(name: "FeedwatchCore"),
        // Bytes → FeedDocument: encodings, RSS/Atom/RDF/JSON Feed, dates, HTML-to-text. The only user of libxml2.
        .target(name: "FeedwatchParser", dependencies: ["FeedwatchCore", "CLibXML2"]),
        // HTTP(S) with libcurl's multi interface. The only user of libcurl.
        .target(name: "FeedwatchFetcher", dependencies: ["FeedwatchCore", "CCurl"]),
        // The rule language, text normalization and the matching engine.
        .target(name: "FeedwatchRules", dependencies: ["FeedwatchCore"]),
        // The TOML config: loading, validation, diagnostics with file:line:column.
        .target(
            name: "FeedwatchConfig",
            dependencies: ["FeedwatchCore", "FeedwatchRules", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // Durable state (SQLite) and the append-only alert log.
        .target(
            name: "FeedwatchStore",
            dependencies: ["FeedwatchCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The fetch → parse → match → record pipeline, scheduling, signals, systemd notify, metrics.
        .target(
            name: "FeedwatchDaemon",
            dependencies: [
                "FeedwatchCore", "FeedwatchParser", "FeedwatchFetcher", "FeedwatchRules", "FeedwatchConfig",
                "FeedwatchStore", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // @main: argument parsing and wiring only.
        .executableTarget(
            name: "feedwatch",
            dependencies: [
                "FeedwatchCore", "FeedwatchParser", "FeedwatchFetcher", "FeedwatchRules", "FeedwatchConfig",
                "FeedwatchStore", "FeedwatchDaemon", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // bench/run's measuring tool: drives the parser, fetcher and rules engine in-process and prints JSON lines.
        .executableTarget(
            name: "feedwatch-bench",
            dependencies: [
                "FeedwatchCore", "FeedwatchParser", "FeedwatchFetcher", "FeedwatchRules", "FeedwatchConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Helpers for tests only: temporary directories, fixtures, the loopback HTTP server, running the binary.
        .target(name: "FeedwatchTestSupport", dependencies: ["FeedwatchCore"], resources: [.copy("Resources")]),

        .testTarget(name: "FeedwatchCoreTests", dependencies: ["FeedwatchCore"]),
        .testTarget(
            name: "FeedwatchParserTests",
            dependencies: ["FeedwatchParser", "FeedwatchTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "FeedwatchFetcherTests",
            dependencies: ["FeedwatchFetcher", "FeedwatchTestSupport"]
        ),
        .testTarget(
            name: "FeedwatchRulesTests",
            dependencies: ["FeedwatchRules", "FeedwatchTestSupport"],
            resources: [.copy("FuzzRegressions")]
        ),
        // The shipped rule set in config/rules judged against labelled examples (precision and recall).
        .testTarget(
            name: "DefaultRulesTests",
            dependencies: ["FeedwatchConfig", "FeedwatchRules", "FeedwatchTestSupport"],
            resources: [.copy("Labelled")]
        ),
        // TOMLKit here only to cross-check the locator against the parser's own tree.
        .testTarget(
            name: "FeedwatchConfigTests",
            dependencies: ["FeedwatchConfig", "FeedwatchTestSupport", .product(name: "TOMLKit", package: "TOMLKit")],
            resources: [.copy("FuzzRegressions")]
        ),
        .testTarget(name: "FeedwatchStoreTests", dependencies: ["FeedwatchStore", "FeedwatchTestSupport"]),
        .testTarget(name: "FeedwatchDaemonTests", dependencies: ["FeedwatchDaemon", "FeedwatchTestSupport"]),
        // End-to-end: runs the built `feedwatch` binary as a real process.
        .testTarget(name: "feedwatchTests", dependencies: ["FeedwatchTestSupport"]),
    ]
)

// One place for language settings, so every target compiles the same way.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
    ]
}
