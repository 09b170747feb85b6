// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

/// A dossier's delivery state towards the national portal.
public struct PortalSyncRow: Sendable, Hashable {
    public let dossierId: String
    public let dossierCode: String
    /// pending (due now or backing off after failures), in-sync, dead (parked for a person), skipped (nothing to send yet).
    public let state: String
    public let wantedVersion: Int
    public let ackedVersion: Int
    public let onPortal: Bool
    public let progressSeq: Int
    /// A progress call failed without a verdict (timeout, 5xx): its rows may or may not be on the
    /// portal, so the next round reads the portal's steps before sending any.
    public let progressUncertain: Bool
    public let attempts: Int
    public let nextAttemptAt: Date
    public let pendingSince: Date?
    public let ackedAt: Date?
    public let lastError: String?
    public let lastErrorKind: String?
    public let updatedAt: Date
    /// The HTTP request that made the change waiting to be sent (nil for background work).
    public let requestId: String?

    init(_ r: Row) throws {
        dossierId = try r.require("dossier_id")
        dossierCode = try r.require("dossier_code")
        state = try r.require("state")
        wantedVersion = r.int("wanted_version") ?? 0
        ackedVersion = r.int("acked_version") ?? 0
        onPortal = r.bool("on_portal")
        progressSeq = r.int("progress_seq") ?? 0
        progressUncertain = r.bool("progress_uncertain")
        attempts = r.int("attempts") ?? 0
        nextAttemptAt = r.date("next_attempt_at") ?? Date(timeIntervalSince1970: 0)
        pendingSince = r.date("pending_since")
        ackedAt = r.date("acked_at")
        lastError = r.string("last_error")
        lastErrorKind = r.string("last_error_kind")
        updatedAt = r.date("updated_at") ?? Date(timeIntervalSince1970: 0)
        requestId = r.string("request_id")
    }
}

/// Figures for the administrators' sync page.
public struct PortalSyncStats: Sendable {
    public var pending = 0
    public var failing = 0
    public var dead = 0
    public var inSync = 0
    public var skipped = 0
    /// The oldest change not yet acknowledged by the portal.
    public var oldestPendingSince: Date?
    public var deliveredLastHour = 0
    /// Failed deliveries in the last 24 hours by kind (transport, http-5xx, rate-limited, rejected, …).
    public var failuresByKind: [String: Int] = [:]
}

