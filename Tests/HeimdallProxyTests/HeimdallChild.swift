import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The built `heimdall` executable running `serve` as a child process, for tests that crash it.
/// Listens on ports the OS picks (read back from its log); stderr goes to a file, so a chatty
/// log can never block it on a full pipe. Always stopped by PID.
final class HeimdallChild: Sendable {
    let process: Process
    let pid: Int32
    let logFile: URL
    let proxyURL: String
    let adminURL: String

    struct StartFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// `.build/<config>/heimdall`, beside the test bundle that `swift build --build-tests` / `swift test` made.
    static func executable() throws -> URL {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL?.deletingLastPathComponent() {
            candidates.append(bundle.appendingPathComponent("heimdall"))
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/heimdall"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw StartFailed(description: "heimdall executable not found in \(candidates.map(\.path)); run `swift build` first")
        }
        return found
    }

    /// Starts `heimdall serve` in `directory` (so no config/heimdall.json is picked up) and waits until it listens.
    /// Direct caching only unless `environment` says otherwise: the prompts these tests send differ by a digit,
    /// which is a job for the hit-quality guard, not for crash tests.
    static func start(upstream: String, db: String, directory: URL, name: String, environment extra: [String: String] = [:]) async throws
        -> HeimdallChild
    {
        let logFile = directory.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--upstream", upstream, "--db", db]
        process.currentDirectoryURL = directory
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HEIMDALL_EMBEDDER": "none"]
        environment.merge(extra) { _, new in new }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        let pid = process.processIdentifier
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            if let line = log.split(separator: "\n").first(where: { $0.contains("heimdall listening") }),
                let proxy = value(of: "proxy", in: line), let admin = value(of: "admin", in: line)
            {
                return HeimdallChild(process: process, pid: pid, logFile: logFile, proxyURL: proxy, adminURL: admin)
            }
            if !process.isRunning {
                throw StartFailed(description: "heimdall exited with \(process.terminationStatus) before listening:\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(pid, SIGKILL)
        process.waitUntilExit()
        throw StartFailed(description: "heimdall did not start listening within 30 s")
    }

    private init(process: Process, pid: Int32, logFile: URL, proxyURL: String, adminURL: String) {
        self.process = process
        self.pid = pid
        self.logFile = logFile
        self.proxyURL = proxyURL
        self.adminURL = adminURL
    }

    /// `key=value` from a swift-log line.
    static func value(of key: String, in line: Substring) -> String? {
        guard let range = line.range(of: "\(key)=") else { return nil }
        return String(line[range.upperBound...].prefix { !$0.isWhitespace })
    }

    func signal(_ signal: Int32) { _ = kill(pid, signal) }

    var isRunning: Bool { process.isRunning }

    /// Waits for the process to exit; its status, or nil if it is still running at the deadline.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// SIGKILL if still running, and reap: every test calls this on every path (`defer`).
    func forceStop() {
        guard process.isRunning else { return }
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }
}
