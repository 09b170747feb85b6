// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// `motcua bench index`: the dashboard's index queries for a province with N dossiers, and the
/// time of `index rebuild` over them. The dossiers are generated (two years of them, a realistic
/// mix of channels, endings, late and open ones, 90 % on the portal) and loaded in bulk with
/// their index entries and counts computed by the same rules as the live path; the rebuild then
/// recomputes everything from the dossiers and must find no difference.
public enum IndexBenchmark {
    public struct Result: Codable, Sendable {
        public let benchmark: String
        public let database: String
        public let dossiers: Int
        public let loadSeconds: Double
        public let queries: Int
        /// `report` for the province (every unit), one month: what `/dashboard` asks first.
        public let provinceMonthP50Ms: Double
        public let provinceMonthP99Ms: Double
        /// The same for a whole year (12 months of counts).
        public let provinceYearP50Ms: Double
        public let provinceYearP99Ms: Double
        /// One commune, one month.
        public let unitMonthP50Ms: Double
        public let unitMonthP99Ms: Double
        /// The ranking of every unit, one month.
        public let rankingP50Ms: Double
        /// A page of 100 late dossiers of one unit (the drill-down).
        public let lossesP50Ms: Double
        public let rebuildSeconds: Double
        public let rebuildDossiersPerSecond: Double
        public let rebuildDifferences: Int
        /// Baseline in the same run: `SELECT COUNT(*)` over all dossiers (a full scan: what a
        /// dashboard computed from the dossiers themselves would at least cost).
        public let countAllMs: Double
    }

