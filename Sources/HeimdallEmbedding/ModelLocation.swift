import Foundation

/// Where the local MiniLM model files live by default.
public enum ModelLocation {
    /// Environment variable that overrides the default directory.
    public static let environmentVariable = "HEIMDALL_MODEL_DIR"

    /// `$HEIMDALL_MODEL_DIR` if set and non-empty, else `~/.cache/heimdall/models/all-MiniLM-L6-v2`
    /// (the directory `scripts/install-model.sh` fills).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let override = environment[environmentVariable], !override.isEmpty {
            return URL(fileURLWithPath: (override as NSString).expandingTildeInPath, isDirectory: true)
        }
        let home =
            environment["HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".cache/heimdall/models/all-MiniLM-L6-v2", isDirectory: true)
    }
}
