import Foundation
import HeimdallCore
import HeimdallStore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The running proxy: the proxy listener, the admin listener and the expiry sweeper,
/// sharing one store and one upstream connection pool.
public final class HeimdallServer: Sendable {
    /// Where the listeners ended up (ports chosen by the OS when configured as 0).
    public struct BoundAddresses: Sendable {
        public var proxy: HostAndPort
        public var admin: HostAndPort
    }

    public let configuration: HeimdallConfiguration
    public let store: CacheStore
    /// What this process served, for `/stats` and `/metrics`.
    public let stats: StatsRecorder
    /// Failed store reads and writes, for `/stats`, `/metrics` and `/readyz`.
    public let storeHealth: StoreHealth
    let logger: Logger
    private let group = Mutex<ServiceGroup?>(nil)

    /// Opens the database; throws a `StoreError` or `ConfigurationError` a user can act on.
    public init(
        configuration: HeimdallConfiguration, logger: Logger, clock: CacheClock = .system
    ) throws {
        guard configuration.admin.isLoopback || configuration.adminToken != nil else {
            throw ConfigurationError(
                "refusing to start the admin listener on non-loopback address \(configuration.admin) without an admin token; set admin_token (HEIMDALL_ADMIN_TOKEN) or use 127.0.0.1"
            )
        }
        self.configuration = configuration
        self.logger = logger
        self.store = try CacheStore(
            path: configuration.db, compressionLevel: configuration.compressionLevel,
            limits: StoreLimits(maxEntries: configuration.maxEntries, maxDatabaseBytes: configuration.maxDbBytes), clock: clock)
        self.stats = StatsRecorder()
        self.storeHealth = StoreHealth(logger: logger)
    }

    /// Runs until the task is cancelled or (with `signals`) SIGINT/SIGTERM arrives; then stops
    /// accepting, lets in-flight requests finish, and checkpoints the database.
    public func run(
        gracefulShutdownSignals signals: [UnixSignal] = [],
        onReady: @escaping @Sendable (BoundAddresses) async -> Void = { _ in }
    ) async throws {
        let configuration = self.configuration
        let upstream = UpstreamClient(
            baseURL: configuration.upstream, connectTimeout: configuration.upstreamConnectTimeoutSeconds,
            readTimeout: configuration.upstreamTimeoutSeconds)
        let semantic: SemanticIndex?
        do {
            semantic = try await SemanticSetup.make(configuration: configuration, upstream: upstream, store: store, logger: logger)
        } catch {
            try? await upstream.shutdown()
            throw error
        }
        let singleFlight = SingleFlight(
            patience: .seconds(configuration.upstreamConnectTimeoutSeconds + configuration.upstreamTimeoutSeconds))
        let storeThreads = StoreThreads()
        let responder = ProxyResponder(
            settings: ProxySettings(configuration), store: store, upstream: upstream, semantic: semantic,
            singleFlight: singleFlight, stats: stats, storeHealth: storeHealth, storeThreads: storeThreads, logger: logger)
        let readiness = Readiness(onReady: onReady)
        let proxy = Application(
            responder: responder,
            // fast_path: direct hits answered on the event loop by `DirectHitHandler` (off: every
            // request goes through Hummingbird's responder; for comparisons).
            server: configuration.fastPath
                ? HTTPServerBuilder { hummingbird in DirectHitHTTP1Channel(inner: HTTP1Channel(responder: hummingbird), proxy: responder) }
                : .http1(),
            configuration: .init(
                address: .hostname(configuration.listen.host, port: configuration.listen.port), serverName: nil),
            onServerRunning: { channel in await readiness.proxyBound(channel.localAddress?.port ?? 0, host: configuration.listen.host) },
            logger: quiet(logger))
        let admin = Application(
            router: AdminRoutes.router(
                store: store, stats: stats, health: storeHealth, semantic: semantic, token: configuration.adminToken,
                logger: logger),
            configuration: .init(address: .hostname(configuration.admin.host, port: configuration.admin.port)),
            onServerRunning: { channel in await readiness.adminBound(channel.localAddress?.port ?? 0, host: configuration.admin.host) },
            logger: quiet(logger))
        let sweeper = ExpirySweeper(
            store: store, semantic: semantic, interval: .seconds(configuration.sweepIntervalSeconds), health: storeHealth,
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: proxy), .init(service: admin), .init(service: sweeper),
                    .init(service: FlightReaper(flights: singleFlight)),
                    .init(service: StoreFlusher(store: store, semantic: semantic, interval: .milliseconds(10), health: storeHealth)),
                ],
                gracefulShutdownSignals: signals, cancellationSignals: [], logger: quiet(logger)))
        self.group.withLock { $0 = group }
        do {
            try await group.run()
        } catch {
            try? await upstream.shutdown()
            await storeThreads.shutdown()
            checkpoint()
            throw error
        }
        try? await upstream.shutdown()
        await storeThreads.shutdown()
        checkpoint()
    }

    /// Folds the WAL into the database file at shutdown; a store that cannot write (full disk,
    /// read-only file) loses nothing by skipping it: the WAL is replayed at the next start.
    private func checkpoint() {
        do { try store.checkpoint() } catch { storeHealth.failed(.write, error) }
    }

    /// Stops accepting connections, lets in-flight requests finish, then `run` returns.
    public func shutdown() async {
        guard let group = group.withLock({ $0 }) else { return }
        await group.triggerGracefulShutdown()
    }

    /// Hummingbird and ServiceLifecycle log per-connection detail at info; keep that at warning.
    func quiet(_ logger: Logger) -> Logger {
        var quiet = logger.deferringMetadata()
        quiet.logLevel = max(logger.logLevel, .warning)
        return quiet
    }
}

/// Calls `onReady` once both listeners are bound.
actor Readiness {
    let onReady: @Sendable (HeimdallServer.BoundAddresses) async -> Void
    var proxy: HostAndPort?
    var admin: HostAndPort?

    init(onReady: @escaping @Sendable (HeimdallServer.BoundAddresses) async -> Void) { self.onReady = onReady }

    func proxyBound(_ port: Int, host: String) async {
        proxy = HostAndPort(host: host, port: port)
        await fireIfReady()
    }

    func adminBound(_ port: Int, host: String) async {
        admin = HostAndPort(host: host, port: port)
        await fireIfReady()
    }

    func fireIfReady() async {
        guard let proxy, let admin else { return }
        await onReady(.init(proxy: proxy, admin: admin))
    }
}
