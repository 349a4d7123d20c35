// swift-tools-version: 6.1
// Heimdall's benchmarks (ordo-one/benchmark), in their own package so the normal build and tests
// never compile the harness. Run from this folder:
//   swift package --allow-writing-to-package-directory benchmark
import Foundation
import PackageDescription

// A path dependency's package identity is its folder name, which depends on where the repository
// was cloned; read it rather than hard-coding it.
let heimdall = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "HeimdallBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // A read-bandwidth probe in C, so the scan's GB/s can be compared with what one core
        // can stream in the same run.
        .target(
            name: "CMemoryProbe",
            path: "Sources/CMemoryProbe",
            cSettings: [.unsafeFlags(["-O3"])]
        ),
        .executableTarget(
            name: "VectorScan",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HeimdallVector", package: heimdall),
                "CMemoryProbe",
            ],
            path: "Benchmarks/VectorScan",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SemanticLookup",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HeimdallEmbedding", package: heimdall),
                .product(name: "HeimdallVector", package: heimdall),
                .product(name: "HeimdallStore", package: heimdall),
                .product(name: "HeimdallCore", package: heimdall),
            ],
            path: "Benchmarks/SemanticLookup",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "RequestPath",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HeimdallStore", package: heimdall),
                .product(name: "HeimdallCore", package: heimdall),
            ],
            path: "Benchmarks/RequestPath",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "EmbeddingLatency",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HeimdallEmbedding", package: heimdall),
            ],
            path: "Benchmarks/EmbeddingLatency",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
