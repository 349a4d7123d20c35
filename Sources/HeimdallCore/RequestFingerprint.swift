/// Everything the cache needs to know about one cacheable request, derived once:
/// its direct key, its partition, the text a semantic lookup would embed and the
/// requested provider/model that `cache_debug` reports.
public struct RequestFingerprint: Sendable {
    /// SHA-256 (hex) of the canonical document: cache key, tenant, route, normalised input,
    /// output-affecting parameters and (when configured) provider and model.
    public let directKey: String
    /// The same document without the input text: entries that may answer each other semantically.
    public let partitionKey: String
    public let route: RouteFamily
    public let cacheKey: String
    public let tenant: String
    public let requestedModel: ModelName?
    public let isStream: Bool
    /// The prompt as semantic lookup embeds it (`role: content` lines for chat). Computed on
    /// demand: a direct hit never needs it.
    public var semanticText: String {
        PromptText(route: route, body: body, excludeSystemPrompt: excludeSystemPrompt).text
    }
    /// Number of conversation messages (for `conversation_history_threshold`).
    public let messageCount: Int
    private let body: JSONValue
    private let excludeSystemPrompt: Bool

    /// Options from configuration that change what the key covers.
    public struct Options: Sendable {
        public var cacheByModel: Bool
        public var cacheByProvider: Bool
        public var excludeSystemPrompt: Bool

        public init(cacheByModel: Bool = true, cacheByProvider: Bool = true, excludeSystemPrompt: Bool = false) {
            self.cacheByModel = cacheByModel
            self.cacheByProvider = cacheByProvider
            self.excludeSystemPrompt = excludeSystemPrompt
        }
    }

    /// Fields holding the input for each route; they go into the key normalised,
    /// and are left out of the partition.
    static func inputFields(for route: RouteFamily) -> [String] {
        switch route {
        case .chatCompletions: return ["messages"]
        case .textCompletions: return ["prompt", "suffix"]
        case .responses: return ["input", "instructions"]
        case .embeddings: return ["input"]
        case .audioSpeech: return ["input"]
        case .audioTranscriptions: return ["file"]
        case .imageGenerations, .videoCreate, .videoRemix: return ["prompt"]
        }
    }

    /// Fields that never change the output. Everything not listed here and not input
    /// is an output-affecting parameter, including ones Heimdall does not know (a miss
    /// is always safer than a wrong hit).
    static let ignoredFields: Set<String> = ["model", "user"]

    public init(route: RouteFamily, body: JSONValue, cacheKey: String, tenant: String, options: Options = Options())
        throws(RequestShapeError)
    {
        guard let members = body.uniqueMembers else { throw RequestShapeError("the request body must be a JSON object") }
        let inputNames = Self.inputFields(for: route)
        var input: [(key: String, value: JSONValue)] = []
        var params: [(key: String, value: JSONValue)] = []
        var modelField: String?
        for (key, value) in members {
            if key == "model" {
                guard case .string(let m) = value else { throw RequestShapeError("`model` must be a string") }
                modelField = m
            }
            if inputNames.contains(key) {
                input.append((key, TextNormalization.normalizeInput(value)))
            } else if !Self.ignoredFields.contains(key) {
                if let canonical = Self.canonicalParameter(key, value) { params.append((key, canonical)) }
            }
        }
        if route == .chatCompletions, body["messages"]?.arrayValue == nil {
            throw RequestShapeError("`messages` must be an array")
        }

        let requestedModel = modelField.map(ModelName.init)
        var partition: [(key: String, value: JSONValue)] = [
            ("v", .number("1")),
            ("cache_key", .string(cacheKey)),
            ("tenant", .string(tenant)),
            ("route", .string(route.rawValue)),
            ("params", .object(params)),
        ]
        if options.cacheByModel { partition.append(("model", requestedModel.map { .string($0.model) } ?? .null)) }
        if options.cacheByProvider { partition.append(("provider", requestedModel?.provider.map { .string($0) } ?? .null)) }
        let partitionDocument = JSONValue.object(partition)
        let directDocument = JSONValue.object(partition + [("input", .object(input))])

        self.route = route
        self.cacheKey = cacheKey
        self.tenant = tenant
        self.requestedModel = requestedModel
        self.isStream = body["stream"]?.boolValue == true
        self.partitionKey = Digest.sha256Hex(CanonicalJSON.encode(partitionDocument))
        self.directKey = Digest.sha256Hex(CanonicalJSON.encode(directDocument))
        self.body = body
        self.excludeSystemPrompt = options.excludeSystemPrompt
        self.messageCount = PromptText.messageCount(route: route, body: body)
    }

    /// Brings parameters whose order or default carries no meaning to one form.
    static func canonicalParameter(_ key: String, _ value: JSONValue) -> JSONValue? {
        switch (key, value) {
        case ("stream", .bool(false)):
            return nil  // absent and false mean the same
        case ("tools", .array(let tools)), ("functions", .array(let tools)):
            return .array(sortedByCanonicalBytes(tools))
        case ("stop", .array(let stops)):
            return .array(sortedByCanonicalBytes(stops))
        default:
            return value
        }
    }

    static func sortedByCanonicalBytes(_ values: [JSONValue]) -> [JSONValue] {
        values.map { (CanonicalJSON.encode($0), $0) }
            .sorted { $0.0.lexicographicallyPrecedes($1.0) }
            .map(\.1)
    }
}

/// A cacheable request whose JSON is valid but not of the shape its endpoint requires.
public struct RequestShapeError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
