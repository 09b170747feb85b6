// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

extension IndexService {
    /// One official's figures for a period (dossiers received in it): for the annual evaluation
    /// the seeds ask to tie to digitization and timeliness.
    public struct Official: Sendable, Codable {
        public let username: String
        public let fullName: String
        public let unit: String?
        public let received: Int
        public let digitized: Int
        /// Percent of the dossiers they received that are fully digitized; nil when none.
        public let digitizationRate: Double?
        public let handled: Int
        public let handledOnTime: Int
        public let onTimeRate: Double?
        /// The norm for the period (the yearly norm × months ÷ 12) and the share of it reached.
        public let norm: Double
        public let normShare: Double
    }

    /// Every official with dossiers in `unit` (and the units under it) in `period`, busiest first.
    public func officials(unit: String, period: IndexPeriod, by actor: Actor) async throws -> [Official] {
        let units = try await app.catalog.unitsByCode()
        try authorize(unit, by: actor, units: units)
        let scope = Self.scope(unit, units: units)
        let counts = try await app.reading { db in try await IndexStore.officials(months: period.months, units: scope, on: db) }
        let accounts = try await AccountStore.users(usernames: Array(counts.keys), on: app.database)
        let norm = (methodology.1?.throughputNorm ?? 1_600) * Double(period.months.count) / 12
        var out: [Official] = []
        for (who, c) in counts {
            let account = accounts[who]
            let done = c.received + c.handled
            out.append(
                Official(
                    username: who, fullName: account?.fullName ?? who, unit: account?.unit, received: c.received, digitized: c.digitized,
                    digitizationRate: IndexScoring.ratio(IndexCount(c.digitized, of: c.received)), handled: c.handled, handledOnTime: c.handledOnTime,
                    onTimeRate: IndexScoring.ratio(IndexCount(c.handledOnTime, of: c.handled)), norm: (norm * 10).rounded() / 10,
                    normShare: norm > 0 ? (Double(done) / norm * 1000).rounded() / 10 : 0))
        }
        return out.sorted { ($0.received + $0.handled, $1.username) > ($1.received + $1.handled, $0.username) }
    }
}
