import Foundation
import Synchronization

/// A one-line progress bar on stderr (stdout stays clean for tables and JSON).
final class ProgressBar: Sendable {
    let total: Int
    let quiet: Bool
    private let state = Mutex<(done: Int, lastDrawn: Int)>((0, -1))
    private let started = ContinuousClock.now
    private let interactive = isatty(FileHandle.standardError.fileDescriptor) != 0

    init(total: Int, quiet: Bool = false) {
        self.total = max(total, 1)
        self.quiet = quiet
    }

    func advance(by count: Int = 1) {
        let (done, shouldDraw) = state.withLock { state -> (Int, Bool) in
            state.done += count
            // Redraw at most every 0.5 % (or every 10 % when not a terminal, to keep logs short).
            let step = interactive ? max(1, total / 200) : max(1, total / 10)
            let draw = state.done / step != state.lastDrawn / step || state.done == total
            if draw { state.lastDrawn = state.done }
            return (state.done, draw)
        }
        if shouldDraw && !quiet { draw(done) }
    }

    func finish() {
        if !quiet && interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func draw(_ done: Int) {
        let fraction = Double(done) / Double(total)
        let width = 30
        let filled = Int(fraction * Double(width))
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let eta = fraction > 0 ? seconds / fraction - seconds : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(format: "%@ %5.1f%% %d/%d  %.0fs elapsed, ~%.0fs left", bar, fraction * 100, done, total, seconds, eta)
        FileHandle.standardError.write(Data(((interactive ? "\r" : "") + line + (interactive ? "" : "\n")).utf8))
    }
}
