/// Parses TTLs the way Bifrost users write them: a Go duration (`"30s"`, `"1h30m"`,
/// `"1.5h"`, `"250ms"`) or a plain integer number of seconds (`"300"`).
public enum GoDuration {
    /// Seconds, or nil when the text is not a duration.
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed.isEmpty { return nil }
        if let whole = Int(trimmed) { return Double(whole) }  // at most 2^63: finite
        var rest = Substring(trimmed)
        var sign = 1.0
        if rest.first == "-" {
            sign = -1
            rest = rest.dropFirst()
        } else if rest.first == "+" {
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        var total = 0.0
        var sawComponent = false
        while !rest.isEmpty {
            let numberEnd = rest.firstIndex(where: { !($0.isASCII && ($0.isNumber || $0 == ".")) }) ?? rest.endIndex
            guard numberEnd != rest.startIndex, let value = Double(rest[..<numberEnd]) else { return nil }
            rest = rest[numberEnd...]
            let unitEnd = rest.firstIndex(where: { $0.isASCII && ($0.isNumber || $0 == ".") }) ?? rest.endIndex
            let unit = rest[..<unitEnd]
            rest = rest[unitEnd...]
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs", "μs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil
            }
            total += value * scale
            sawComponent = true
        }
        // 400 nines overflow a Double: not a duration anyone meant, so not one at all.
        return sawComponent && total.isFinite ? sign * total : nil
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
