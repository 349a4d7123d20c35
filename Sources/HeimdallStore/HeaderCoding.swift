import HeimdallCore

/// Stored response headers as a JSON array of `[name, value]` pairs.
enum HeaderCoding {
    static func encode(_ headers: [(name: String, value: String)]) -> [UInt8] {
        CanonicalJSON.encode(.array(headers.map { .array([.string($0.name), .string($0.value)]) }))
    }

    static func decode(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        guard let pairs = (try? JSONParser.parse(bytes))?.arrayValue else { return [] }
        return pairs.compactMap { pair in
            guard let items = pair.arrayValue, items.count == 2, let name = items[0].stringValue,
                let value = items[1].stringValue
            else { return nil }
            return (name, value)
        }
    }
}
