import Foundation

/// The mock's canned, realistic OpenAI payloads.
enum MockAnswers {
    /// `{}` gzip-compressed (RFC 1952), for the "upstream compresses anyway" fault.
    static let gzippedEmptyObject: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0xae, 0x05, 0x00, 0x43, 0xbf, 0xa6, 0xa3, 0x02, 0x00, 0x00, 0x00,
    ]

    static func lastUserText(_ json: [String: Any]) -> String {
        let messages = json["messages"] as? [[String: Any]] ?? []
        guard let last = messages.last(where: { ($0["role"] as? String) == "user" }) ?? messages.last else { return "" }
        if let text = last["content"] as? String { return text }
        let parts = last["content"] as? [[String: Any]] ?? []
        return parts.compactMap { $0["text"] as? String }.joined(separator: " ")
    }

    /// A longer answer than an echo, so compression and sizes look like real traffic.
    static func answer(to prompt: String) -> String {
        """
        Here is a considered answer to your question: "\(prompt)".

        1. **Context.** The question touches on a topic that is commonly asked about, and the short answer depends on what you need it for.
        2. **Details.** In most cases the first thing to check is the definition, then the usual exceptions, and finally the edge cases that trip people up.
        3. **Summary.** If you only remember one thing, remember that the answer to "\(prompt)" is best checked against a primary source.
        """
    }

    static func tokens(_ text: String) -> Int { max(1, text.split(whereSeparator: { $0 == " " || $0 == "\n" }).count) }

    static func chatCompletion(id: String, model: String?, prompt: String, answer: String) -> [String: Any] {
        [
            "id": id, "object": "chat.completion", "created": 1_764_000_000, "model": model ?? "gpt-4o-mini",
            "system_fingerprint": "fp_mock",
            "choices": [
                [
                    "index": 0, "finish_reason": "stop", "logprobs": NSNull(),
                    "message": ["role": "assistant", "content": answer, "refusal": NSNull()],
                ]
            ],
            "usage": [
                "prompt_tokens": tokens(prompt), "completion_tokens": tokens(answer), "total_tokens": tokens(prompt) + tokens(answer),
            ],
            "extra_fields": ["provider": "openai", "latency": 321],
        ]
    }

    static func chatChunks(id: String, model: String?, answer: String, includeUsage: Bool = false) -> [String] {
        let words = answer.split(separator: " ", omittingEmptySubsequences: false)
        var events: [String] = []
        func encode(_ object: [String: Any]) -> String {
            String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        }
        let base: [String: Any] = ["id": id, "object": "chat.completion.chunk", "created": 1_764_000_000, "model": model ?? "gpt-4o-mini"]
        var first = base
        first["choices"] = [["index": 0, "delta": ["role": "assistant", "content": ""], "finish_reason": NSNull()]]
        events.append(encode(first))
        for (i, word) in words.enumerated() {
            var chunk = base
            chunk["choices"] = [["index": 0, "delta": ["content": (i == 0 ? "" : " ") + word], "finish_reason": NSNull()]]
            events.append(encode(chunk))
        }
        var last = base
        last["choices"] = [["index": 0, "delta": [String: Any](), "finish_reason": "stop"]]
        events.append(encode(last))
        if includeUsage {
            var usage = base
            usage["choices"] = [Any]()
            usage["usage"] = ["prompt_tokens": 9, "completion_tokens": words.count, "total_tokens": 9 + words.count]
            events.append(encode(usage))
        }
        return events
    }

    /// A Responses API stream for `response`: created, text deltas, completed (each with its `event:` line).
    static func responseEvents(_ response: [String: Any]) -> [String] {
        func encode(_ object: [String: Any]) -> String {
            String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        }
        func event(_ type: String, _ object: [String: Any]) -> String {
            var object = object
            object["type"] = type
            return "event: \(type)\ndata: \(encode(object))\n\n"
        }
        var inProgress = response
        inProgress["status"] = "in_progress"
        let text =
            ((response["output"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])?.first?["text"] as? String ?? ""
        var events = [event("response.created", ["response": inProgress, "sequence_number": 0])]
        for (i, word) in text.split(separator: " ").enumerated() {
            events.append(
                event(
                    "response.output_text.delta",
                    [
                        "item_id": "msg_mock", "output_index": 0, "content_index": 0, "delta": (i == 0 ? "" : " ") + word,
                        "sequence_number": i + 1,
                    ]))
        }
        events.append(event("response.completed", ["response": response, "sequence_number": 999]))
        return events
    }

    static func textCompletion(id: String, model: String?, prompt: String) -> [String: Any] {
        let text = " and that is how the sentence \"\(prompt)\" continues."
        return [
            "id": id, "object": "text_completion", "created": 1_764_000_000, "model": model ?? "gpt-3.5-turbo-instruct",
            "choices": [["text": text, "index": 0, "logprobs": NSNull(), "finish_reason": "stop"]],
            "usage": ["prompt_tokens": tokens(prompt), "completion_tokens": tokens(text), "total_tokens": tokens(prompt) + tokens(text)],
        ]
    }

    static func response(id: String, model: String?, input: String) -> [String: Any] {
        let text = answer(to: input)
        return [
            "id": id, "object": "response", "created_at": 1_764_000_000, "status": "completed", "model": model ?? "gpt-4o-mini",
            "output": [
                [
                    "type": "message", "id": "msg_\(id)", "status": "completed", "role": "assistant",
                    "content": [["type": "output_text", "text": text, "annotations": [Any]()]],
                ]
            ],
            "usage": ["input_tokens": tokens(input), "output_tokens": tokens(text), "total_tokens": tokens(input) + tokens(text)],
        ]
    }

    static func embeddings(model: String?, input: Any?) -> [String: Any] {
        let inputs: [String] = (input as? [String]) ?? [(input as? String) ?? ""]
        let data: [[String: Any]] = inputs.enumerated().map { index, text in
            var vector = [Double](repeating: 0, count: 8)
            for (i, byte) in text.utf8.enumerated() { vector[i % 8] += Double(byte) / 255 }
            let norm = max(vector.map { $0 * $0 }.reduce(0, +).squareRoot(), 1e-9)
            return ["object": "embedding", "index": index, "embedding": vector.map { $0 / norm }]
        }
        let count = inputs.map(tokens).reduce(0, +)
        return [
            "object": "list", "data": data, "model": model ?? "text-embedding-3-small",
            "usage": ["prompt_tokens": count, "total_tokens": count],
        ]
    }

    static var models: [String: Any] {
        [
            "object": "list",
            "data": [
                ["id": "openai/gpt-4o-mini", "object": "model", "created": 1_721_172_741, "owned_by": "openai"],
                ["id": "anthropic/claude-3-5-haiku", "object": "model", "created": 1_729_000_000, "owned_by": "anthropic"],
            ],
        ]
    }

    static func video(id: String, status: String, prompt: String?) -> [String: Any] {
        var object: [String: Any] = [
            "id": id, "object": "video", "model": "sora-2", "status": status, "progress": status == "completed" ? 100 : 0,
            "created_at": 1_764_000_000, "size": "1280x720", "seconds": "4",
        ]
        if status == "completed" { object["expires_at"] = 4_102_444_800 }
        if let prompt { object["prompt"] = prompt }
        return object
    }
}
