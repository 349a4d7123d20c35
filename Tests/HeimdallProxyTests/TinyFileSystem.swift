import Foundation

/// A tmpfs of a few hundred KiB mounted on a temporary folder: a real full disk and a real
/// read-only file system for the store's fault tests, not a simulation of SQLite's errors.
/// Mounting needs root, which CI has; `unmount()` removes it again.
struct TinyFileSystem {
    struct SetupFailed: Error, CustomStringConvertible { let description: String }

    /// Whether this process may mount (root). Elsewhere the fault tests say why they skip.
    static var isAvailable: Bool { getuid() == 0 }

    let directory: URL

    init(kilobytes: Int) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("heimdall-tinyfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.mount(["-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0755", "tmpfs", directory.path])
    }

    /// Grows (or shrinks) the file system in place; the files stay.
    func resize(kilobytes: Int) throws { try Self.mount(["-o", "remount,size=\(kilobytes)k", directory.path]) }

    func remount(readOnly: Bool) throws { try Self.mount(["-o", readOnly ? "remount,ro" : "remount,rw", directory.path]) }

    func unmount() {
        _ = try? Self.run("/bin/umount", ["-l", directory.path])
        try? FileManager.default.removeItem(at: directory)
    }

    var databasePath: String { directory.appendingPathComponent("heimdall.sqlite").path }

    private static func mount(_ arguments: [String]) throws {
        let (status, output) = try run("/bin/mount", arguments)
        guard status == 0 else { throw SetupFailed(description: "mount \(arguments.joined(separator: " ")): \(output)") }
    }

    private static func run(_ path: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, output)
    }
}
