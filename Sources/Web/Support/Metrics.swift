// SPDX-License-Identifier: Apache-2.0
import Foundation
import Hummingbird
import Metrics
import Prometheus
import Services
import Storage

/// `/metrics` in Prometheus' text format: HTTP rates and latencies by route (Hummingbird's
/// `MetricsMiddleware` through swift-metrics), and, read from the database at each scrape, the
/// portal outbox's backlog and lag, the OCR queue, unsent text messages, and dossiers received
/// and ended per unit; with a standby (`DATABASE_READ_URL`), whether it is up, its lag, and where
/// the heavy reads went. `/readyz` answers 503 while the primary cannot be reached; a standby that
/// is down does not make an instance unready (its reads go to the primary) and is reported.
enum OperationsEndpoints {
    /// One registry for the process: swift-metrics is bootstrapped once, whatever the number of
    /// routers built (tests build many).
    static let registry = PrometheusCollectorRegistry()
    static let bootstrapped: Void = MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/readyz") { _, _ in
            do {
                _ = try await app.database.query("SELECT 1", [])
                var body: [String: String] = ["status": "ready", "database": app.database.dialect.rawValue]
                if let r = app.replica?.status {
                    body["standby"] = r.up && r.inRecovery ? "up" : r.up ? "not in recovery (promoted?): not read from" : "down: reads go to the primary"
                    if r.up, let lag = r.lagBytes { body["standbyLagBytes"] = String(lag) }
                }
                return try JSON.response(body)
            } catch {
                return try JSON.response(["status": "not ready", "reason": "the database cannot be reached"], status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { req, ctx in
            // For Prometheus with MOTCUA_METRICS_TOKEN as its bearer token, or an administrator.
            let token = req.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            let scraper = app.config.metricsToken.map { $0 == token } ?? false
            var admin = ctx.user?.actor.has(.admin) == true
            if !scraper, !admin, let token { admin = try await app.accounts.authenticate(token: token)?.actor.has(.admin) == true }
            guard scraper || admin else {
                throw Problem.unauthorized("metrics are for Prometheus (Authorization: Bearer <MOTCUA_METRICS_TOKEN>) and administrators")
            }
            try await update(app)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: registry.emitToString())))
        }
    }

    static func update(_ app: MotCua) async throws {
        let now = app.clock.now()
        let sync = try await PortalSyncStore.stats(at: now, on: app.database)
        registry.makeGauge(name: "motcua_portal_outbox_backlog", help: "Dossier changes not yet acknowledged by the national portal").set(Double(sync.pending + sync.failing))
        registry.makeGauge(name: "motcua_portal_outbox_parked", help: "Dossiers parked after repeated rejections").set(Double(sync.dead))
        registry.makeGauge(name: "motcua_portal_outbox_lag_seconds", help: "Age of the oldest change not yet acknowledged")
            .set(sync.oldestPendingSince.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        registry.makeGauge(name: "motcua_portal_delivered_last_hour", help: "Dossier versions the portal acknowledged in the last hour").set(Double(sync.deliveredLastHour))
        let q = try await OperationsStore.queues(on: app.database)
        registry.makeGauge(name: "motcua_ocr_queue", help: "Files waiting for OCR and quality control").set(Double(q.ocrWaiting))
        registry.makeGauge(name: "motcua_texts_unsent", help: "Text messages not sent yet").set(Double(q.textsUnsent))
        for (unit, n) in q.receivedByUnit {
            registry.makeGauge(name: "motcua_dossiers_received", labels: [("unit", unit)], help: "Dossiers received, by unit").set(Double(n))
        }
        for (unit, n) in q.endedByUnit {
            registry.makeGauge(name: "motcua_dossiers_ended", labels: [("unit", unit)], help: "Dossiers whose handling ended, by unit").set(Double(n))
        }
        if let r = app.replica?.status {
            registry.makeGauge(name: "motcua_standby_up", help: "1 while the standby answers and is in recovery").set(Double(r.up && r.inRecovery ? 1 : 0))
            registry.makeGauge(name: "motcua_standby_lag_bytes", help: "Bytes of the primary's log the standby has not replayed").set(Double(r.lagBytes ?? 0))
            registry.makeGauge(name: "motcua_standby_replay_age_seconds", help: "Since the last replayed transaction was committed (grows while the primary is idle)")
                .set(r.replayAgeSeconds ?? 0)
            registry.makeGauge(name: "motcua_heavy_reads", labels: [("served_by", "standby")], help: "Dashboard, report, search and list reads, by server").set(Double(r.readsOnStandby))
            registry.makeGauge(name: "motcua_heavy_reads", labels: [("served_by", "primary")], help: "Dashboard, report, search and list reads, by server").set(Double(r.readsOnPrimary))
        }
    }
}
