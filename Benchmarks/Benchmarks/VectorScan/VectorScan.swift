import Benchmark
import HeimdallVector

/// Similarity scans at 10k / 100k / 1M × 384 in f32, f16 and int8, one query (top-1) per iteration on
/// one thread like the peer script, reporting the effective bandwidth (bytes scanned / time); plus
/// single-thread read-bandwidth probes over the same byte counts, so each scan can be reported as a
/// fraction of what the core can stream in the same run.
let benchmarks: @Sendable () -> Void = {
    let scanRate = BenchmarkMetric.custom("scan MB/s", polarity: .prefersLarger, useScalingFactor: false)
    let readRate = BenchmarkMetric.custom("read MB/s", polarity: .prefersLarger, useScalingFactor: false)
    let sizes: [(rows: Int, label: String)] = [(10_000, "10k"), (100_000, "100k"), (1_000_000, "1M")]

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput],
        timeUnits: .microseconds,
        warmupIterations: 3,
        maxDuration: .seconds(4),
        maxIterations: 200  // the peer script's query count
    )
    print("# kernels: \(ScanKernels.best) (cpuid selected \(NativeISA.selected))")

    Benchmark(
        "read 1GiB",
        configuration: .init(metrics: [.wallClock, .throughput, readRate], maxIterations: 10)
    ) { (benchmark: Benchmark, probe: BandwidthProbe) in
        for _ in benchmark.scaledIterations { measureRead(benchmark, probe, bytes: 1 << 30, metric: readRate) }
    } setup: {
        BandwidthProbe.shared
    }

    for size in sizes {
        for precision in ScanPrecision.allCases {
            let bytes = precision.scanBytesPerVector(dimension: ScanFixture.dimension) * size.rows
            Benchmark(
                "read \(size.label)x384 \(precision) bytes",
                configuration: .init(metrics: [.wallClock, .throughput, readRate], maxIterations: 20)
            ) { (benchmark: Benchmark, probe: BandwidthProbe) in
                for _ in benchmark.scaledIterations { measureRead(benchmark, probe, bytes: bytes, metric: readRate) }
            } setup: {
                BandwidthProbe.shared
            }

            Benchmark(
                "scan \(size.label)x384 \(precision)",
                configuration: .init(metrics: [.wallClock, .throughput, scanRate])
            ) { (benchmark: Benchmark, storage: VectorStorage) in
                let fixture = ScanFixture.shared(rows: size.rows)
                for _ in benchmark.scaledIterations {
                    let query = fixture.queries[benchmark.currentIteration % fixture.queries.count]
                    let start = ContinuousClock.now
                    blackHole(storage.scan(query: query, k: 1))
                    recordRate(benchmark, scanRate, bytes: storage.scanBytes, since: start)
                }
            } setup: {
                ScanFixture.shared(rows: size.rows).storages[precision]!
            }
        }
    }

    // End to end through the index at the proxy's default settings: normalisation, lock, int8 scan,
    // exact re-score of 8 candidates.
    Benchmark(
        "index search 100kx384 int8 k1",
        configuration: .init(metrics: [.wallClock, .throughput])
    ) { (benchmark: Benchmark, index: PartitionedIndex) in
        let fixture = ScanFixture.shared(rows: 100_000)
        for _ in benchmark.scaledIterations {
            let query = fixture.queries[benchmark.currentIteration % fixture.queries.count]
            blackHole(try? index.search(partition: benchmarkPartition, query: query, minimumSimilarity: 0.8, k: 1))
        }
    } setup: {
        let fixture = ScanFixture.shared(rows: 100_000)
        let index = PartitionedIndex(scanPrecision: .int8)
        let exact = fixture.storages[.f32]!
        for row in 0..<exact.count {
            let id = exact.id(atRow: row)
            try index.insert(id: id, partition: benchmarkPartition, vector: exact.vector(id: id)!)
        }
        return index
    }
}

let benchmarkPartition = PartitionKey([UInt8](repeating: 7, count: 32))

func measureRead(_ benchmark: Benchmark, _ probe: BandwidthProbe, bytes: Int, metric: BenchmarkMetric) {
    let start = ContinuousClock.now
    blackHole(probe.sum(bytes: bytes))
    recordRate(benchmark, metric, bytes: bytes, since: start)
}

/// Records bytes / elapsed as MB/s (10^6 bytes per second, the peers' GB/s × 1000).
func recordRate(_ benchmark: Benchmark, _ metric: BenchmarkMetric, bytes: Int, since start: ContinuousClock.Instant) {
    let elapsed = start.duration(to: .now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    benchmark.measurement(metric, Int(Double(bytes) / seconds / 1e6))
}
