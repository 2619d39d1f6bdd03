// swift-tools-version:6.1
// libFuzzer targets for feedwatch, kept out of the main package so `swift build`, `swift test` and CI
// never pay for them. Built and run by `scripts/fuzz` (see the README, "Reliability").

import PackageDescription

/// Each fuzz target is an executable whose `LLVMFuzzerTestOneInput` feeds one input to one entry point
/// of feedwatch. They must be built with `-sanitize=fuzzer,address` (scripts/fuzz passes it), which also
/// instruments every feedwatch module for coverage.
let fuzzTargets: [(name: String, product: String)] = [
    ("FuzzFeedParser", "FeedwatchParser"),
    ("FuzzFeedDate", "FeedwatchParser"),
    ("FuzzHTMLText", "FeedwatchParser"),
    ("FuzzRuleCompiler", "FeedwatchRules"),
    ("FuzzConfigLoading", "FeedwatchConfig"),
]

let package = Package(
    name: "feedwatch-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        // `name:` pins the identity: a path dependency is otherwise named after its folder, which differs
        // between checkouts (worktrees, CI).
        .package(name: "feedwatch", path: ".."),
    ],
    targets: [
        // Declares libFuzzer's `LLVMFuzzerRunDriver`; the sanitizer runtime provides it at link time.
        .systemLibrary(name: "CLibFuzzer"),
        // The entry point every target shares, and helpers for turning bytes into inputs.
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
    ]
        + fuzzTargets.map { target in
            .executableTarget(
                name: target.name,
                dependencies: [
                    "FuzzSupport",
                    .product(name: target.product, package: "feedwatch"),
                    .product(name: "FeedwatchCore", package: "feedwatch"),
                ]
            )
        }
)

// Same language settings as the main package.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
    ]
}
