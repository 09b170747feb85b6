// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

extension IndexService {
    /// What a rebuild found and did.
    public struct RebuildReport: Sendable, Codable {
        public var dossiers = 0
        public var counted = 0
        /// Dossier entries and count rows whose live value differed from the recomputed one
        /// (0 when the incremental maintenance is right).
        public var entriesDiffering = 0
        public var countsDiffering = 0
        public var seconds = 0.0
    }

    /// Recomputes every dossier's entry and all counts from the source tables, in pages of 1,000
    /// dossiers (their documents, results, sync state and look-ups read per page), compares the
    /// result with the live tables, and replaces them, all in one transaction: the dashboard
    /// never sees a half-built index. Administrators only.
    public func rebuild(by actor: Actor, progress: @Sendable (Int) -> Void = { _ in }) async throws -> RebuildReport {
        guard actor.has(.admin) else { throw ServiceError.forbidden("the index is rebuilt by administrators") }
        let started = ContinuousClock.now
        let app = self.app
        var report = try await app.database.transaction { tx in
            var report = RebuildReport()
            try await IndexStore.keepLiveForComparison(on: tx)
            try await IndexStore.clear(on: tx)
            var counts = IndexStore.CountDeltas()
            var after = ""
            while true {
                let rows = try await tx.query("SELECT * FROM dossiers WHERE id > ? ORDER BY id LIMIT 1000", [after.sqlValue])
                guard let last = rows.last?.string("id") else { break }
                after = last
                var page: [(Dossier, Procedure)] = []
                for row in rows where !IndexAggregates.isImported(row) { page.append(try await DossierService.load(row, app: app)) }
                let inputs = try await IndexAggregates.inputs(of: page, on: tx)
                var entries: [(String, DossierIndexEntry)] = []
                for (d, _) in page {
                    guard let e = DossierIndexEntry.of(d, inputs: inputs[d.id] ?? .init()) else { continue }
                    entries.append((d.id, e))
                    counts.add(e, sign: 1)
                }
                try await IndexStore.insertEntries(entries, on: tx)
                report.dossiers += rows.count
                report.counted += entries.count
                progress(report.dossiers)
            }
            try await IndexStore.apply(counts, on: tx)
            (report.entriesDiffering, report.countsDiffering) = try await IndexStore.differencesFromLive(on: tx)
            return report
        }
        report.seconds = (ContinuousClock.now - started).inSeconds
        return report
    }
}
