// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A numerator over a denominator, as counted for one unit and period.
public struct IndexCount: Sendable, Hashable, Codable {
    public var numerator: Int
    public var denominator: Int
    public init(_ numerator: Int, of denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }
}

/// One indicator's result.
public struct IndicatorScore: Sendable, Hashable, Codable {
    public let id: String
    public let numerator: Int?
    public let denominator: Int?
    /// Percent, rounded to 2 decimals as the portal does; nil with no data.
    public let ratio: Double?
    /// Nil means "no data": left out of the totals, never a made-up number.
    public let score: Double?
    public let ceiling: Double
    public let uncertain: Bool
}

public struct GroupScore: Sendable, Hashable, Codable {
    public let id: String
    public let score: Double
    public let ceiling: Double
    /// The part of the ceiling whose indicators have data.
    public let ceilingWithData: Double
    public let indicators: [IndicatorScore]
}

public struct IndexScore: Sendable, Hashable, Codable {
    public let total: Double
    public let ceiling: Double
    public let ceilingWithData: Double
    public let groups: [GroupScore]
}

/// The scoring rules of the methodology (DOMAIN.md §1): pure arithmetic over counts.
public enum IndexScoring {
    /// Ratio in percent, rounded to 2 decimals; nil for a zero denominator.
    public static func ratio(_ c: IndexCount) -> Double? {
        guard c.denominator > 0 else { return nil }
        return (Double(c.numerator) / Double(c.denominator) * 10_000).rounded() / 100
    }

    /// The generic conversion: the ceiling at or above the threshold, proportional below it;
    /// without a threshold, ratio × ceiling.
    public static func points(ratio r: Double, ceiling p: Double, threshold t: Double?) -> Double {
        let share = max(0, min(1, t.map { r / $0 } ?? r / 100))
        return round2(share * p)
    }

    /// Group 3b: A, B, C as shares (0…1): 6·A + min(2, 2.5·B) + 2.5·C.
    public static func payment(a: Double, b: Double, c: Double) -> Double {
        round2(6 * a + min(2, 2.5 * b) + 2.5 * c)
    }

    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }

    /// Scores every indicator from the counts of its measure (missing = MotCua has no data).
    public static func score(_ m: IndexMethodology, counts: [IndexMeasure: IndexCount]) -> IndexScore {
        var ratios: [String: Double] = [:]
        for i in m.groups.flatMap(\.indicators) {
            if let measure = i.measure, let c = counts[measure], let r = ratio(c) { ratios[i.id] = r }
        }
        var groups: [GroupScore] = []
        for g in m.groups {
            var scores: [IndicatorScore] = []
            for i in g.indicators {
                let c = i.measure.flatMap { counts[$0] }
                var r = c.flatMap(ratio)
                if let r0 = r, let other = i.multiplyByRatioOf {
                    // 3.3 × the sync coefficient; without the coefficient there is no score.
                    r = ratios[other].map { round2(r0 * $0 / 100) }
                }
                let score: Double?
                switch i.formula {
                case .display: score = nil
                case .payment:
                    // Group 3b: A is this indicator's ratio; B and C come with it (DOMAIN.md §1).
                    if let c, c.denominator > 0 {
                        let b = counts[.onlinePaymentProcedures].flatMap(ratio) ?? 0
                        let cc = counts[.feeDataProcedures].flatMap(ratio) ?? 0
                        score = min(i.ceiling, payment(a: (r ?? 0) / 100, b: b / 100, c: cc / 100))
                    } else {
                        score = nil
                    }
                case .ratio:
                    if let r {
                        score = points(ratio: r, ceiling: i.ceiling, threshold: i.threshold)
                    } else if let c, c.denominator == 0 {
                        switch i.whenEmpty {
                        case .noData: score = nil
                        case .zero: score = 0
                        case .full: score = i.ceiling
                        }
                    } else {
                        score = nil
                    }
                }
                scores.append(IndicatorScore(id: i.id, numerator: c?.numerator, denominator: c?.denominator, ratio: r, score: score, ceiling: i.ceiling, uncertain: i.uncertain))
            }
            let withData = scores.filter { $0.score != nil }
            groups.append(
                GroupScore(
                    id: g.id, score: round2(withData.reduce(0) { $0 + ($1.score ?? 0) }), ceiling: g.ceiling,
                    ceilingWithData: withData.reduce(0) { $0 + $1.ceiling }, indicators: scores))
        }
        return IndexScore(
            total: round2(groups.reduce(0) { $0 + $1.score }), ceiling: m.ceiling, ceilingWithData: groups.reduce(0) { $0 + $1.ceilingWithData }, groups: groups)
    }

    /// The band a total falls in (bands highest first).
    public static func band(_ total: Double, in m: IndexMethodology) -> IndexBand? { m.bands.first { total >= $0.from } }

    /// What-if: how many of the counted dossiers must turn good (on time, digitized, synced…)
    /// to reach `targetScore` on a ratio indicator. Nil when the target is above the ceiling;
    /// 0 when already there.
    public static func needed(for targetScore: Double, on i: IndexIndicator, count c: IndexCount) -> Int? {
        guard targetScore <= i.ceiling + 0.0001 else { return nil }
        let targetRatio = (i.threshold ?? 100) * targetScore / max(i.ceiling, 0.0001)  // percent
        if let r = ratio(c), r >= targetRatio - 0.00001 { return 0 }
        // Existing dossiers turning good: numerator + x over the same denominator.
        let x = Int((targetRatio / 100 * Double(c.denominator) - Double(c.numerator)).rounded(.up))
        return max(0, min(x, c.denominator - c.numerator))
    }
}