    public static func run(dossiers n: Int, queries q: Int, rebuild: Bool, postgresURL: String?, progress: @escaping @Sendable (String) -> Void) async throws -> Result {
        try await Scratch.place(postgresURL: postgresURL) { scratchURL, dir in
            var config = AppConfig()
            config.dataDir = dir.path
            config.databaseURL = scratchURL
            let clock = ManualClock(VietnamTime.instant(LocalDate(year: 2026, month: 11, day: 20)!, minuteOfDay: 15 * 60))
            let app = try await MotCua.boot(config, clock: clock.clock)
            defer { Task { await app.shutdown() } }
            let label = scratchURL == nil ? "sqlite" : "postgres"
            var catalog = try BundledData.catalog()
            catalog.units = DemoProvince.units
            try await app.catalog.importCatalog(catalog)
            let units = DemoProvince.units.filter { $0.kind == .commune || $0.kind == .department }
            let procedures = catalog.procedures ?? []
            let byUnit = Dictionary(uniqueKeysWithValues: units.map { u in (u.code, procedures.filter { u.isCompetent(for: $0.authority) }) })
            let active = units.filter { !(byUnit[$0.code] ?? []).isEmpty }
            // 1. Load: two years up to the clock, evenly.
            var rng = SplitMix64(seed: 766)
            let end = clock.now
            let span = 730.0 * 86_400
            let start = ContinuousClock.now
            var made = 0
            while made < n {
                let count = min(5_000, n - made)
                var ds: [Dossier] = []
                var entries: [(String, DossierIndexEntry)] = []
                var synced: Set<String> = []
                var counts = IndexStore.CountDeltas()
                for i in made..<(made + count) {
                    let unit = active[i % active.count]
                    let list = byUnit[unit.code]!
                    let p = list[(i / active.count) % list.count]
                    let v = p.versions[p.versions.count - 1]
                    let at = end.addingTimeInterval(-span + span * Double(i) / Double(n))
                    let due = at.addingTimeInterval(5 * 86_400)
                    let roll = Int.random(in: 0..<100, using: &rng)
                    // 84 % ended (1 in 10 of them late), 3 % withdrawn, 1 % stopped, and open ones
                    // (overdue if their due date is behind the clock).
                    let status: DossierStatus = roll < 84 ? (roll % 3 == 0 ? .processed : .returned) : roll < 87 ? .withdrawn : roll < 88 ? .stopped : .processing
                    let finished: Date? = status == .processing ? nil : at.addingTimeInterval(roll % 10 == 0 ? 7 * 86_400 : 2 * 86_400)
                    let supplements = roll % 17 == 0 ? 2 : roll % 5 == 0 ? 1 : 0
                    let code = DossierCode.make(agency: unit.code, date: VietnamTime.date(of: at), sequence: i % 9999 + 1) + "-\(i)"
                    let d = Dossier(
                        id: TimeOrderedID.make(at: at, using: &rng), code: code, procedureCode: p.code, procedureVersion: v.version,
                        processingTime: v.processingTime, cutoffMinute: nil, nonTerritorial: p.nonTerritorial, channel: roll % 5 < 3 ? .online : .window,
                        status: status, stage: status == .processing ? .assigned : .none, receivingUnit: unit.code, competentUnit: unit.code,
                        handlingUnit: unit.code, assignee: status == .processing ? "chuyenvien.\(DemoProvince.slug(unit.code))" : nil,
                        applicant: Applicant(idNumber: "0010\(Digits.pad(i % 100_000_000, 8))", fullName: "Nguyễn Văn Thử"), subject: p.name,
                        submittedAt: at, receivedAt: at, dueAt: due, finishedAt: finished, returnedAt: status == .returned ? finished : nil,
                        supplementCount: supplements, createdAt: at, updatedAt: finished ?? at)
                    ds.append(d)
                    let onPortal = roll % 10 != 9
                    if onPortal { synced.insert(d.id) }
                    let inputs = DossierIndexInputs(onPortal: onPortal, resultRequired: v.result?.paper ?? false)
                    if let e = DossierIndexEntry.of(d, inputs: inputs) {
                        entries.append((d.id, e))
                        counts.add(e, sign: 1)
                    }
                }
                let (batch, batchEntries, batchSynced, batchCounts) = (ds, entries, synced, counts)
                try await app.database.transaction { tx in
                    try await DossierStore.insertMany(batch, on: tx)
                    try await PortalSyncStore.insertDelivered(batch.filter { batchSynced.contains($0.id) }, on: tx)
                    try await IndexStore.insertEntries(batchEntries, on: tx)
                    try await IndexStore.apply(batchCounts, on: tx)
                }
                made += count
                if made % 100_000 == 0 || made == n { progress("[\(label)] loaded \(made)/\(n) dossiers (\(Int((ContinuousClock.now - start).inSeconds)) s)") }
            }
            let loadSeconds = (ContinuousClock.now - start).inSeconds
            if app.database.dialect == .postgres { try await app.database.query("ANALYZE", []) }
            // 2. Queries, as the dashboard asks them.
            let index = app.index
            let province = DemoProvince.provinceCode
            let month = IndexPeriod.month(2026, 10)
            func time(_ runs: Int, _ body: () async throws -> Void) async throws -> [Double] {
                var out: [Double] = []
                for _ in 0..<runs {
                    let t0 = ContinuousClock.now
                    try await body()
                    out.append((ContinuousClock.now - t0).inSeconds * 1000)
                }
                return out
            }
            progress("[\(label)] \(q) index queries of each kind")
            let provinceMonth = try await time(q) { _ = try await index.report(unit: province, period: month, by: .system) }
            let provinceYear = try await time(q) { _ = try await index.report(unit: province, period: .year(2026), by: .system) }
            var k = 0
            let unitMonth = try await time(q) {
                k += 1
                _ = try await index.report(unit: active[k % active.count].code, period: month, by: .system)
            }
            let ranking = try await time(max(1, q / 4)) { _ = try await index.ranking(unit: province, period: month, by: .system) }
            let losses = try await time(max(1, q / 4)) {
                k += 1
                _ = try await index.losses(unit: active[k % active.count].code, period: month, indicator: "2.1", limit: 100, by: .system)
            }
            let countAll = try await time(3) { _ = try await app.database.first("SELECT COUNT(*) AS n FROM dossiers") }
            progress(
                "[\(label)] province, month p50 \(String(format: "%.1f", percentile(provinceMonth, 0.5))) ms; year p50 \(String(format: "%.1f", percentile(provinceYear, 0.5))) ms; COUNT(*) of all dossiers \(String(format: "%.0f", percentile(countAll, 0.5))) ms")
            // 3. Rebuild.
            var rebuilt = IndexService.RebuildReport()
            if rebuild {
                progress("[\(label)] index rebuild over \(n) dossiers")
                rebuilt = try await index.rebuild(by: .system) { seen in if seen % 500_000 == 0 { progress("[\(label)] rebuild: \(seen) dossiers") } }
                progress("[\(label)] rebuild: \(String(format: "%.0f", rebuilt.seconds)) s, \(rebuilt.entriesDiffering + rebuilt.countsDiffering) differences")
            }
            return Result(
                benchmark: "index", database: label, dossiers: n, loadSeconds: loadSeconds, queries: q, provinceMonthP50Ms: percentile(provinceMonth, 0.5),
                provinceMonthP99Ms: percentile(provinceMonth, 0.99), provinceYearP50Ms: percentile(provinceYear, 0.5), provinceYearP99Ms: percentile(provinceYear, 0.99),
                unitMonthP50Ms: percentile(unitMonth, 0.5), unitMonthP99Ms: percentile(unitMonth, 0.99), rankingP50Ms: percentile(ranking, 0.5), lossesP50Ms: percentile(losses, 0.5),
                rebuildSeconds: rebuilt.seconds, rebuildDossiersPerSecond: rebuild ? Double(rebuilt.dossiers) / max(rebuilt.seconds, 0.001) : 0,
                rebuildDifferences: rebuilt.entriesDiffering + rebuilt.countsDiffering, countAllMs: percentile(countAll, 0.5))
        }
    }

}
