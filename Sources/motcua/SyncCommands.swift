// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Domain
import Foundation
import Logging
import ServiceLifecycle
import Services
import Web

/// `motcua worker`: the background work of `serve` without HTTP (digitization, portal relay,
/// reconciliation, housekeeping), for instances that only work the queues.
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the background workers (digitization, portal relay, reconciliation) without HTTP.")

    func run() async throws {
        let config = try loadConfig()
        LogOutput.bootstrap(config)
        var logger = Logger(label: "motcua-worker")
        logger.logLevel = .info
        let app = try await boot(config)
        say("motcua worker: \(app.database.dialect.rawValue) database ready; portal sync \(config.dvcqgURL == nil ? "disabled (DVCQG_URL not set)" : "to \(config.dvcqgURL!)")")
        let group = ServiceGroup(
            configuration: .init(services: backgroundWorkers(app: app, logger: logger).map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await app.shutdown()
    }
}

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Delivery to the National Public Service Portal (DVCQG).", subcommands: [Status.self, Reconcile.self, Retry.self])

    static let admin = Actor(username: "system", roles: [.admin], unit: nil)

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Backlog, lag, deliveries, failures and this month's share confirmed on the portal.")

        func run() async throws {
            let app = try await boot(try loadConfig())
            let s = try await app.sync.status(by: SyncCommand.admin)
            let lag = s.stats.oldestPendingSince.map { String(format: "%.0f s", s.now.timeIntervalSince($0)) } ?? "none"
            say("portal sync: \(s.enabled ? "enabled → \(s.target)" : s.target)")
            say("pending \(s.stats.pending), failing \(s.stats.failing), parked \(s.stats.dead), in sync \(s.stats.inSync), not yet syncable \(s.stats.skipped); lag \(lag); delivered in the last hour \(s.stats.deliveredLastHour)")
            if !s.stats.failuresByKind.isEmpty {
                say("failures in the last 24 h: " + s.stats.failuresByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            say("this month: \(s.monthConfirmed) of \(s.monthReceived) received dossiers confirmed on the portal")
            await app.shutdown()
        }
    }

    struct Reconcile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare every dossier with what the portal holds (TraCuuHoSo), re-queue what differs or is missing, and report counts.")

        @Option(help: "Only dossiers received from this day (YYYY-MM-DD, Vietnam time).")
        var since: String?

        func run() async throws {
            var from: Date?
            if let s = since {
                guard let day = LocalDate(iso: s) else { fail("--since must be a day as YYYY-MM-DD (got \(s))") }
                from = VietnamTime.instant(day, minuteOfDay: 0)
            }
            let app = try await boot(try loadConfig())
            guard app.sync.isEnabled else {
                await app.shutdown()
                fail("portal sync is disabled: set DVCQG_URL, DVCQG_USERNAME, DVCQG_PASSWORD and DVCQG_UNIT")
            }
            let r = try await app.sync.reconcile(since: from) { r in
                if r.checked % 500 == 0 { say("reconcile: \(r.checked) checked…") }
            }
            say("reconcile: \(r.checked) checked, \(r.inSync) in sync, \(r.repaired) repaired (re-queued), \(r.missing) missing (re-queued), \(r.failing) failing")
            await app.shutdown()
            if r.failing > 0 { throw ExitCode(75) }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a (parked) dossier to the portal again now.")

        @Argument(help: "The dossier code.")
        var code: String

        func run() async throws {
            let app = try await boot(try loadConfig())
            do {
                let row = try await app.sync.retry(code: code, by: SyncCommand.admin)
                say("\(row.dossierCode): due again now (state \(row.state))")
            } catch {
                await app.shutdown()
                fail("\(error)")
            }
            await app.shutdown()
        }
    }
}
