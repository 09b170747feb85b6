// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// `motcua bench sync`: the sustained delivery rate of one relay to a healthy portal (records/s,
/// with their progress rows) against the intake rate of the same dossiers in the same run, and
/// the time to deliver a backlog (the catch-up after an outage: the backlog is every dossier
/// that changed meanwhile, each sent once with all its steps).
public enum SyncBenchmark {
    public struct Result: Codable, Sendable {
        public let benchmark: String
        public let database: String
        public let dossiers: Int
        public let intakePerSecond: Double
        public let deliveredPerSecond: Double
        public let progressRowsPerSecond: Double
        public let catchUpSeconds: Double
        public let calls: Int
    }

    public static func run(
        dossiers n: Int, portalURL: URL, postgresURL: String?, progress: @escaping @Sendable (String) -> Void
    ) async throws -> Result {
        try await Scratch.place(postgresURL: postgresURL) { scratchURL, dir in
            var config = AppConfig()
            config.dataDir = dir.path
            config.databaseURL = scratchURL
            let app = try await MotCua.boot(config)
            defer { Task { await app.shutdown() } }
            let label = scratchURL == nil ? "sqlite" : "postgres"
            var catalog = try BundledData.catalog()
            catalog.units = DemoProvince.units
            try await app.catalog.importCatalog(catalog)
            let communes = DemoProvince.units.filter { $0.kind == .commune }.map(\.code)
            // The backlog: n dossiers received and handed over (two changes each, one delivery each).
            progress("[\(label)] intake: \(n) dossiers received and handed over while the portal is out of reach")
            let t0 = ContinuousClock.now
            for i in 0..<n {
                let unit = communes[i % communes.count]
                let officer = Actor(username: "officer", roles: [.officer], unit: unit)
                let id = String(format: "0011900%05d", i % 100_000)
                let d = try await app.dossiers.create(
                    IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: Applicant(idNumber: id, fullName: "Nguyễn Văn Thử")),
                    by: officer)
                _ = try await app.dossiers.act(code: d.dossier.code, action: .assign, input: .init(), expectedVersion: d.dossier.version, by: officer)
            }
            let intakeSecs = (ContinuousClock.now - t0).inSeconds
            progress("[\(label)] intake \(String(format: "%.0f", Double(n) / intakeSecs)) dossiers/s; delivering the backlog to \(portalURL)")
            let client = DVCQGClient(DVCQGConfig(baseURL: portalURL, username: "motcua", password: "motcua", madonvi: "000.00.00.H99"))
            let relay = PortalRelay(app: app, client: client, owner: "bench")
            var delivered = 0
            var rows = 0
            var calls = 0
            let d0 = ContinuousClock.now
            while true {
                let r = try await relay.runOnce()
                guard r.claimed > 0 else { break }
                delivered += r.delivered
                rows += r.progressRows
                calls += 1 + (r.progressRows + 9) / 10
                if delivered % 500 < r.delivered { progress("[\(label)] delivered \(delivered)/\(n)") }
            }
            let deliverSecs = (ContinuousClock.now - d0).inSeconds
            guard delivered == n else { throw ServiceError.invalid(field: "portal", message: "only \(delivered) of \(n) dossiers were delivered") }
            return Result(
                benchmark: "sync", database: label, dossiers: n, intakePerSecond: Double(n) / intakeSecs, deliveredPerSecond: Double(delivered) / deliverSecs,
                progressRowsPerSecond: Double(rows) / deliverSecs, catchUpSeconds: deliverSecs, calls: calls)
        }
    }

}
