import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends requests to the upstream (Bifrost or any OpenAI-compatible API) over a
/// pooled, keep-alive AsyncHTTPClient and relays everything but hop-by-hop headers.
final class UpstreamClient: Sendable {
    let client: HTTPClient
    let baseURL: String
    let readTimeout: TimeAmount

    enum Body {
        case none
        case bytes(ByteBuffer)
        case stream(RequestBody, length: Int?)
    }

    init(baseURL: String, connectTimeout: Double, readTimeout: Double) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(
            connect: .milliseconds(Int64(connectTimeout * 1000)), read: .milliseconds(Int64(readTimeout * 1000)))
        // Redirects, decompression and retries are the client's business, not the proxy's.
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
        self.client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        self.baseURL = baseURL
        self.readTimeout = .milliseconds(Int64(readTimeout * 1000))
    }

    func shutdown() async throws {
        try await client.shutdown()
    }

    /// Forwards one request. `target` is the raw request target (path and query) as the client sent it.
    func send(
        method: HTTPRequest.Method, target: String, headers: HTTPFields, body: Body, dropping extraHeaders: Set<String> = []
    ) async throws(UpstreamError) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: baseURL + target)
        request.method = HTTPMethod(rawValue: method.rawValue)
        let dropped = HopByHopHeaders.dropped(connectionValues: headers[values: .connection]).union(["host", "content-length"]).union(
            extraHeaders)
        for field in headers where !dropped.contains(field.name.canonicalName) {
            request.headers.add(name: field.name.rawName, value: field.value)
        }
        switch body {
        case .none: break
        case .bytes(let buffer): request.body = .bytes(buffer)
        case .stream(let stream, let length):
            request.body = .stream(stream, length: length.map { .known(Int64($0)) } ?? .unknown)
        }
        do {
            return try await client.execute(request, deadline: .distantFuture)
        } catch {
            throw Self.classify(error)
        }
    }

    static func classify(_ error: any Error) -> UpstreamError {
        if let error = error as? UpstreamError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .deadlineExceeded, .writeTimeout:
                return UpstreamError(kind: .timeout, description: "\(error)")
            default:
                return UpstreamError(kind: .unavailable, description: "\(error)")
            }
        }
        if case ChannelError.connectTimeout = error {
            return UpstreamError(kind: .timeout, description: "connect timeout")
        }
        return UpstreamError(kind: .unavailable, description: "\(error)")
    }

    /// Response headers to relay to the client: everything but hop-by-hop ones.
    static func relayedHeaders(_ upstream: HTTPHeaders, dropping extra: Set<String> = []) -> HTTPFields {
        let dropped = HopByHopHeaders.dropped(connectionValues: upstream[canonicalForm: "connection"]).union(extra)
        var fields = HTTPFields()
        for (name, value) in upstream {
            let lower = name.lowercased()
            if dropped.contains(lower) { continue }
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return fields
    }
}
