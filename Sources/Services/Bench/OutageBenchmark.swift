// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// `motcua bench sync --outage SECONDS`: the catch-up time after the portal was unreachable,
/// in real time, with the relay as production runs it (default backoff, probe, pauses) and
/// dossiers arriving at a steady rate throughout (each received and handed over: two changes).
/// Measured from the moment the portal is back to the moment every dossier that changed before
/// then is confirmed on the portal. `motcua bench sync --outage` runs the backlog benchmark
/// (``SyncBenchmark``) first, in the same run, as the baseline: the time the same backlog needs
/// when nothing waits for a backoff.
public enum OutageBenchmark {
    public struct Result: Codable, Sendable {
        public let benchmark: String
        public let database: String
        public let outageSeconds: Double
        public let arrivalsPerMinute: Double
        /// Dossiers waiting for the portal when it came back.
        public let backlog: Int
        /// Record attempts the relay made against the unreachable portal (its load on a broken link).
        public let attemptsDuringOutage: Int
        public let catchUpSeconds: Double
    }

    /// The portal's side, driven by the caller (the simulator lives outside this module).
    public struct Portal: Sendable {
        public let url: URL
        public let stop: @Sendable () async -> Void
        public let restart: @Sendable () async throws -> Void

        public init(url: URL, stop: @escaping @Sendable () async -> Void, restart: @escaping @Sendable () async throws -> Void) {
            self.url = url
            self.stop = stop
            self.restart = restart
        }
    }

    public static func run(
        outage: TimeInterval, perMinute: Double, warmUp: TimeInterval = 20, portal: Portal, postgresURL: String?,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> Result {
        try await Scratch.place(postgresURL: postgresURL) { scratchURL, dir in
            var config = AppConfig()
            config.dataDir = dir.path
            config.databaseURL = scratchURL
            config.dvcqgURL = portal.url.absoluteString
            config.dvcqgUsername = "motcua"
            config.dvcqgPassword = "motcua"
            config.dvcqgUnit = "000.00.00.H99"
            let app = try await MotCua.boot(config)
            defer { Task { await app.shutdown() } }
            let label = scratchURL == nil ? "sqlite" : "postgres"
            var catalog = try BundledData.catalog()
            catalog.units = DemoProvince.units
            try await app.catalog.importCatalog(catalog)
            guard let client = app.sync.client() else { throw ServiceError.invalid(field: "portal", message: "sync is not configured") }
            let relay = Task { try await PortalRelay(configuredBy: app, client: client).run() }
            let communes = DemoProvince.units.filter { $0.kind == .commune }.map(\.code)
            let arrivals = Task {
                var i = 0
                while !Task.isCancelled {
                    let unit = communes[i % communes.count]
                    let officer = Actor(username: "officer", roles: [.officer], unit: unit)
                    let d = try await app.dossiers.create(
                        IntakeRequest(
                            procedureCode: "1.001193", channel: .window, receivingUnit: unit,
                            applicant: Applicant(idNumber: String(format: "0011900%05d", i % 100_000), fullName: "Nguyễn Văn Thử")),
                        by: officer)
                    _ = try await app.dossiers.act(code: d.dossier.code, action: .assign, input: .init(), expectedVersion: d.dossier.version, by: officer)
                    i += 1
                    try await Task.sleep(for: .seconds(60 / perMinute))
                }
            }
            defer {
                arrivals.cancel()
                relay.cancel()
            }
            func waiting(since cutoff: Date? = nil) async throws -> Int {
                if let cutoff {
                    return try await app.database.first("SELECT COUNT(*) AS n FROM portal_sync WHERE state = 'pending' AND pending_since <= ?", cutoff)?.int("n") ?? 0
                }
                return try await app.database.first("SELECT COUNT(*) AS n FROM portal_sync WHERE state = 'pending'")?.int("n") ?? 0
            }
            progress("[\(label)] \(String(format: "%.0f", perMinute)) dossiers a minute arrive; \(Int(warmUp)) s with a healthy portal first")
            try await Task.sleep(for: .seconds(warmUp))
            let down = app.clock.now()
            await portal.stop()
            progress("[\(label)] the portal is unreachable for \(Int(outage)) s")
            var left = outage
            while left > 0 {
                let step = min(60, left)
                try await Task.sleep(for: .seconds(step))
                left -= step
                progress("[\(label)] outage: \(Int(outage - left)) s, \(try await waiting()) dossiers waiting")
            }
            let backAt = app.clock.now()
            let backlog = try await waiting(since: backAt)
            let attempts =
                try await app.database.first("SELECT COUNT(*) AS n FROM portal_sync_log WHERE at >= ? AND at < ?", down, backAt)?.int("n") ?? 0
            try await portal.restart()
            let t0 = ContinuousClock.now
            progress("[\(label)] the portal is back; \(backlog) dossiers to catch up")
            let limit = ContinuousClock.now + .seconds(1800)
            while try await waiting(since: backAt) > 0 {
                guard ContinuousClock.now < limit else { throw ServiceError.invalid(field: "portal", message: "not caught up within 30 minutes") }
                try await Task.sleep(for: .milliseconds(100))
            }
            let catchUp = (ContinuousClock.now - t0).inSeconds
            progress("[\(label)] caught up in \(String(format: "%.1f", catchUp)) s")
            return Result(
                benchmark: "sync-outage", database: label, outageSeconds: outage, arrivalsPerMinute: perMinute, backlog: backlog,
                attemptsDuringOutage: attempts, catchUpSeconds: catchUp)
        }
    }
}
