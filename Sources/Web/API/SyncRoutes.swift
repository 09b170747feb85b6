// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services
import Storage

struct SyncStatusDTO: Encodable {
    let enabled: Bool
    let target: String
    let pending: Int
    let failing: Int
    let parked: Int
    let inSync: Int
    let skipped: Int
    /// The oldest change not yet on the portal, and how long ago (seconds).
    let oldestPendingSince: String?
    let lagSeconds: Int?
    let deliveredLastHour: Int
    let failuresLast24hByKind: [String: Int]
    let monthReceived: Int
    let monthConfirmedOnPortal: Int
    let monthConfirmedShare: Double?

    init(_ s: SyncStatus) {
        enabled = s.enabled
        target = s.target
        pending = s.stats.pending
        failing = s.stats.failing
        parked = s.stats.dead
        inSync = s.stats.inSync
        skipped = s.stats.skipped
        oldestPendingSince = s.stats.oldestPendingSince.map(SharedFormat.iso)
        lagSeconds = s.stats.oldestPendingSince.map { max(0, Int(s.now.timeIntervalSince($0))) }
        deliveredLastHour = s.stats.deliveredLastHour
        failuresLast24hByKind = s.stats.failuresByKind
        monthReceived = s.monthReceived
        monthConfirmedOnPortal = s.monthConfirmed
        monthConfirmedShare = s.monthReceived == 0 ? nil : Double(s.monthConfirmed) / Double(s.monthReceived)
    }
}

struct SyncRowDTO: Encodable {
    let dossierCode: String
    let state: String
    let wantedVersion: Int
    let ackedVersion: Int
    let onPortal: Bool
    let attempts: Int
    let nextAttemptAt: String
    let lastError: String?
    let lastErrorKind: String?
    let updatedAt: String

    init(_ r: PortalSyncRow) {
        dossierCode = r.dossierCode
        state = r.state
        wantedVersion = r.wantedVersion
        ackedVersion = r.ackedVersion
        onPortal = r.onPortal
        attempts = r.attempts
        nextAttemptAt = SharedFormat.iso(r.nextAttemptAt)
        lastError = r.lastError
        lastErrorKind = r.lastErrorKind
        updatedAt = SharedFormat.iso(r.updatedAt)
    }
}

/// Administration of portal sync: status, parked dossiers with the portal's message, retry,
/// reconciliation.
enum SyncRoutes {
    struct ReconcileBody: Decodable {
        let since: String?
    }

    static func register(_ on: On, app: MotCua) {
        on(.get, "/api/v1/admin/sync") { _, ctx in
            try JSON.response(SyncStatusDTO(try await app.sync.status(by: try ctx.requireActor())))
        }
        on(.get, "/api/v1/admin/sync/parked") { _, ctx in
            let rows = try await app.sync.parked(by: try ctx.requireActor())
            return try JSON.response(PageDTO(items: rows.map(SyncRowDTO.init), nextCursor: nil))
        }
        on(.post, "/api/v1/admin/sync/dossiers/{code}/retry") { _, ctx in
            try JSON.response(SyncRowDTO(try await app.sync.retry(code: try ctx.path("code"), by: try ctx.requireActor())))
        }
        on(.post, "/api/v1/admin/sync/reconcile") { req, ctx in
            let actor = try ctx.requireActor()
            guard actor.has(.admin) else { throw Problem.from(.forbidden("portal sync is administered by administrators")) }
            let body = try await JSON.decode(ReconcileBody.self, from: req, context: ctx)
            var since: Date?
            if let s = body.since {
                guard let day = LocalDate(iso: s) else { throw Problem.invalid("since", "give a day as YYYY-MM-DD") }
                since = VietnamTime.instant(day, minuteOfDay: 0)
            }
            return try JSON.response(try await app.sync.reconcile(since: since))
        }
    }
}
