import Foundation
import HeimdallCore
import Testing

/// Every cacheable endpoint with a payload shaped like the OpenAI API reference's (docs/behaviour.md §3).
@Suite struct EndpointCacheTests {
    @Test func textCompletionsAreCached() async throws {
        try await ProxyHarness.with { proxy in
            let body = #"{"model":"gpt-3.5-turbo-instruct","prompt":"Say this is a test","max_tokens":7,"temperature":0}"#
            let first = try await proxy.send("/v1/completions", body: body)
            let second = try await proxy.send("/v1/completions", body: body)
            #expect(first.outcome == "miss")
            #expect(second.outcome == "hit-direct")
            #expect(second.json?["choices"] == first.json?["choices"])
            let other = try await proxy.send(
                "/v1/completions", body: body.replacingOccurrences(of: "\"max_tokens\":7", with: "\"max_tokens\":8"))
            #expect(other.outcome == "miss", "max_tokens changes the output")
        }
    }

    @Test func responsesWithInstructionsAndItemListsAreCached() async throws {
        try await ProxyHarness.with { proxy in
            let body = #"""
                {"model":"gpt-4.1","instructions":"Talk like a pirate.","input":[{"role":"user","content":[{"type":"input_text","text":"Are semicolons optional in JavaScript?"}]}]}
                """#
            let first = try await proxy.send("/v1/responses", body: body)
            let second = try await proxy.send("/v1/responses", body: body)
            #expect(first.outcome == "miss")
            #expect(second.outcome == "hit-direct")
            #expect(second.cacheDebug?["cache_hit"] == .bool(true))
            let otherInstructions = try await proxy.send(
                "/v1/responses", body: body.replacingOccurrences(of: "Talk like a pirate.", with: "Talk like a poet."))
            #expect(otherInstructions.outcome == "miss", "instructions are part of the input")
        }
    }

    @Test func speechAudioIsStoredAndReplayedWithItsContentType() async throws {
        try await ProxyHarness.with { proxy in
            let body = #"{"model":"gpt-4o-mini-tts","input":"The quick brown fox jumped over the lazy dog.","voice":"alloy"}"#
            let first = try await proxy.send("/v1/audio/speech", body: body)
            #expect(first.status == 200)
            #expect(first.outcome == "miss")
            #expect(first.headers.first(name: "content-type") == "audio/mpeg")
            let second = try await proxy.send("/v1/audio/speech", body: body)
            #expect(second.outcome == "hit-direct")
            #expect(second.body == first.body, "binary bodies are replayed byte for byte, no cache_debug spliced in")
            #expect(second.headers.first(name: "content-type") == "audio/mpeg")
            let otherVoice = try await proxy.send("/v1/audio/speech", body: body.replacingOccurrences(of: "alloy", with: "echo"))
            #expect(otherVoice.outcome == "miss")
            #expect(proxy.mock.callCount(path: "/v1/audio/speech") == 2)
        }
    }

    @Test func transcriptionsAreKeyedOnTheFileBytesAndFormFields() async throws {
        try await ProxyHarness.with { proxy in
            func form(_ audio: [UInt8], language: String, boundary: String, filename: String) -> [UInt8] {
                var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-4o-transcribe\r\n".utf8)
                body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\n\(language)\r\n".utf8)
                body += Array(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: audio/mpeg\r\n\r\n"
                        .utf8)
                body += audio
                body += Array("\r\n--\(boundary)--\r\n".utf8)
                return body
            }
            let audio = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            func send(_ audio: [UInt8], language: String = "en", boundary: String = "b0undary", filename: String = "speech.mp3")
                async throws -> TestResponse
            {
                try await proxy.send(
                    "/v1/audio/transcriptions", bodyBytes: form(audio, language: language, boundary: boundary, filename: filename),
                    headers: [("content-type", "multipart/form-data; boundary=\(boundary)")])
            }
            let first = try await send(audio)
            #expect(first.outcome == "miss")
            #expect(first.json?["text"] != nil)
            // Another boundary and file name, same bytes and fields: the same request.
            let second = try await send(audio, boundary: "other-boundary-42", filename: "renamed.mp3")
            #expect(second.outcome == "hit-direct")
            #expect(second.json?["text"] == first.json?["text"])
            #expect(second.cacheDebug?["hit_type"] == .string("direct"))
            var changed = audio
            changed[1500] ^= 0xFF
            #expect(try await send(changed).outcome == "miss", "one changed byte of audio is another request")
            #expect(try await send(audio, language: "de").outcome == "miss")
            #expect(proxy.mock.callCount(path: "/v1/audio/transcriptions") == 3)
        }
    }

    @Test func malformedMultipartIsForwardedUncached() async throws {
        try await ProxyHarness.with { proxy in
            let response = try await proxy.send(
                "/v1/audio/transcriptions", bodyBytes: Array("not multipart at all".utf8),
                headers: [("content-type", "multipart/form-data; boundary=xyz")])
            #expect(response.outcome == "bypass")
            #expect(proxy.mock.callCount(path: "/v1/audio/transcriptions") == 1)
        }
    }

    @Test func imageGenerationsAreCached() async throws {
        try await ProxyHarness.with { proxy in
            let body = #"{"model":"gpt-image-1","prompt":"A cute baby sea otter","n":1,"size":"1024x1024"}"#
            let first = try await proxy.send("/v1/images/generations", body: body)
            let second = try await proxy.send("/v1/images/generations", body: body)
            #expect(first.outcome == "miss")
            #expect(second.outcome == "hit-direct")
            #expect(second.json?["data"] == first.json?["data"])
            let bigger = try await proxy.send("/v1/images/generations", body: body.replacingOccurrences(of: "1024x1024", with: "1536x1024"))
            #expect(bigger.outcome == "miss")
        }
    }

    @Test func providerPrefixedRoutesPassThroughUncached() async throws {
        try await ProxyHarness.with { proxy in
            let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#
            let first = try await proxy.send("/openai/v1/chat/completions", body: body)
            let second = try await proxy.send("/openai/v1/chat/completions", body: body)
            #expect(first.outcome == "bypass")
            #expect(second.outcome == "bypass")
            #expect(second.cacheDebug == nil)
        }
    }
}
