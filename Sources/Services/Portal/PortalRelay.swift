// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// What one relay round did.
public struct RelayRound: Sendable, Equatable {
    public var claimed = 0
    public var delivered = 0
    public var progressRows = 0
    public var failed = 0
    public var parked = 0
    public var skipped = 0
    /// The portal asked everyone to wait (HTTP 429 `Retry-After`) or is unreachable: the relay
    /// should not call again before this instant.
    public var pauseUntil: Date?

    public init() {}
}

/// Delivers dossiers to the national portal (DVCQG) per `specs/dvcqg-sync.md`.
///
/// Each round claims up to 50 due dossiers (a lease, `SKIP LOCKED` on PostgreSQL, so several
/// relays never send the same dossier at once), reads each one's **current** snapshot (a relay
/// that fell behind sends the latest once), creates or updates the records in one call each
/// ("đã tồn tại" on create → resend as update; "không tồn tại" on update → create), appends the
/// new progress rows in calls of 10, and records the outcome per dossier. Per-dossier order
/// holds because one relay at a time owns a dossier and always sends its newest version.
/// Failures back off exponentially with jitter, honouring `Retry-After`; a record the portal
/// rejects is parked (`dead`) after `maxAttempts` with the portal's message, for an
/// administrator to fix and retry. An unreachable portal is retried forever (capped backoff):
/// parking every dossier during an outage would only make work for people.
public struct PortalRelay: Sendable {
    let app: MotCua
    let client: DVCQGClient
    /// Identifies this relay's leases (host and process, so two instances never share one).
    public let owner: String
    public var maxAttempts = 8
    public var lease: TimeInterval = 300
    public var batch = 50

