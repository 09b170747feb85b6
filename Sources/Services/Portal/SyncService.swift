// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// The state of delivery to the portal, for administrators.
public struct SyncStatus: Sendable {
    public let enabled: Bool
    /// Where MotCua sends (the adapter's URL), or why it does not.
    public let target: String
    public let stats: PortalSyncStats
    /// This month's dossiers (received, Vietnam time) and how many the portal confirmed in their
    /// current version: the figure indicator 1.4 will see.
    public let monthReceived: Int
    public let monthConfirmed: Int
    public let now: Date
}

/// What reconciliation found.
public struct ReconcileReport: Sendable, Codable, Equatable {
    public var checked = 0
    public var inSync = 0
    /// Different on the portal: re-queued.
    public var repaired = 0
    /// Not on the portal: re-queued as a create.
    public var missing = 0
    /// The look-up itself failed for these (portal error): try again later.
    public var failing = 0

    public init(checked: Int = 0, inSync: Int = 0, repaired: Int = 0, missing: Int = 0, failing: Int = 0) {
        self.checked = checked
        self.inSync = inSync
        self.repaired = repaired
        self.missing = missing
        self.failing = failing
    }
}

/// Administration of portal sync: status, parked dossiers, retry, reconciliation.
public struct SyncService: Sendable {
    let app: MotCua

    public var isEnabled: Bool { app.config.dvcqgURL != nil }

    /// A client for the configured adapter, or nil when sync is disabled.
    public func client() -> DVCQGClient? {
        guard let s = app.config.dvcqgURL, let url = URL(string: s) else { return nil }
        return DVCQGClient(DVCQGConfig(baseURL: url, username: app.config.dvcqgUsername, password: app.config.dvcqgPassword, madonvi: app.config.dvcqgUnit, timeout: app.config.dvcqgTimeoutSeconds))
    }

    func requireAdmin(_ actor: Actor) throws {
        guard actor.has(.admin) else { throw ServiceError.forbidden("portal sync is administered by administrators") }
    }

    public func status(by actor: Actor) async throws -> SyncStatus {
        try requireAdmin(actor)
        let now = app.clock.now()
        let today = VietnamTime.date(of: now)
        let monthStart = VietnamTime.instant(LocalDate(year: today.year, month: today.month, day: 1)!, minuteOfDay: 0)
        let share = try await PortalSyncStore.confirmedShare(from: monthStart, to: now.addingTimeInterval(1), on: app.database)
        return SyncStatus(
            enabled: isEnabled, target: app.config.dvcqgURL ?? "disabled: DVCQG_URL is not set", stats: try await PortalSyncStore.stats(at: now, on: app.database),
            monthReceived: share.received, monthConfirmed: share.confirmed, now: now)
    }

    public func parked(by actor: Actor, limit: Int = 200) async throws -> [PortalSyncRow] {
        try requireAdmin(actor)
        return try await PortalSyncStore.dead(limit: limit, on: app.database)
    }

    /// One click: a parked (or any) dossier is due again now, its attempts counted afresh.
    public func retry(code: String, by actor: Actor) async throws -> PortalSyncRow {
        try requireAdmin(actor)
        let now = app.clock.now()
        guard try await app.database.transaction({ tx in try await PortalSyncStore.requeue(code: code, at: now, on: tx) }),
            let row = try await PortalSyncStore.row(code: code, on: app.database)
        else { throw ServiceError.notFound(what: "dossier in portal sync", key: code) }
        return row
    }

    /// Compares, dossier by dossier, what MotCua would send now with what the portal returns
    /// (`TraCuuHoSo`), and re-queues what differs or is missing. `since` limits it to dossiers
    /// received from that instant.
    public func reconcile(since: Date?, progress: @Sendable (ReconcileReport) -> Void = { _ in }) async throws -> ReconcileReport {
        guard let client = client() else { throw ServiceError.invalid(field: "DVCQG_URL", message: "portal sync is disabled; set DVCQG_URL, DVCQG_USERNAME, DVCQG_PASSWORD and DVCQG_UNIT") }
        var report = ReconcileReport()
        var after = ""
        let from = since ?? Date(timeIntervalSince1970: 0)
        while true {
            let rows = try await app.database.query(
                "SELECT id, code FROM dossiers WHERE id > ? AND ((received_at IS NOT NULL AND received_at >= ?) OR (status = 3 AND submitted_at >= ?)) ORDER BY id LIMIT 50",
                [.text(after), from.sqlValue, from.sqlValue])
            guard let last = rows.last else { break }
            after = try last.require("id")
            let ids = rows.compactMap { $0.string("id") }
            var snaps: [PortalSnapshot] = []
            for id in ids { if let s = try await PortalSnapshot.load(dossierId: id, afterSeq: Int.max, app: app) { snaps.append(s) } }
            report.checked += snaps.count
            let answer: DVCQGAnswer
            do {
                answer = try await client.call(service: .traCuuHoSo, data: snaps.map { .object(["MaHoSo": .string($0.dossier.code)]) })
            } catch {
                report.failing += snaps.count
                progress(report)
                continue
            }
            let now = app.clock.now()
            for (i, s) in snaps.enumerated() {
                guard i < answer.results.count else { report.failing += 1; continue }
                let r = answer.results[i]
                switch r.outcome {
                case .ok:
                    let theirs = try? r.record?.decode(DongBoHoSoRecord.self)
                    if theirs?.fingerprint == s.record.fingerprint {
                        report.inSync += 1
                    } else {
                        report.repaired += 1
                        try await requeue(s.dossier, at: now)
                    }
                case .notFound:
                    report.missing += 1
                    try await requeue(s.dossier, at: now, onPortal: false)
                default:
                    report.failing += 1
                }
            }
            progress(report)
        }
        return report
    }

    func requeue(_ d: Dossier, at now: Date, onPortal: Bool? = nil) async throws {
        let app = self.app
        try await app.database.transaction { tx in
            // The portal lost it: no longer counted as synced (1.4) until it is sent again.
            if onPortal == false { try await IndexAggregates.lockDossier(d.id, on: tx) }
            try await PortalSyncStore.markChanged(dossierId: d.id, code: d.code, version: d.version, at: now, on: tx)
            try await PortalSyncStore.requeue(code: d.code, at: now, on: tx)
            if onPortal == false {
                try await PortalSyncStore.forget(dossierId: d.id, on: tx)
                try await IndexAggregates.refresh(dossierId: d.id, app: app, on: tx)
            }
        }
    }
}
