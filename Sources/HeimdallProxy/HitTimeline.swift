/// Requests and hits per fixed interval over the last hour, so the dashboard can draw the hit
/// rate over time even when it was opened a minute ago.
struct HitTimeline: Sendable {
    static let intervalSeconds = 10.0
    static let maximumPoints = 360

    private(set) var points: [StatsSnapshot.TimelinePoint] = []

    mutating func add(at time: Double, hit: Bool, lookup: Bool) {
        let start = (time / Self.intervalSeconds).rounded(.down) * Self.intervalSeconds
        if points.last?.t != start {
            points.append(StatsSnapshot.TimelinePoint(t: start, requests: 0, lookups: 0, hits: 0))
            if points.count > Self.maximumPoints { points.removeFirst(points.count - Self.maximumPoints) }
        }
        points[points.count - 1].requests += 1
        if lookup { points[points.count - 1].lookups += 1 }
        if hit { points[points.count - 1].hits += 1 }
    }
}
