import HTTPTypes
import HeimdallCore
import NIOCore

/// Embeds prompts with `POST {upstream}/v1/embeddings`, using the caller's own credentials so
/// embedding calls are billed and authorised like the request they serve.
struct UpstreamPromptEmbedder: PromptEmbedder {
    let upstream: UpstreamClient
    let model: String

    var vectorSpace: String { "upstream/\(model)" }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func embed(_ text: String, headers: HTTPFields) async throws -> PromptEmbedding {
        var forwarded = HTTPFields()
        for name in [HTTPField.Name.authorization, HTTPField.Name("x-bf-vk")!] {
            if let value = headers[name] { forwarded[name] = value }
        }
        forwarded[.contentType] = "application/json"
        let body = CanonicalJSON.encode(.object([("model", .string(model)), ("input", .string(text))]))
        let response = try await upstream.send(
            method: .post, target: "/v1/embeddings", headers: forwarded, body: .bytes(ByteBuffer(bytes: body)))
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        guard response.status.code == 200 else {
            throw Failure(description: "embedding upstream answered \(response.status.code)")
        }
        let json = try JSONParser.parse(Array(bytes.readableBytesView))
        guard let values = json["data"]?.arrayValue?.first?["embedding"]?.arrayValue, !values.isEmpty else {
            throw Failure(description: "embedding upstream answered without data[0].embedding")
        }
        let vector = values.compactMap { $0.doubleValue.map(Float.init) }
        guard vector.count == values.count else { throw Failure(description: "embedding has non-numeric components") }
        let returnedModel = ModelName(json["model"]?.stringValue ?? model)
        let requested = ModelName(model)
        let tokens = json["usage"]?["prompt_tokens"].flatMap { $0.doubleValue.map { Int($0) } } ?? 0
        return PromptEmbedding(
            vector: vector, inputTokens: tokens,
            provider: json["extra_fields"]?["provider"]?.stringValue ?? returnedModel.provider ?? requested.provider ?? "upstream",
            model: returnedModel.model)
    }
}
