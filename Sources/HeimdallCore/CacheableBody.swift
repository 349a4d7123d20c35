/// Turns a cacheable request's body into its fingerprint, whatever the endpoint's wire format:
/// JSON for most, `multipart/form-data` for audio transcriptions and video jobs with a file.
public enum CacheableBody {
    public enum Failure: Error, Sendable {
        /// A JSON endpoint's body is not valid JSON: a clear 400 from the proxy.
        case invalidJSON(JSONParseError)
        /// Well-formed, but not a shape the cache keys: forwarded uncached for the upstream to judge.
        case unsupportedShape
    }

    public static func fingerprint(
        route: RouteFamily, path: String, body: some Collection<UInt8>, contentType: String?, cacheKey: String, tenant: String,
        options: RequestFingerprint.Options
    ) -> Result<RequestFingerprint, Failure> {
        let bytes = Array(body)
        var document: JSONValue
        if let boundary = contentType.flatMap(MultipartForm.boundary(contentType:)) {
            guard let form = MultipartForm(body: bytes, boundary: boundary) else { return .failure(.unsupportedShape) }
            document = form.keyDocument
        } else if route == .audioTranscriptions {
            return .failure(.unsupportedShape)  // the API takes only multipart here
        } else {
            do {
                document = try JSONParser.parse(bytes)
            } catch {
                return .failure(.invalidJSON(error))
            }
        }
        if route == .videoRemix {
            // The source video is in the path: two remixes of different videos never share an answer.
            guard case .object(let members) = document, let id = RouteFamily.remixedVideoID(path: path) else {
                return .failure(.unsupportedShape)
            }
            document = .object(members + [("video_id", .string(id.removingPercentEncodingOfColon))])
        }
        do {
            return .success(
                try RequestFingerprint(route: route, body: document, cacheKey: cacheKey, tenant: tenant, options: options))
        } catch {
            return .failure(.unsupportedShape)
        }
    }
}

extension String {
    /// `video_abc%3Aopenai` and `video_abc:openai` name the same video.
    fileprivate var removingPercentEncodingOfColon: String {
        var out = ""
        var rest = Substring(self)
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            let code = rest[percent...].dropFirst().prefix(2)
            if code.uppercased() == "3A" {
                out += ":"
                rest = rest[percent...].dropFirst(3)
            } else {
                out += "%"
                rest = rest[percent...].dropFirst()
            }
        }
        return out + rest
    }
}
