#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A learned second opinion on a semantic match: logistic regression over `PairFeatures`,
/// trained on labelled duplicate questions (`heimdall bench train-verifier`). A match above the
/// cosine threshold is served only when the probability that the two prompts ask the same thing
/// reaches `cutoff` (docs/hit-quality.md).
public struct HitVerifier: Sendable, Equatable {
    /// Feature names, in the order of `weights`; must equal `PairFeatures.names`.
    public var features: [String]
    /// Standardisation: each feature is scored as `(value - mean) / scale`.
    public var means: [Double]
    public var scales: [Double]
    public var weights: [Double]
    public var bias: Double
    /// The probability a match needs to be served.
    public var cutoff: Double
    /// The cosine threshold `cutoff` was calibrated for; a lower threshold serves more false hits.
    public var calibratedThreshold: Double
    /// The command that produced these weights.
    public var trainedWith: String

    public init(
        features: [String] = PairFeatures.names, means: [Double], scales: [Double], weights: [Double], bias: Double,
        cutoff: Double, calibratedThreshold: Double, trainedWith: String
    ) {
        self.features = features
        self.means = means
        self.scales = scales
        self.weights = weights
        self.bias = bias
        self.cutoff = cutoff
        self.calibratedThreshold = calibratedThreshold
        self.trainedWith = trainedWith
    }

    /// Probability that serving `candidate`'s answer for `query` is right.
    public func probability(query: String, candidate: String, similarity: Double) -> Double {
        probability(PairFeatures(query: query, candidate: candidate, similarity: similarity).values)
    }

    public func probability(_ values: [Double]) -> Double {
        var z = bias
        for i in weights.indices { z += weights[i] * (values[i] - means[i]) / scales[i] }
        return Self.sigmoid(z)
    }

    public func accepts(query: String, candidate: String, similarity: Double) -> Bool {
        probability(query: query, candidate: candidate, similarity: similarity) >= cutoff
    }

    public static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }
}

// MARK: - Weights file

extension HitVerifier {
    /// A weights file that does not fit this build's features.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the JSON that `bench train-verifier --out FILE.json` writes.
    public init(json text: String) throws(FormatError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw FormatError(description: "verifier weights are not valid JSON: \(error)")
        }
        func numbers(_ key: String) throws(FormatError) -> [Double] {
            guard let values = document[key]?.arrayValue?.compactMap(\.doubleValue), values.count == PairFeatures.names.count else {
                throw FormatError(description: "verifier weights: \"\(key)\" must hold \(PairFeatures.names.count) numbers")
            }
            return values
        }
        func number(_ key: String) throws(FormatError) -> Double {
            guard let value = document[key]?.doubleValue else { throw FormatError(description: "verifier weights: \"\(key)\" missing") }
            return value
        }
        let features = document["features"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard features == PairFeatures.names else {
            throw FormatError(
                description: "verifier weights were trained on features \(features), this build computes \(PairFeatures.names): retrain")
        }
        self.init(
            features: features, means: try numbers("means"), scales: try numbers("scales"), weights: try numbers("weights"),
            bias: try number("bias"), cutoff: try number("cutoff"), calibratedThreshold: try number("calibrated_threshold"),
            trainedWith: document["trained_with"]?.stringValue ?? "")
    }

    /// One feature a line, so a diff of retrained weights reads well.
    public var jsonText: String {
        func list(_ values: [Double]) -> String { "[\n" + values.map { "    \($0)" }.joined(separator: ",\n") + "\n  ]" }
        return """
            {
              "trained_with": \(CanonicalJSON.string(.string(trainedWith))),
              "calibrated_threshold": \(calibratedThreshold),
              "cutoff": \(cutoff),
              "bias": \(bias),
              "features": [
            \(features.map { "    \"\($0)\"" }.joined(separator: ",\n"))
              ],
              "means": \(list(means)),
              "scales": \(list(scales)),
              "weights": \(list(weights))
            }

            """
    }

    /// The weights as Swift source defining `HitVerifier.trained`, the model `hit_guard: verifier` uses.
    public var swiftSource: String {
        func list(_ values: [Double]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }
        return """
            // Generated by `heimdall bench train-verifier`; do not edit. Regenerate with:
            // \(trainedWith)

            extension HitVerifier {
                /// The verifier `hit_guard: verifier` uses (docs/hit-quality.md).
                public static let trained = HitVerifier(
                    features: \(CanonicalJSON.string(.array(features.map { .string($0) }))),
                    means: \(list(means)),
                    scales: \(list(scales)),
                    weights: \(list(weights)),
                    bias: \(bias), cutoff: \(cutoff), calibratedThreshold: \(calibratedThreshold),
                    trainedWith: \(CanonicalJSON.string(.string(trainedWith))))
            }

            """
    }
}
