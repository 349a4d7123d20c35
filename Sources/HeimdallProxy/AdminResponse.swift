import Foundation
import HTTPTypes
import HeimdallCore
import Hummingbird

/// How the admin listener answers: JSON documents and OpenAI-shaped errors.
enum AdminResponse {
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        json(Data(text.utf8), status: status)
    }

    static func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A Codable document with the `/stats` conventions: snake_case names, sorted keys.
    static func encoded(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return json(try encoder.encode(value), status: status)
    }

    static func error(_ status: HTTPResponse.Status, message: String, type: String, code: String? = nil) -> Response {
        let body = OpenAIErrorBody(message: message, type: type, code: code).json
        return json(Data(body), status: status)
    }
}
