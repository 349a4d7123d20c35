import HeimdallCore

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// L2-regularised logistic regression on standardised features, fitted by Newton's method
/// (iteratively reweighted least squares). With a handful of features each step is a tiny
/// linear solve; the fit is exact and deterministic: the same rows in the same order give the
/// same weights bit for bit, with no learning rate or epoch count to tune.
public struct LogisticRegression: Sendable, Equatable {
    public var means: [Double]
    public var scales: [Double]
    /// Weights on the standardised features.
    public var weights: [Double]
    public var bias: Double

    /// Minimises mean log-loss + `l2` / 2 · |weights|² (the bias is not penalised).
    public init(rows: [[Double]], labels: [Bool], l2: Double, maxIterations: Int = 100) {
        precondition(rows.count == labels.count && !rows.isEmpty, "one label per row")
        let d = rows[0].count
        let n = Double(rows.count)
        let means = (0..<d).map { j in rows.reduce(0) { $0 + $1[j] } / n }
        let scales = (0..<d).map { j in
            let variance = rows.reduce(0) { $0 + ($1[j] - means[j]) * ($1[j] - means[j]) } / n
            return variance > 1e-12 ? variance.squareRoot() : 1
        }
        self.means = means
        self.scales = scales
        // Standardised rows with a trailing 1 for the bias.
        let x = rows.map { row in (0..<d).map { (row[$0] - means[$0]) / scales[$0] } + [1] }
        let y = labels.map { $0 ? 1.0 : 0.0 }
        var beta = [Double](repeating: 0, count: d + 1)
        for _ in 0..<maxIterations {
            var gradient = [Double](repeating: 0, count: d + 1)
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: d + 1), count: d + 1)
            for (row, target) in zip(x, y) {
                var z = 0.0
                for j in 0...d { z += beta[j] * row[j] }
                let p = HitVerifier.sigmoid(z)
                let w = max(p * (1 - p), 1e-12)
                for j in 0...d {
                    gradient[j] += (p - target) * row[j] / n
                    for k in 0...j { hessian[j][k] += w * row[j] * row[k] / n }
                }
            }
            for j in 0...d {
                for k in 0..<j { hessian[k][j] = hessian[j][k] }
            }
            for j in 0..<d {
                gradient[j] += l2 * beta[j]
                hessian[j][j] += l2
            }
            hessian[d][d] += 1e-9
            let step = Self.solve(hessian, gradient)
            var largest = 0.0
            for j in 0...d {
                beta[j] -= step[j]
                largest = max(largest, abs(step[j]))
            }
            if largest < 1e-10 { break }
        }
        weights = Array(beta[..<d])
        bias = beta[d]
    }

    public func probability(_ row: [Double]) -> Double {
        var z = bias
        for j in weights.indices { z += weights[j] * (row[j] - means[j]) / scales[j] }
        return HitVerifier.sigmoid(z)
    }

    /// Solves `a · x = b` for a symmetric positive-definite `a` (Cholesky).
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        let n = b.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i][j]
                for k in 0..<j { sum -= l[i][k] * l[j][k] }
                l[i][j] = i == j ? max(sum, 1e-15).squareRoot() : sum / l[j][j]
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = b[i]
            for k in 0..<i { sum -= l[i][k] * y[k] }
            y[i] = sum / l[i][i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<n { sum -= l[k][i] * x[k] }
            x[i] = sum / l[i][i]
        }
        return x
    }
}
