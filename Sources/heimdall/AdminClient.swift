import ArgumentParser
import AsyncHTTPClient
import Foundation

/// Talks to a running Heimdall's admin API; failures become messages a user can act on.
struct AdminClient {
    let base: String
    let token: String?

    struct Answer {
        var status: Int
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func get(_ target: String) async throws -> Answer {
        try await send(HTTPClientRequest(url: base + target))
    }

    func delete(_ target: String) async throws -> Answer {
        var request = HTTPClientRequest(url: base + target)
        request.method = .DELETE
        return try await send(request)
    }

    func send(_ request: HTTPClientRequest) async throws -> Answer {
        var request = request
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        let answer: Answer
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 256 * 1024 * 1024)
            answer = Answer(status: Int(response.status.code), body: Array(body.readableBytesView))
        } catch {
            throw ValidationError("cannot reach the admin API at \(base): \(error) (is `heimdall serve` running? see --admin)")
        }
        if answer.status == 401 {
            throw ValidationError(
                "the admin API at \(base) needs a token: pass --admin-token or set HEIMDALL_ADMIN_TOKEN (\(Self.message(answer)))")
        }
        return answer
    }

    /// The `error.message` of an OpenAI-shaped error body, else the body itself.
    static func message(_ answer: Answer) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any],
            let error = object["error"] as? [String: Any], let message = error["message"] as? String
        {
            return message
        }
        return "HTTP \(answer.status): \(answer.text.prefix(200))"
    }

    /// Percent-encodes one path segment (ids and keys may hold `/`, `?` or spaces).
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#%"))) ?? text
    }

    static func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#%"))) ?? text
    }
}
