// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Heimdall",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "heimdall", targets: ["heimdall"]),
        // Libraries the Benchmarks/ package builds on.
        .library(name: "HeimdallEmbedding", targets: ["HeimdallEmbedding"]),
        .library(name: "HeimdallVector", targets: ["HeimdallVector"]),
        .library(name: "HeimdallCore", targets: ["HeimdallCore"]),
        .library(name: "HeimdallStore", targets: ["HeimdallStore"]),
        // The request invariants the libFuzzer package in Tests/Fuzz drives.
        .library(name: "HeimdallFuzzing", targets: ["HeimdallFuzzing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "HeimdallCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto")
            ]
        ),
        // Offline hit-quality work: labelled-pair evaluation, seeded splits, the verifier's training.
        .target(name: "HeimdallEvaluation", dependencies: ["HeimdallCore"]),
        // Invariants over request parsing, canonical JSON and keys, for fuzzing (docs/reliability.md).
        .target(name: "HeimdallFuzzing", dependencies: ["HeimdallCore"]),
        .target(
            name: "CEmbeddingKernels",
            cSettings: [
                // Optimise the kernels even in debug builds so `swift test` stays fast; the ISA is
                // chosen per function at run time, so no -march flag is needed (or wanted).
                .unsafeFlags(["-O3", "-fno-math-errno"])
            ]
        ),
        .target(
            name: "HeimdallEmbedding",
            dependencies: [
                "CEmbeddingKernels",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The scan kernels are compiled with -O3 even in debug builds; every ISA path carries its
        // own target attribute and is chosen at run time, so no -march flag.
        .target(
            name: "CVectorKernels",
            cSettings: [.unsafeFlags(["-O3"])]
        ),
        .target(
            name: "HeimdallVector",
            dependencies: ["CVectorKernels", "HeimdallCore"]
        ),
        .target(
            name: "HeimdallStore",
            dependencies: [
                "CSQLite", "CZlib", "HeimdallCore",
            ]
        ),
        .target(
            name: "HeimdallMockUpstream",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "HeimdallProxy",
            dependencies: [
                "HeimdallCore", "HeimdallStore", "HeimdallEmbedding", "HeimdallVector",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            // The admin dashboard, compiled into the binary.
            resources: [.embedInCode("Resources/dashboard.html")]
        ),
        .executableTarget(
            name: "heimdall",
            dependencies: [
                "HeimdallCore", "HeimdallEvaluation", "HeimdallProxy", "HeimdallMockUpstream", "HeimdallEmbedding",
                "HeimdallVector",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "HeimdallCoreTests", dependencies: ["HeimdallCore", "HeimdallFuzzing"]),
        .testTarget(name: "HeimdallEvaluationTests", dependencies: ["HeimdallEvaluation", "HeimdallCore"]),
        .testTarget(name: "HeimdallStoreTests", dependencies: ["HeimdallStore", "HeimdallCore"]),
        .testTarget(name: "HeimdallVectorTests", dependencies: ["HeimdallVector", "CVectorKernels"]),
        .testTarget(
            name: "HeimdallEmbeddingTests",
            dependencies: ["HeimdallEmbedding", "CEmbeddingKernels"],
            // Parity fixtures: reference outputs of sentence-transformers (docs/minilm-recipe.md).
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "HeimdallProxyTests",
            dependencies: [
                "HeimdallProxy", "HeimdallMockUpstream", "HeimdallCore", "HeimdallStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