    public init(app: MotCua, client: DVCQGClient, owner: String = PortalRelay.defaultOwner()) {
        self.app = app
        self.client = client
        self.owner = owner
    }

    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    }

    /// Backoff before attempt `n + 1`: 10 s × 2ⁿ, at most an hour, with full jitter (50–100 %) so
    /// relays and dossiers spread out after an outage.
    static func backoff(attempts n: Int) -> TimeInterval {
        let base = min(3600, 10 * pow(2, Double(min(n, 12))))
        return base * Double.random(in: 0.5...1.0)
    }

    /// Runs one round. Returns what it did; `claimed == 0` means nothing was due.
    public func runOnce() async throws -> RelayRound {
        let now = app.clock.now()
        var round = RelayRound()
        let rows = try await app.database.transaction { tx in
            try await PortalSyncStore.claim(owner: owner, at: now, leaseUntil: now.addingTimeInterval(lease), limit: batch, on: tx)
        }
        round.claimed = rows.count
        guard !rows.isEmpty else { return round }
        var work: [(row: PortalSyncRow, snap: PortalSnapshot)] = []
        for r in rows {
            guard let snap = try await PortalSnapshot.load(dossierId: r.dossierId, afterSeq: r.progressSeq, app: app), PortalMapping.isSyncable(snap.dossier) else {
                try await app.database.transaction { tx in
                    try await PortalSyncStore.skip(dossierId: r.dossierId, reason: "not received yet: the portal needs NgayTiepNhan", owner: owner, at: now, on: tx)
                }
                round.skipped += 1
                continue
            }
            work.append((r, snap))
        }
        // Outcome per dossier id.
        var acked: [String: Int] = [:]
        var onPortal: [String: Bool] = [:]
        var failures: [String: (kind: String, message: String, rejected: Bool, retryAfter: TimeInterval?)] = [:]
        var creates = work.filter { !$0.row.onPortal }
        var updates = work.filter { $0.row.onPortal }
        // Create, then update; a dossier bounced by one goes to the other once.
        var movedToUpdate: [(row: PortalSyncRow, snap: PortalSnapshot)] = []
        var movedToCreate: [(row: PortalSyncRow, snap: PortalSnapshot)] = []
        func send(_ items: [(row: PortalSyncRow, snap: PortalSnapshot)], updating: Bool, mayBounce: Bool) async {
            guard !items.isEmpty else { return }
            do {
                let answer = try await client.call(
                    service: .dongBoHoSo, isUpdating: updating, data: try items.map { try JSONValue(encoding: $0.snap.record) })
                for (i, item) in items.enumerated() {
                    let id = item.row.dossierId
                    let result = i < answer.results.count ? answer.results[i] : nil
                    switch result?.outcome {
                    case .ok?:
                        acked[id] = item.snap.dossier.version
                        onPortal[id] = true
                    case .alreadyExists? where mayBounce && !updating:
                        onPortal[id] = true
                        movedToUpdate.append(item)
                    case .notFound? where mayBounce && updating:
                        onPortal[id] = false
                        movedToCreate.append(item)
                    case let outcome?:
                        failures[id] = ("rejected", result.map { "\($0.errorCode): \($0.message)" } ?? "\(outcome)", true, nil)
                    case nil:
                        failures[id] = ("malformed", "the portal answered \(answer.results.count) results for \(items.count) records", false, nil)
                    }
                }
            } catch {
                for item in items { failures[item.row.dossierId] = Self.classify(error) }
            }
        }
        await send(creates, updating: false, mayBounce: true)
        await send(updates, updating: true, mayBounce: true)
        creates = movedToCreate
        updates = movedToUpdate
        await send(updates, updating: true, mayBounce: false)
        await send(creates, updating: false, mayBounce: false)
        // Progress rows for the dossiers whose record the portal now holds.
        var progressSeq: [String: Int] = [:]
        for item in work where acked[item.row.dossierId] != nil && !item.snap.progress.isEmpty {
            let id = item.row.dossierId
            for chunk in stride(from: 0, to: item.snap.progress.count, by: DVCQGService.capNhatTienDo.limit).map({
                Array(item.snap.progress[$0..<min($0 + DVCQGService.capNhatTienDo.limit, item.snap.progress.count)])
            }) {
                do {
                    let answer = try await client.call(service: .capNhatTienDo, data: try chunk.map { try JSONValue(encoding: $0.row) })
                    // Rows are appended in order: delivered up to the first one refused.
                    var last: Int?
                    for (i, r) in chunk.enumerated() {
                        guard i < answer.results.count, answer.results[i].isSuccess else {
                            let m = i < answer.results.count ? "\(answer.results[i].errorCode): \(answer.results[i].message)" : "no result"
                            failures[id] = ("progress-rejected", m, true, nil)
                            break
                        }
                        last = r.seq
                        round.progressRows += 1
                    }
                    if let last { progressSeq[id] = last }
                    if failures[id] != nil { break }
                } catch {
                    failures[id] = Self.classify(error)
                    break
                }
            }
        }
        // Record every outcome; one transaction per dossier keeps a failure from undoing others.
        var pause: TimeInterval = 0
        for item in work {
            let id = item.row.dossierId
            let code = item.snap.dossier.code
            let version = item.snap.dossier.version
            let failure = failures[id]
            let attempts = item.row.attempts + 1
            let dead = failure?.rejected == true && attempts >= maxAttempts
            let wait = max(Self.backoff(attempts: item.row.attempts), failure?.retryAfter ?? 0)
            if let f = failure, f.retryAfter != nil || !f.rejected { pause = max(pause, f.retryAfter ?? 0) }
            let (ackedVersion, held, seq) = (acked[id], onPortal[id], progressSeq[id])
            try await app.database.transaction { tx in
                try await PortalSyncStore.delivered(dossierId: id, ackedVersion: ackedVersion, onPortal: held, progressSeq: seq, on: tx)
                if let f = failure {
                    try await PortalSyncStore.failed(
                        dossierId: id, kind: f.kind, message: f.message, retryAt: now.addingTimeInterval(wait), dead: dead, countAttempt: true,
                        owner: owner, at: now, on: tx)
                } else {
                    try await PortalSyncStore.complete(dossierId: id, owner: owner, at: now, on: tx)
                }
                try await PortalSyncStore.log(
                    id: TimeOrderedID.make(at: now), at: now, code: code, service: DVCQGService.dongBoHoSo.rawValue, version: version,
                    outcome: ackedVersion != nil && failure == nil ? "ok" : (dead ? "parked" : "failed"), kind: failure?.kind, message: failure?.message,
                    on: tx)
            }
            if failure == nil { round.delivered += 1 } else if dead { round.parked += 1 } else { round.failed += 1 }
        }
        if pause > 0 { round.pauseUntil = now.addingTimeInterval(pause) }
        return round
    }

    /// A whole-call failure: its kind for the dashboard, and whether the portal asked to wait.
    static func classify(_ error: any Error) -> (kind: String, message: String, rejected: Bool, retryAfter: TimeInterval?) {
        guard let e = error as? DVCQGError else { return ("transport", "\(error)", false, nil) }
        switch e {
        case .transport: return ("transport", e.description, false, nil)
        case .timeout: return ("timeout", e.description, false, nil)
        case .http(429, let after): return ("rate-limited", e.description, false, after ?? 30)
        case .http(let s, let after): return ("http-\(s)", e.description, false, after)
        case .envelope: return ("refused", e.description, false, nil)
        case .badCredentials: return ("bad-credentials", e.description, false, 300)
        case .malformed: return ("malformed", e.description, false, nil)
        }
    }
}
