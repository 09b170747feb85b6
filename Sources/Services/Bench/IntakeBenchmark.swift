// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// `motcua bench intake`: durable dossier intake through the services layer (by default reception
/// at the window: create + receive in one transaction with its event and portal-sync mark; with
/// `online`, submission then reception: two transactions), against a bare insert
/// loop of the same number of one-row transactions into a one-table database with the same
/// durability settings, measured in the same run so the ratio survives a noisy machine.
public enum IntakeBenchmark {
    public struct Result: Codable, Sendable {
        public let benchmark: String
        public let database: String
        public let channel: String
        public let dossiers: Int
        public let concurrency: Int
        public let seconds: Double
        public let dossiersPerSecond: Double
        public let p50Ms: Double
        public let p99Ms: Double
        public let bareRows: Int
        public let bareRowsPerSecond: Double
        public let bareP50Ms: Double
        /// bare rows/s ÷ dossiers/s: how many times slower a full intake is than a bare insert.
        public let ratioToBare: Double
        /// The same intake without the index aggregates (measured just before, same database).
        public let withoutIndexPerSecond: Double
        /// What the live index costs: dossiers/s without it ÷ dossiers/s with it.
        public let indexOverhead: Double
    }

    /// Runs both loops in scratch databases (a temp SQLite file, or a new PostgreSQL database
    /// created beside the one `postgresURL` names, dropped afterwards).
    public static func run(
        dossiers n: Int, concurrency: Int, channel: Channel = .window, postgresURL: String?, progress: @escaping @Sendable (String) -> Void
    ) async throws -> Result {
        try await Scratch.place(postgresURL: postgresURL) { scratchURL, dir in
            try await measure(n: n, concurrency: concurrency, channel: channel, scratchURL: scratchURL, dir: dir, progress: progress)
        }
    }

    static func measure(
        n: Int, concurrency: Int, channel: Channel, scratchURL: String?, dir tmp: URL, progress: @escaping @Sendable (String) -> Void
    ) async throws -> Result {
        let scratch = scratchURL.map { (url: $0, name: "") }
        let label = scratch == nil ? "sqlite" : "postgres"

        // 1. The bare loop.
        progress("[\(label)] bare insert loop: \(n) one-row transactions, concurrency \(concurrency)")
        let bareDB = try await DatabaseFactory.open(url: scratch?.url, sqlitePath: tmp.appendingPathComponent("bare.sqlite").path)
        try await bareDB.query("CREATE TABLE bare (id TEXT PRIMARY KEY, at TEXT NOT NULL, payload TEXT NOT NULL)", [])
        let bare = try await timed(n: n, concurrency: concurrency) { i in
            try await bareDB.transaction { tx in
                _ = try await tx.query("INSERT INTO bare (id, at, payload) VALUES (?, ?, ?)", "row-\(i)", Date(), "{\"n\":\(i)}")
            }
        }
        try await bareDB.query("DROP TABLE bare", [])
        await bareDB.close()
        progress("[\(label)] bare: \(String(format: "%.0f", bare.rate)) rows/s")

        // 2. Full intake through the services layer.
        var config = AppConfig()
        config.dataDir = tmp.path
        config.databaseURL = scratch?.url
        let app = try await MotCua.boot(config)
        var catalog = try BundledData.catalog()
        catalog.units = DemoProvince.units
        try await app.catalog.importCatalog(catalog)
        let procedures = (catalog.procedures ?? []).filter { $0.authority == "commune" && $0.versions.contains { $0.onlineLevel != .none } }
        let communes = DemoProvince.units.filter { $0.kind == .commune }.map(\.code)
        let plain = MotCua(
            config: config, database: app.database, calendar: app.calendar, blobs: app.blobs, maintainsIndex: false, indexMethodology: app.indexMethodology)
        @Sendable func intake(_ i: Int, _ app: MotCua) async throws {
            let unit = communes[i % communes.count]
            let p = procedures[i % procedures.count]
            let id = String(format: "0010900%05d", i % 100_000)
            let citizen = Actor(username: "bench", roles: [.citizen], unit: nil, idNumber: id)
            let officer = Actor(username: "officer", roles: [.officer], unit: unit)
            let request = IntakeRequest(procedureCode: p.code, channel: channel, receivingUnit: unit, applicant: Applicant(idNumber: id, fullName: "Nguyễn Văn Thử"))
            if channel == .online {
                let d = try await app.dossiers.create(request, by: citizen)
                _ = try await app.dossiers.act(code: d.dossier.code, action: .receive, input: .init(), expectedVersion: d.dossier.version, by: officer)
            } else {
                _ = try await app.dossiers.create(request, by: officer)
            }
        }
        let how = channel == .online ? "online submit, then receive" : "window: create + receive in one transaction"
        // Without the index first: the run with it then writes into tables already holding n
        // dossiers more, which if anything understates it.
        progress("[\(label)] intake without the index aggregates: \(n) dossiers (\(how)), concurrency \(concurrency)")
        let without = try await timed(n: n, concurrency: concurrency) { i in try await intake(n + i, plain) }
        progress("[\(label)] without the index: \(String(format: "%.0f", without.rate)) dossiers/s")
        progress("[\(label)] intake: \(n) dossiers (\(how)), concurrency \(concurrency)")
        let with = try await timed(n: n, concurrency: concurrency) { i in try await intake(i, app) }
        await app.shutdown()
        progress("[\(label)] intake: \(String(format: "%.0f", with.rate)) dossiers/s")
        let intake = with
        return Result(
            benchmark: "intake", database: label, channel: channel.rawValue, dossiers: n, concurrency: concurrency, seconds: intake.seconds, dossiersPerSecond: intake.rate,
            p50Ms: intake.p50, p99Ms: intake.p99, bareRows: n, bareRowsPerSecond: bare.rate, bareP50Ms: bare.p50,
            ratioToBare: bare.rate / intake.rate, withoutIndexPerSecond: without.rate, indexOverhead: without.rate / intake.rate)
    }

    struct Timing {
        let seconds: Double
        let rate: Double
        let p50: Double
        let p99: Double
    }

    /// Runs `body` for 0..<n with `concurrency` workers; returns throughput and latency percentiles.
    static func timed(n: Int, concurrency: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Timing {
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for w in 0..<concurrency {
                group.addTask {
                    var mine: [Double] = []
                    var i = w
                    while i < n {
                        let t0 = ContinuousClock.now
                        try await body(i)
                        let dt = ContinuousClock.now - t0
                        mine.append(dt.inMilliseconds)
                        i += concurrency
                    }
                    return mine
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
        let dt = ContinuousClock.now - start
        let secs = dt.inSeconds
        return Timing(seconds: secs, rate: Double(n) / secs, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99))
    }
}
