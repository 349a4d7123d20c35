/// Builds a `HeimdallConfiguration` from its sources, highest first:
/// command line > environment (`HEIMDALL_<KEY>`) > config file > defaults.
/// Unknown keys and bad values are errors naming the key and where it came from;
/// nothing is silently ignored.
public struct ConfigurationLoader {
    /// Where a value came from, for error messages.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case file(String), environment(String), commandLine(String)

        public var description: String {
            switch self {
            case .file(let path): return "config file \(path)"
            case .environment(let name): return "environment variable \(name)"
            case .commandLine(let flag): return "command-line option \(flag)"
            }
        }
    }

    public init() {}

    /// - Parameters:
    ///   - fileContents: the config file's bytes and path, if one is in use.
    ///   - environment: the process environment; only `HEIMDALL_*` names are read.
    ///   - commandLine: values given as flags, keyed by config key (`listen`, `db`, …).
    public func load(
        file: (path: String, contents: [UInt8])?, environment: [String: String], commandLine: [String: String]
    ) throws(ConfigurationError) -> HeimdallConfiguration {
        var configuration = HeimdallConfiguration()
        let known = Set(HeimdallConfiguration.keys.map(\.name))
        if let file {
            let document: JSONValue
            do {
                document = try JSONParser.parse(file.contents)
            } catch {
                throw ConfigurationError("config file \(file.path) is not valid JSON: \(error)")
            }
            guard let members = document.uniqueMembers else {
                throw ConfigurationError("config file \(file.path) must hold a JSON object of settings")
            }
            for (key, value) in members {
                guard known.contains(key) else {
                    throw ConfigurationError(
                        "unknown key \"\(key)\" in config file \(file.path); known keys: \(known.sorted().joined(separator: ", "))")
                }
                try apply(key: key, value: value, source: .file(file.path), to: &configuration)
            }
        }
        for key in HeimdallConfiguration.keys.map(\.name) {
            let variable = "HEIMDALL_" + key.uppercased()
            if let text = environment[variable] {
                try apply(key: key, value: .string(text), source: .environment(variable), to: &configuration)
            }
        }
        for (key, text) in commandLine.sorted(by: { $0.key < $1.key }) {
            guard known.contains(key) else { throw ConfigurationError("unknown setting \"\(key)\"") }
            try apply(key: key, value: .string(text), source: .commandLine("--" + key), to: &configuration)
        }
        return configuration
    }

    func apply(key: String, value: JSONValue, source: Source, to c: inout HeimdallConfiguration) throws(ConfigurationError) {
        guard let setting = Self.byName[key] else { throw ConfigurationError("unknown setting \"\(key)\" from \(source)") }
        guard let expected = setting.read(value, &c) else { return }
        // A secret's value is never repeated, even when malformed.
        let got = setting.isSecret ? " (value not shown)" : ", got \(Self.describe(value))"
        throw ConfigurationError("invalid value for \"\(key)\" from \(source): expected \(expected)\(got)")
    }

    static let byName = Dictionary(uniqueKeysWithValues: HeimdallConfiguration.keys.map { ($0.name, $0) })

    static func bool(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let b): return b
        case .string("true"), .string("1"): return true
        case .string("false"), .string("0"): return false
        default: return nil
        }
    }

    static func int(_ value: JSONValue) -> Int? {
        switch value {
        case .number(let n), .string(let n): return Int(n)
        default: return nil
        }
    }

    static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let n), .string(let n): return Double(n).flatMap { $0.isFinite ? $0 : nil }
        default: return nil
        }
    }

    static func seconds(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let n): return Double(n)
        case .string(let s): return GoDuration.seconds(s)
        default: return nil
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        default: return CanonicalJSON.string(value)
        }
    }
}

/// A configuration problem found at start-up, with a message that names the key and its source.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
