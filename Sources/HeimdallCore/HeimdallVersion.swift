/// The release this build is, as `heimdall --version` and `/stats` report it.
public enum HeimdallVersion {
    public static let current = "0.1.0"
}
