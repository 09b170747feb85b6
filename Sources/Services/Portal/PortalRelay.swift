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
    /// Dossiers made due again because the portal answered after an outage.
    public var woken = 0
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
    /// How long a call that timed out may still be applied by the portal. [R] The contract sets no
    /// bound; adapters drop requests after a few minutes. (`DVCQG_INFLIGHT_SECONDS`)
    public var inflightAllowance: TimeInterval = 120
    /// Backoff before attempt n + 1: `backoffBase` × 2ⁿ, at most `backoffCap`, with jitter.
    public var backoffBase: TimeInterval = 10
    public var backoffCap: TimeInterval = 300
    /// While dossiers back off because the portal was down (unreachable, 503), an idle relay
    /// sends one of them this often to learn whether it is back; the first answer from the portal
    /// makes all of them due at once, so catching up after an outage does not wait out backoffs.
    public var probeInterval: TimeInterval = 15
    /// Failures that mean the portal did not take the call at all (safe to resend at once).
    public static let outageKinds = ["unreachable", "http-503"]

    public init(app: MotCua, client: DVCQGClient, owner: String = PortalRelay.defaultOwner()) {
        self.app = app
        self.client = client
        self.owner = owner
    }

    /// A relay paced as the configuration says (``AppConfig/relay``, the in-flight allowance).
    public init(configuredBy app: MotCua, client: DVCQGClient, owner: String = PortalRelay.defaultOwner()) {
        self.init(app: app, client: client, owner: owner)
        let tuning = app.config.relay
        lease = tuning.leaseSeconds
        backoffBase = tuning.backoffBaseSeconds
        backoffCap = tuning.backoffCapSeconds
        maxAttempts = tuning.maxAttempts
        inflightAllowance = app.config.dvcqgInflightSeconds
    }

    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    }

    /// Backoff before attempt `n + 1`: base × 2ⁿ, capped, with jitter (50–100 %) so relays and
    /// dossiers spread out after an outage.
    func backoff(attempts n: Int) -> TimeInterval {
        min(backoffCap, backoffBase * pow(2, Double(min(n, 20)))) * Double.random(in: 0.5...1.0)
    }

    /// What ``run(idlePoll:report:)`` tells its caller after each round.
    public enum Event: Sendable {
        case round(RelayRound)
        case error(any Error)
    }

    /// Rounds back to back while there is work, a poll every `idlePoll` seconds when idle, a
    /// pause when the portal asks for one (429/503 `Retry-After`), 10 s after a round that
    /// failed as a whole (the database, say); until the task is cancelled.
    public func run(idlePoll: TimeInterval = 2, report: @Sendable (Event) -> Void = { _ in }) async throws {
        while !Task.isCancelled {
            var wait = idlePoll
            do {
                let round = try await runOnce()
                report(.round(round))
                if round.claimed > 0 { wait = 0 }
                if let until = round.pauseUntil { wait = max(wait, until.timeIntervalSince(app.clock.now())) }
            } catch {
                report(.error(error))
                wait = 10
            }
            if wait > 0 { try await Task.sleep(for: .seconds(min(wait, 300))) }
        }
    }

    /// Runs one round. Returns what it did; `claimed == 0` means nothing was due.
    public func runOnce() async throws -> RelayRound {
        let now = app.clock.now()
        var round = RelayRound()
        let rows = try await app.database.transaction { tx in
            let due = try await PortalSyncStore.claim(owner: owner, at: now, leaseUntil: now.addingTimeInterval(lease), limit: batch, on: tx)
            guard due.isEmpty else { return due }
            return try await PortalSyncStore.claimProbe(
                kinds: Self.outageKinds, quietFor: probeInterval, owner: owner, at: now, leaseUntil: now.addingTimeInterval(lease), on: tx)
        }
        round.claimed = rows.count
        guard !rows.isEmpty else { return round }
        var work: [(row: PortalSyncRow, snap: PortalSnapshot)] = []
        for r in rows {
            let loaded = try await PortalSnapshot.load(dossierId: r.dossierId, afterSeq: r.progressSeq, app: app)
            guard let snap = loaded, PortalMapping.isSyncable(snap.dossier) else {
                let seen = loaded?.dossier.version ?? r.wantedVersion
                try await app.database.transaction { tx in
                    try await PortalSyncStore.skip(
                        dossierId: r.dossierId, version: seen, reason: "not received yet: the portal needs NgayTiepNhan", owner: owner, at: now, on: tx)
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
        var portalAnswered = false
        var creates = work.filter { !$0.row.onPortal }
        var updates = work.filter { $0.row.onPortal }
        // Create, then update; a dossier bounced by one goes to the other once.
        var movedToUpdate: [(row: PortalSyncRow, snap: PortalSnapshot)] = []
        var movedToCreate: [(row: PortalSyncRow, snap: PortalSnapshot)] = []
        // Another relay may take these dossiers when the lease ends; a call sent now may be
        // applied up to the in-flight allowance later. So sending stops early enough that every
        // call of this round has landed or expired before the lease does (what is left waits for
        // the lease to expire): an older snapshot never follows a newer one.
        let sendWindow = min(lease / 2, lease - inflightAllowance - client.config.timeout)
        let sendUntil = now.addingTimeInterval(max(0, sendWindow))
        func leaseHeld(_ ids: [String]) -> Bool {
            guard app.clock.now() < sendUntil else {
                for id in ids where failures[id] == nil { failures[id] = ("lease", "the round outlived half its lease; retried by the next owner", false, nil) }
                return false
            }
            return true
        }
        func send(_ items: [(row: PortalSyncRow, snap: PortalSnapshot)], updating: Bool, mayBounce: Bool) async {
            guard !items.isEmpty, leaseHeld(items.map(\.row.dossierId)) else { return }
            do {
                let answer = try await RequestTrace.$id.withValue(Self.trace(items.map(\.row.requestId))) {
                    try await client.call(service: .dongBoHoSo, isUpdating: updating, data: try items.map { try JSONValue(encoding: $0.snap.record) })
                }
                portalAnswered = true
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
        // Progress rows for the dossiers whose record the portal now holds. Rows are appended
        // with no idempotency key, so after a progress call without a verdict the portal's own
        // list of steps decides what is already there (never a duplicate step).
        var progressSeq: [String: Int] = [:]
        var uncertain: [String: Bool] = [:]
        var ready = work.filter { acked[$0.row.dossierId] != nil && failures[$0.row.dossierId] == nil }
        let doubtful = ready.filter(\.row.progressUncertain)
        if !doubtful.isEmpty, leaseHeld(doubtful.map(\.row.dossierId)) {
            do {
                let answer = try await RequestTrace.$id.withValue(Self.trace(doubtful.map(\.row.requestId))) {
                    try await client.call(service: .traCuuHoSo, data: doubtful.map { .object(["MaHoSo": .string($0.snap.dossier.code)]) })
                }
                portalAnswered = true
                for (i, item) in doubtful.enumerated() {
                    let id = item.row.dossierId
                    guard i < answer.results.count, answer.results[i].isSuccess else { continue }
                    if case .array(let steps)? = answer.results[i].raw["QuaTrinhXuLy"] {
                        // Every event is one step, seq 1, 2, …: n steps held = events up to seq n.
                        progressSeq[id] = max(item.row.progressSeq, steps.count)
                    }
                    uncertain[id] = false
                }
            } catch {
                for item in doubtful { failures[item.row.dossierId] = Self.classify(error) }
            }
            ready = ready.filter { failures[$0.row.dossierId] == nil }
        }
        // Write-ahead doubt: a relay killed during these calls leaves the dossiers marked, so its
        // successor reads the portal's steps instead of sending rows that may be there already.
        let sending = ready.filter { item in item.snap.progress.contains { $0.seq > (progressSeq[item.row.dossierId] ?? item.row.progressSeq) } }
        if !sending.isEmpty {
            try await app.database.transaction { tx in
                for item in sending { try await PortalSyncStore.progressUncertain(dossierId: item.row.dossierId, true, owner: owner, on: tx) }
            }
            for item in sending { uncertain[item.row.dossierId] = false }
        }
        // One queue of rows, each dossier's in event order, sent 10 per call across dossiers;
        // calls are sequential, so a dossier's rows reach the portal in order, and a dossier
        // whose row fails sends nothing more this round.
        var queue: [(id: String, seq: Int, row: TienDoRecord)] = []
        let requestIds = Dictionary(work.map { ($0.row.dossierId, $0.row.requestId) }, uniquingKeysWith: { a, _ in a })
        for item in ready {
            let after = progressSeq[item.row.dossierId] ?? item.row.progressSeq
            queue += item.snap.progress.filter { $0.seq > after }.map { (item.row.dossierId, $0.seq, $0.row) }
        }
        var next = 0
        while next < queue.count {
            var chunk: [(id: String, seq: Int, row: TienDoRecord)] = []
            while next < queue.count, chunk.count < DVCQGService.capNhatTienDo.limit {
                if failures[queue[next].id] == nil { chunk.append(queue[next]) }
                next += 1
            }
            guard !chunk.isEmpty else { break }
            guard leaseHeld(Array(Set(chunk.map(\.id)))) else { continue }
            do {
                let answer = try await RequestTrace.$id.withValue(Self.trace(chunk.map { requestIds[$0.id] ?? nil })) {
                    try await client.call(service: .capNhatTienDo, data: try chunk.map { try JSONValue(encoding: $0.row) })
                }
                portalAnswered = true
                for (i, r) in chunk.enumerated() where failures[r.id] == nil {
                    guard i < answer.results.count, answer.results[i].isSuccess else {
                        let m = i < answer.results.count ? "\(answer.results[i].errorCode): \(answer.results[i].message)" : "no result"
                        failures[r.id] = ("progress-rejected", m, true, nil)
                        continue
                    }
                    progressSeq[r.id] = r.seq
                    round.progressRows += 1
                }
            } catch {
                for id in Set(chunk.map(\.id)) {
                    failures[id] = Self.classify(error)
                    if Self.mayHaveBeenApplied(error) { uncertain[id] = true }
                }
            }
        }
        // Record every outcome; one transaction per dossier keeps a failure from undoing others.
        // Waits count from now, after the round's last call, not from its start: a call sent late
        // in a long round that timed out may land up to the in-flight allowance after it was sent,
        // and the dossier (its lease released here) must not be read back or resent before that.
        let recordedAt = app.clock.now()
        var pause: TimeInterval = 0
        for item in work {
            let id = item.row.dossierId
            let code = item.snap.dossier.code
            let version = item.snap.dossier.version
            let failure = failures[id]
            let attempts = item.row.attempts + 1
            let dead = failure?.rejected == true && attempts >= maxAttempts
            let wait = max(backoff(attempts: item.row.attempts), failure?.retryAfter ?? 0)
            if let f = failure, f.retryAfter != nil || !f.rejected { pause = max(pause, f.retryAfter ?? 0) }
            let (ackedVersion, held, seq, doubt) = (acked[id], onPortal[id], progressSeq[id], uncertain[id])
            // A record call that timed out may still be applied by the portal later: nothing newer
            // is sent for this dossier until that can no longer happen (per-dossier order).
            let quarantine = failure?.kind == "timeout" ? inflightAllowance : 0
            let retryAt = recordedAt.addingTimeInterval(max(wait, quarantine))
            // The portal now holds the dossier, or no longer: the index (1.4) moves with it.
            let portalChanged = held != nil && held != item.row.onPortal
            try await app.database.transaction { tx in
                if portalChanged { try await IndexAggregates.lockDossier(id, on: tx) }
                try await PortalSyncStore.delivered(dossierId: id, ackedVersion: ackedVersion, onPortal: held, progressSeq: seq, owner: owner, on: tx)
                if let doubt { try await PortalSyncStore.progressUncertain(dossierId: id, doubt, owner: owner, on: tx) }
                if let f = failure {
                    try await PortalSyncStore.failed(
                        dossierId: id, kind: f.kind, message: f.message, retryAt: retryAt, dead: dead, countAttempt: true,
                        owner: owner, at: now, on: tx)
                } else {
                    try await PortalSyncStore.complete(dossierId: id, owner: owner, at: now, on: tx)
                }
                if portalChanged { try await IndexAggregates.refresh(dossierId: id, app: app, on: tx) }
                try await PortalSyncStore.log(
                    id: TimeOrderedID.make(at: now), at: now, code: code, service: DVCQGService.dongBoHoSo.rawValue, version: version,
                    outcome: ackedVersion != nil && failure == nil ? "ok" : (dead ? "parked" : "failed"), kind: failure?.kind, message: failure?.message,
                    requestId: item.row.requestId, on: tx)
            }
            if failure == nil { round.delivered += 1 } else if dead { round.parked += 1 } else { round.failed += 1 }
        }
        if pause > 0 { round.pauseUntil = recordedAt.addingTimeInterval(pause) }
        if portalAnswered {
            round.woken = try await app.database.transaction { tx in try await PortalSyncStore.wake(kinds: Self.outageKinds, at: now, on: tx) }
        }
        return round
    }

    /// The requests behind the changes a portal call carries, for its `X-Request-Id` header
    /// (distinct, in order, at most 20; nil when all came from background work).
    static func trace(_ ids: [String?]) -> String? {
        var seen = Set<String>()
        let distinct = ids.compactMap { $0 }.filter { seen.insert($0).inserted }.prefix(20)
        return distinct.isEmpty ? nil : distinct.joined(separator: ",")
    }

    /// Whether a failed call may still have been applied (no verdict): a timeout, a 5xx other
    /// than 503 (maintenance refuses before doing anything), a dropped connection.
    static func mayHaveBeenApplied(_ error: any Error) -> Bool {
        guard let e = error as? DVCQGError else { return true }
        switch e {
        case .timeout, .malformed: return true
        case .http(let s, _): return s >= 500 && s != 503
        case .transport(let f): if case .unreachable = f { return false } else { return true }
        case .envelope, .badCredentials: return false
        }
    }

    /// A whole-call failure: its kind for the dashboard, and whether the portal asked to wait.
    static func classify(_ error: any Error) -> (kind: String, message: String, rejected: Bool, retryAfter: TimeInterval?) {
        guard let e = error as? DVCQGError else { return ("transport", "\(error)", false, nil) }
        switch e {
        case .transport(.unreachable): return ("unreachable", e.description, false, nil)
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
