import Dispatch
import Foundation
import Synchronization

/// A second thread for the linear layers of one embedding at a time: the caller computes the
/// lower half of a layer's output panels while the helper computes the upper half. Panels are
/// disjoint output columns with their own accumulators, so the result is bit-identical to one
/// thread's. A short prompt's layers come 24 in a row, so between them the helper spins briefly
/// instead of sleeping; after that it sleeps until the next embedding. Only one embedding uses the
/// helper at a time; a concurrent one computes on its own thread, as before.
final class PanelHelper: @unchecked Sendable {
    /// The embedding that holds the helper (0: nobody).
    private let owner = Atomic<Int>(0)
    /// Bumped by the caller for each job; the helper's `finished` catches up when it is done.
    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleeping = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    /// Written by the owner before `posted` is bumped, read by the helper after it sees the bump.
    nonisolated(unsafe) private var job: (@Sendable () -> Void)?

    /// Spin iterations the helper waits for the next layer before it sleeps (tens of microseconds).
    private static let spinsBeforeSleep = 20_000
    /// Spin iterations the owner waits for the helper's half before yielding its core.
    fileprivate static let spinsBeforeYield = 4_000

    init() {
        let thread = Thread { [self] in run() }
        thread.name = "heimdall-embedding-helper"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Stops the helper thread (it holds this object until then).
    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        wake.signal()
    }

    /// Runs `body` with the helper when it is free; `split` is nil when another embedding has it.
    func withHelper<T>(_ body: (_ split: Split?) -> T) -> T {
        guard owner.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged else { return body(nil) }
        defer { owner.store(0, ordering: .releasing) }
        return body(Split(helper: self))
    }

    /// Handed to the owner: runs one half of a job on the helper, the other on the caller.
    struct Split {
        fileprivate let helper: PanelHelper

        func run(_ lower: () -> Void, upper: @escaping @Sendable () -> Void) {
            helper.job = upper
            let ticket = helper.posted.add(1, ordering: .sequentiallyConsistent).newValue
            if helper.sleeping.exchange(false, ordering: .sequentiallyConsistent) { helper.wake.signal() }
            lower()
            // The helper's half takes about as long as ours, so spin; if it has not finished by then
            // it is waiting for a core (both busy): give ours up rather than spin against it.
            var spins = 0
            while helper.finished.load(ordering: .acquiring) != ticket {
                spins += 1
                if spins > PanelHelper.spinsBeforeYield { sched_yield() }
            }
        }
    }

    private func run() {
        var seen = 0
        while !stopped.load(ordering: .relaxed) {
            var spins = 0
            while posted.load(ordering: .acquiring) == seen, spins < Self.spinsBeforeSleep { spins += 1 }
            let current = posted.load(ordering: .sequentiallyConsistent)
            if current == seen {
                // Nothing came: sleep, unless a job was posted while we decided to.
                sleeping.store(true, ordering: .sequentiallyConsistent)
                if posted.load(ordering: .sequentiallyConsistent) == seen, !stopped.load(ordering: .sequentiallyConsistent) {
                    wake.wait()
                }
                sleeping.store(false, ordering: .sequentiallyConsistent)
                continue
            }
            seen = current
            job?()
            job = nil
            finished.store(current, ordering: .releasing)
        }
    }
}