/// `portal_sync` and its delivery log in SQL.
public enum PortalSyncStore {
    /// Records, in a dossier change's transaction, that the portal must receive `version`.
    /// A dossier backing off keeps its schedule (no hammering a failing portal); a parked or
    /// synced one is due at once, its attempts counted afresh. The request being served, if any,
    /// is kept with it (``RequestTrace``).
    public static func markChanged(dossierId: String, code: String, version: Int, at now: Date, on tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            INSERT INTO portal_sync (dossier_id, dossier_code, state, wanted_version, next_attempt_at, pending_since, updated_at, request_id)
            VALUES (?, ?, 'pending', ?, ?, ?, ?, ?)
            ON CONFLICT (dossier_id) DO UPDATE SET
              wanted_version = excluded.wanted_version,
              request_id = excluded.request_id,
              attempts = CASE WHEN portal_sync.state = 'pending' THEN portal_sync.attempts ELSE 0 END,
              next_attempt_at = CASE WHEN portal_sync.state = 'pending' THEN portal_sync.next_attempt_at ELSE excluded.next_attempt_at END,
              pending_since = COALESCE(portal_sync.pending_since, excluded.pending_since),
              state = 'pending',
              updated_at = excluded.updated_at
            """,
            [dossierId.sqlValue, code.sqlValue, version.sqlValue, now.sqlValue, now.sqlValue, now.sqlValue, RequestTrace.id.sqlValue])
    }

    /// Bulk loads (benchmarks): these dossiers are on the portal at their current version.
    public static func insertDelivered(_ ds: [Dossier], on tx: any SQLExecutor) async throws {
        for start in stride(from: 0, to: ds.count, by: 500) {
            let part = ds[start..<min(start + 500, ds.count)]
            let rows = Array(repeating: "(?, ?, 'in-sync', ?, ?, 1, ?, ?, ?)", count: part.count).joined(separator: ", ")
            try await tx.query(
                "INSERT INTO portal_sync (dossier_id, dossier_code, state, wanted_version, acked_version, on_portal, next_attempt_at, acked_at, updated_at) VALUES \(rows)",
                part.flatMap { d in
                    [d.id.sqlValue, d.code.sqlValue, d.version.sqlValue, d.version.sqlValue, d.updatedAt.sqlValue, d.updatedAt.sqlValue, d.updatedAt.sqlValue]
                })
        }
    }

    /// Makes a dossier due now whatever its state (reconciliation found a difference; an
    /// administrator retries a dead letter).
    @discardableResult
    public static func requeue(code: String, at now: Date, on tx: any SQLExecutor) async throws -> Bool {
        let rows = try await tx.query(
            """
            UPDATE portal_sync SET state = 'pending', attempts = 0, next_attempt_at = ?, pending_since = COALESCE(pending_since, ?),
              last_error = NULL, last_error_kind = NULL, updated_at = ? WHERE dossier_code = ? RETURNING dossier_id
            """,
            [now.sqlValue, now.sqlValue, now.sqlValue, code.sqlValue])
        return !rows.isEmpty
    }

    /// Takes up to `limit` due dossiers for one relay, leased until `leaseUntil`. On PostgreSQL
    /// `SKIP LOCKED` lets any number of relays claim disjoint sets; on SQLite one relay runs.
    public static func claim(owner: String, at now: Date, leaseUntil: Date, limit: Int, on tx: any SQLExecutor) async throws -> [PortalSyncRow] {
        let lock = tx.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let ids = try await tx.query(
            """
            SELECT dossier_id FROM portal_sync WHERE state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
            ORDER BY next_attempt_at, dossier_id LIMIT ?\(lock)
            """,
            [now.sqlValue, now.sqlValue, limit.sqlValue]
        ).compactMap { $0.string("dossier_id") }
        guard !ids.isEmpty else { return [] }
        let marks = ids.map { _ in "?" }.joined(separator: ", ")
        return try await tx.query(
            "UPDATE portal_sync SET lease_owner = ?, lease_until = ? WHERE dossier_id IN (\(marks)) RETURNING *",
            [owner.sqlValue, leaseUntil.sqlValue] + ids.map(\.sqlValue)
        ).map(PortalSyncRow.init).sorted { $0.nextAttemptAt < $1.nextAttemptAt }
    }

    /// One dossier to probe a portal that was down: one backing off after a failure of one of
    /// `kinds` (calls the portal refused without applying them), when no call has failed so
    /// for `quietFor` (across all relays, from the delivery log). Its answer tells the relay whether
    /// the portal is back (``wake(kinds:at:on:)``).
    public static func claimProbe(
        kinds: [String], quietFor: TimeInterval, owner: String, at now: Date, leaseUntil: Date, on tx: any SQLExecutor
    ) async throws -> [PortalSyncRow] {
        let marks = kinds.map { _ in "?" }.joined(separator: ", ")
        let recent = try await tx.query(
            "SELECT id FROM portal_sync_log WHERE at > ? AND kind IN (\(marks)) LIMIT 1", [now.addingTimeInterval(-quietFor).sqlValue] + kinds.map(\.sqlValue))
        guard recent.isEmpty else { return [] }
        let lock = tx.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let ids = try await tx.query(
            """
            SELECT dossier_id FROM portal_sync WHERE state = 'pending' AND next_attempt_at > ? AND last_error_kind IN (\(marks))
              AND (lease_until IS NULL OR lease_until < ?)
            ORDER BY next_attempt_at, dossier_id LIMIT 1\(lock)
            """,
            [now.sqlValue] + kinds.map(\.sqlValue) + [now.sqlValue]
        ).compactMap { $0.string("dossier_id") }
        guard let id = ids.first else { return [] }
        return try await tx.query(
            "UPDATE portal_sync SET lease_owner = ?, lease_until = ? WHERE dossier_id = ? RETURNING *", [owner.sqlValue, leaseUntil.sqlValue, id.sqlValue]
        ).map(PortalSyncRow.init)
    }

    /// The portal answered again: every dossier backing off after a failure of one of `kinds`
    /// is due now instead of at the end of its (up to minutes long) backoff. Returns how many.
    @discardableResult
    public static func wake(kinds: [String], at now: Date, on tx: any SQLExecutor) async throws -> Int {
        let marks = kinds.map { _ in "?" }.joined(separator: ", ")
        return try await tx.query(
            "UPDATE portal_sync SET next_attempt_at = ? WHERE state = 'pending' AND last_error_kind IN (\(marks)) AND next_attempt_at > ? RETURNING dossier_id",
            [now.sqlValue] + kinds.map(\.sqlValue) + [now.sqlValue]
        ).count
    }

    /// Records what the portal now holds (record version, progress rows); the lease is kept.
    /// Written only while `owner` holds the lease: a relay that lost it says nothing, and the
    /// next owner relies on the write-ahead doubt instead of stale knowledge.
    public static func delivered(dossierId: String, ackedVersion: Int?, onPortal: Bool?, progressSeq: Int?, owner: String, on tx: any SQLExecutor) async throws {
        if let v = ackedVersion {
            try await tx.query(
                "UPDATE portal_sync SET acked_version = CASE WHEN acked_version > ? THEN acked_version ELSE ? END, on_portal = 1 WHERE dossier_id = ? AND lease_owner = ?",
                [v.sqlValue, v.sqlValue, dossierId.sqlValue, owner.sqlValue])
        }
        if let on = onPortal {
            try await tx.query(
                "UPDATE portal_sync SET on_portal = ? WHERE dossier_id = ? AND lease_owner = ?", [(on ? 1 : 0).sqlValue, dossierId.sqlValue, owner.sqlValue])
        }
        if let seq = progressSeq {
            try await tx.query(
                "UPDATE portal_sync SET progress_seq = CASE WHEN progress_seq > ? THEN progress_seq ELSE ? END WHERE dossier_id = ? AND lease_owner = ?",
                [seq.sqlValue, seq.sqlValue, dossierId.sqlValue, owner.sqlValue])
        }
    }

    /// Marks (or clears) the doubt about the last progress call, while holding the lease.
    public static func progressUncertain(dossierId: String, _ value: Bool, owner: String, on tx: any SQLExecutor) async throws {
        try await tx.query(
            "UPDATE portal_sync SET progress_uncertain = ? WHERE dossier_id = ? AND lease_owner = ?", [(value ? 1 : 0).sqlValue, dossierId.sqlValue, owner.sqlValue])
    }

    /// Ends a successful round for a dossier: in sync, unless a newer change arrived meanwhile
    /// (then due again at once). Ignored when the lease was lost to another relay.
    public static func complete(dossierId: String, owner: String, at now: Date, on tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            UPDATE portal_sync SET
              state = CASE WHEN wanted_version > acked_version THEN 'pending' ELSE 'in-sync' END,
              pending_since = CASE WHEN wanted_version > acked_version THEN pending_since ELSE NULL END,
              attempts = 0, last_error = NULL, last_error_kind = NULL, next_attempt_at = ?, acked_at = ?, updated_at = ?,
              lease_owner = NULL, lease_until = NULL
            WHERE dossier_id = ? AND lease_owner = ?
            """,
            [now.sqlValue, now.sqlValue, now.sqlValue, dossierId.sqlValue, owner.sqlValue])
    }

    /// The portal does not hold the dossier (reconciliation): create it again, with every progress row.
    public static func forget(dossierId: String, on tx: any SQLExecutor) async throws {
        try await tx.query(
            "UPDATE portal_sync SET on_portal = 0, progress_seq = 0, progress_uncertain = 0, acked_version = 0 WHERE dossier_id = ?", [dossierId.sqlValue])
    }

    /// A delivery failed: retried at `retryAt`, or parked (`dead`) for a person with the portal's message.
    public static func failed(
        dossierId: String, kind: String, message: String, retryAt: Date, dead: Bool, countAttempt: Bool, owner: String, at now: Date,
        on tx: any SQLExecutor
    ) async throws {
        try await tx.query(
            """
            UPDATE portal_sync SET state = ?, attempts = attempts + ?, next_attempt_at = ?, last_error = ?, last_error_kind = ?,
              updated_at = ?, lease_owner = NULL, lease_until = NULL
            WHERE dossier_id = ? AND lease_owner = ?
            """,
            [(dead ? "dead" : "pending").sqlValue, (countAttempt ? 1 : 0).sqlValue, retryAt.sqlValue, String(message.prefix(1000)).sqlValue,
             kind.sqlValue, now.sqlValue, dossierId.sqlValue, owner.sqlValue])
    }

    /// Nothing to send yet (e.g. an online dossier not yet received) as of `version`; the next
    /// change makes it due. A change that arrived meanwhile keeps it due (never skipped past).
    public static func skip(dossierId: String, version: Int, reason: String, owner: String, at now: Date, on tx: any SQLExecutor) async throws {
        try await tx.query(
            """
            UPDATE portal_sync SET state = CASE WHEN wanted_version > ? THEN 'pending' ELSE 'skipped' END,
              pending_since = CASE WHEN wanted_version > ? THEN pending_since ELSE NULL END,
              last_error = ?, last_error_kind = 'not-syncable', updated_at = ?, next_attempt_at = ?,
              lease_owner = NULL, lease_until = NULL WHERE dossier_id = ? AND lease_owner = ?
            """,
            [version.sqlValue, version.sqlValue, reason.sqlValue, now.sqlValue, now.sqlValue, dossierId.sqlValue, owner.sqlValue])
    }

    public static func log(
        id: String, at now: Date, code: String, service: String, version: Int, outcome: String, kind: String?, message: String?,
        requestId: String?, on tx: any SQLExecutor
    ) async throws {
        try await tx.query(
            "INSERT INTO portal_sync_log (id, at, dossier_code, service, version, outcome, kind, message, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [id.sqlValue, now.sqlValue, code.sqlValue, service.sqlValue, version.sqlValue, outcome.sqlValue, kind.sqlValue,
             message.map { String($0.prefix(500)) }.sqlValue, requestId.sqlValue])
    }

    public static func row(code: String, on db: any SQLExecutor) async throws -> PortalSyncRow? {
        try await db.first("SELECT * FROM portal_sync WHERE dossier_code = ?", code).map(PortalSyncRow.init)
    }

    /// Parked dossiers, oldest first.
    public static func dead(limit: Int, on db: any SQLExecutor) async throws -> [PortalSyncRow] {
        try await db.query("SELECT * FROM portal_sync WHERE state = 'dead' ORDER BY updated_at, dossier_id LIMIT ?", [limit.sqlValue]).map(PortalSyncRow.init)
    }

    public static func stats(at now: Date, on db: any SQLExecutor) async throws -> PortalSyncStats {
        var s = PortalSyncStats()
        for r in try await db.query(
            "SELECT state, CASE WHEN attempts > 0 THEN 1 ELSE 0 END AS failing, COUNT(*) AS n, MIN(pending_since) AS oldest FROM portal_sync GROUP BY state, CASE WHEN attempts > 0 THEN 1 ELSE 0 END",
            [])
        {
            let n = r.int("n") ?? 0
            switch r.string("state") {
            case "pending"?:
                if r.int("failing") == 1 { s.failing += n } else { s.pending += n }
                if let o = r.date("oldest"), s.oldestPendingSince == nil || o < s.oldestPendingSince! { s.oldestPendingSince = o }
            case "dead"?: s.dead += n
            case "in-sync"?: s.inSync += n
            case "skipped"?: s.skipped += n
            default: break
            }
        }
        s.deliveredLastHour = try await db.first(
            "SELECT COUNT(*) AS n FROM portal_sync_log WHERE at >= ? AND outcome = 'ok' AND service = 'DongBoHoSoMC'", now.addingTimeInterval(-3600))?.int("n") ?? 0
        for r in try await db.query(
            "SELECT kind, COUNT(*) AS n FROM portal_sync_log WHERE at >= ? AND outcome <> 'ok' GROUP BY kind", [now.addingTimeInterval(-86400).sqlValue])
        {
            s.failuresByKind[r.string("kind") ?? "unknown"] = r.int("n") ?? 0
        }
        return s
    }

    /// Of the dossiers received in [from, to): how many, and how many the portal confirmed in
    /// their current version (what indicator 1.4 will count).
    public static func confirmedShare(from: Date, to: Date, on db: any SQLExecutor) async throws -> (received: Int, confirmed: Int) {
        let r = try await db.first(
            """
            SELECT COUNT(*) AS n, SUM(CASE WHEN s.state = 'in-sync' AND s.acked_version >= d.version THEN 1 ELSE 0 END) AS ok
            FROM dossiers d LEFT JOIN portal_sync s ON s.dossier_id = d.id WHERE d.received_at >= ? AND d.received_at < ?
            """,
            from, to)
        return (r?.int("n") ?? 0, r?.int("ok") ?? 0)
    }
}
