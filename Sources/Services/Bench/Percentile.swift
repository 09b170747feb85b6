// SPDX-License-Identifier: Apache-2.0

/// The `p` quantile (0…1) of measured latencies, nearest rank; 0 for none.
func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[min(s.count - 1, Int(Double(s.count) * p))]
}
