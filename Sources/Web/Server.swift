// SPDX-License-Identifier: Apache-2.0
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Services
import Storage

/// The HTTP server with the in-process background workers (`motcua serve`).
public func buildApplication(app: MotCua, logger: Logger) -> some ApplicationProtocol {
    let (router, _) = buildRouter(app: app)
    return Application(
        router: router,
        configuration: .init(address: .hostname(app.config.httpHost, port: app.config.httpPort), serverName: "MotCua"),
        services: backgroundWorkers(app: app, logger: logger),
        logger: logger)
}

/// The background work of one instance: housekeeping, digitization and, when configured, the
/// portal relay with its scheduled reconciliation. `motcua worker` runs the same without HTTP.
public func backgroundWorkers(app: MotCua, logger: Logger) -> [any Service] {
    var workers: [any Service] = [
        MaintenanceWorker(app: app, logger: logger), SharedStateFollower(app: app, logger: logger), DigitizationWorker(app: app, logger: logger), NotificationWorker(app: app, logger: logger),
    ]
    if let client = app.sync.client() {
        workers.append(PortalRelayWorker(relay: PortalRelay(configuredBy: app, client: client), logger: logger))
        if app.config.reconcileHours > 0 { workers.append(ReconcileWorker(app: app, every: app.config.reconcileHours * 3600, logger: logger)) }
    } else {
        logger.notice("portal sync disabled: DVCQG_URL is not set")
    }
    return workers
}

/// Delivers dossiers to the national portal (``PortalRelay/run(idlePoll:report:)``) until shutdown.
struct PortalRelayWorker: Service {
    let relay: PortalRelay
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await relay.run { event in
                switch event {
                case .round(let r) where r.failed + r.parked > 0:
                    logger.warning("portal relay: \(r.delivered) delivered, \(r.failed) failed, \(r.parked) parked")
                case .round(let r) where r.woken > 0:
                    logger.notice("portal relay: the portal answers again; \(r.woken) dossiers due at once")
                case .round: break
                case .error(let e): logger.warning("portal relay round failed: \(e)")
                }
            }
        }
    }
}

/// Compares MotCua with the portal on a schedule (the last two days of dossiers), re-queuing
/// what differs; a full pass is `motcua sync reconcile`.
struct ReconcileWorker: Service {
    let app: MotCua
    let every: TimeInterval
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(every))
                do {
                    let r = try await app.sync.reconcile(since: app.clock.now().addingTimeInterval(-2 * 86400))
                    logger.info("reconciliation: \(r.checked) checked, \(r.inSync) in sync, \(r.repaired) repaired, \(r.missing) missing, \(r.failing) failing")
                } catch {
                    logger.warning("reconciliation failed: \(error)")
                }
            }
        }
    }
}

/// Sends the text messages that could not be sent at once (a gateway down), every half minute.
struct NotificationWorker: Service {
    let app: MotCua
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: 30, logger: logger, failure: "text messages not sent") {
            let n = try await app.notifications.deliverPending()
            if n > 0 { logger.info("sent \(n) text message(s) that had waited") }
        }
    }
}

/// Runs `round` now and then every `seconds` until shutdown; a failed round is logged and the
/// next one comes anyway.
func repeatUntilShutdown(every seconds: Double, logger: Logger, failure: String, _ round: @escaping @Sendable () async throws -> Void) async {
    try? await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do { try await round() } catch { logger.warning("\(failure): \(error)") }
            try await Task.sleep(for: .seconds(seconds))
        }
    }
}

/// Takes, within a second, the catalog and the days off another instance or the command line
/// changed (``MotCua/followSharedChanges()``): an intake on any instance counts the same calendar.
struct SharedStateFollower: Service {
    let app: MotCua
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: 1, logger: logger, failure: "could not look for changes made elsewhere") {
            let moved = try await app.followSharedChanges()
            if !moved.isEmpty { logger.info("reloaded after a change elsewhere: \(moved.map(\.rawValue).joined(separator: ", "))") }
        }
    }
}

/// Periodic housekeeping that runs beside the HTTP server: drops expired API tokens, tracking
/// grants and codes.
struct MaintenanceWorker: Service {
    let app: MotCua
    let logger: Logger

    func run() async throws {
        // Stop at once on SIGTERM/SIGINT instead of finishing a ten-minute sleep.
        try? await cancelWhenGracefulShutdown {
            var lastCheckpoint = Date.distantPast
            while !Task.isCancelled {
                do {
                    try await app.database.query("DELETE FROM access_tokens WHERE expires_at < ?", [app.clock.now().sqlValue])
                    try await TrackingStore.purge(at: app.clock.now(), on: app.database)
                    try await RateBucketStore.purge(before: app.clock.now().timeIntervalSince1970 - 3600, on: app.database)
                } catch {
                    logger.warning("maintenance failed: \(error)")
                }
                // The audit ledger's tip, signed with the agency key every hour.
                if app.clock.now().timeIntervalSince(lastCheckpoint) >= 3600 {
                    do {
                        if let c = try await app.audit.checkpoint() { logger.info("audit checkpoint: entry \(c.seq) signed by \(c.signer)") }
                        lastCheckpoint = app.clock.now()
                    } catch {
                        logger.warning("audit checkpoint not signed: \(error)")
                    }
                }
                try await Task.sleep(for: .seconds(600))
            }
        }
    }
}

/// Digitizes uploaded components in the background (OCR, inspection, quality control). Polls the
/// queue table; several instances can run on PostgreSQL (claims use SKIP LOCKED).
struct DigitizationWorker: Service {
    let app: MotCua
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var worked = false
                do {
                    worked = try await app.documents.digitizeNext()
                } catch {
                    logger.warning("digitization failed: \(error)")
                }
                if !worked { try await Task.sleep(for: .seconds(2)) }
            }
        }
    }
}
