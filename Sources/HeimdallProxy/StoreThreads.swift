import HeimdallStore
import NIOPosix

/// The threads SQLite work runs on, so a slow disk (a commit waiting out another process's lock,
/// a full disk) never blocks an event loop or one of Swift's few cooperative threads: the request
/// that needs the file waits, nobody else does.
final class StoreThreads: Sendable {
    private let pool: NIOThreadPool

    init(count: Int = 2) {
        pool = NIOThreadPool(numberOfThreads: count)
        pool.start()
    }

    /// Runs `body` on a store thread; its `StoreError` comes back as is.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws(StoreError) -> T) async throws(StoreError) -> T {
        do {
            return try await pool.runIfActive { () throws -> T in try body() }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("the store's threads have stopped: \(error)")
        }
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
