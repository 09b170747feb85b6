// SPDX-License-Identifier: Apache-2.0

extension Duration {
    /// In seconds, as a Double (benchmarks and timings).
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var inMilliseconds: Double { inSeconds * 1000 }
}
