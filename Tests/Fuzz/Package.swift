// swift-tools-version: 6.1
// A libFuzzer target over Heimdall's request parsing, canonical JSON and keys, in its own package
// so normal builds never compile it with sanitizers. From this folder (docs/reliability.md):
//   swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//   .build/debug/HeimdallFuzz corpus-work corpus -max_total_time=600
import Foundation
import PackageDescription

// A path dependency's package identity is its folder name, which depends on where the repository
// was cloned; read it rather than hard-coding it.
let heimdall = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let package = Package(
    name: "HeimdallFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(
            name: "HeimdallFuzz",
            dependencies: [.product(name: "HeimdallFuzzing", package: heimdall)]
        )
    ]
)
