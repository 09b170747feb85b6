// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Simulators
import Storage
import Testing

/// The relay against the DVCQG simulator (a real HTTP server on 127.0.0.1), on both databases.
@Suite("Portal relay")
struct PortalRelayTests {
    static let unit = TestApp.tanLap

    /// A simulator on a free port, a relay and a client for it; both stopped afterwards.
    static func withPortal(
        _ db: TestDB, faults: DVCQGFaults = .none, _ body: @Sendable (TestApp, DVCQGSimulator, @Sendable (String) -> PortalRelay) async throws -> Void
    ) async throws {
        try await TestApp.with(db) { t in
            // The portal keeps the test's time: its one-second rate window must not close because a
            // loaded machine took a second between two calls.
            let clock = t.clock
            let sim = DVCQGSimulator(.init(faults: faults, clock: { clock.now }))
            let url = try await sim.start()
            do {
                try await body(t, sim) { owner in
                    var relay = PortalRelay(
                        app: t.app, client: DVCQGClient(DVCQGConfig(baseURL: url, username: "motcua", password: "motcua", madonvi: "000.00.00.H99", timeout: 60)),
                        owner: owner)
                    relay.maxAttempts = 2
                    return relay
                }
            } catch {
                await sim.stop()
                throw error
            }
            await sim.stop()
        }
    }

    static func receive(_ t: TestApp, online: Bool = false) async throws -> DossierDetail {
        try await t.app.dossiers.create(
            IntakeRequest(procedureCode: "1.001193", channel: online ? .online : .window, receivingUnit: unit, applicant: TestApp.applicant()),
            by: online ? TestApp.citizen : TestApp.officer(unit))
    }

    /// Runs rounds until nothing is due (bounded).
    @discardableResult
    static func drain(_ relay: PortalRelay) async throws -> RelayRound {
        var total = RelayRound()
        for _ in 0..<20 {
            let r = try await relay.runOnce()
            total.delivered += r.delivered
            total.failed += r.failed
            total.parked += r.parked
            total.progressRows += r.progressRows
            total.skipped += r.skipped
            if r.claimed == 0 { break }
        }
        return total
    }

    @Test("the request behind a change goes to the portal with it and stays in the delivery log", arguments: TestDB.available)
    func requestIdsReachThePortal(db: TestDB) async throws {
        try await Self.withPortal(db) { t, sim, relay in
            let traced = try await RequestTrace.$id.withValue("trace-4711") { try await Self.receive(t) }
            let untraced = try await Self.receive(t)
            let round = try await Self.drain(relay("relay-a"))
            #expect(round.delivered == 2 && round.failed == 0)
            let writes = await sim.writeLog()
            let tracedWrites = writes.filter { $0.maHoSo == traced.dossier.code }
            // A call carries several dossiers: its header names the requests behind all of them.
            #expect(!tracedWrites.isEmpty && tracedWrites.allSatisfy { $0.requestId?.split(separator: ",").contains("trace-4711") == true }, "\(tracedWrites)")
            #expect(tracedWrites.contains { $0.service == "CapNhatTienDoHoSoMC" }, "progress rows carry it too")
            // The delivery log is per dossier.
            func logged(_ code: String) async throws -> [String?] {
                try await t.app.database.query("SELECT request_id FROM portal_sync_log WHERE dossier_code = ?", [.text(code)]).map { $0.string("request_id") }
            }
            #expect(try await logged(traced.dossier.code) == ["trace-4711"])
            #expect(try await logged(untraced.dossier.code) == [nil])
        }
    }

    @Test("the latest snapshot of each received dossier reaches the portal once, with its progress rows; later changes update it", arguments: TestDB.available)
    func delivery(db: TestDB) async throws {
        try await Self.withPortal(db) { t, sim, relay in
            let a = try await Self.receive(t)
            var b = try await Self.receive(t)
            let online = try await Self.receive(t, online: true)
            // b changes three times before the relay runs: the portal sees only its latest state.
            b = try await t.app.dossiers.act(code: b.dossier.code, action: .assign, input: .init(), expectedVersion: b.dossier.version, by: TestApp.officer(Self.unit))
            b = try await t.app.dossiers.act(
                code: b.dossier.code, action: .assign, input: .init(assignee: TestApp.specialist(Self.unit).username), expectedVersion: b.dossier.version,
                by: TestApp.leader(Self.unit))
            let r = try await Self.drain(relay("r1"))
            #expect(r.delivered == 2 && r.skipped == 1 && r.failed == 0)
            let dump = await sim.dump()
            #expect(Set(dump.dossiers.map(\.MaHoSo)) == [a.dossier.code, b.dossier.code])
            let stored = try #require(dump.dossiers.first { $0.MaHoSo == b.dossier.code })
            #expect(stored.record["TrangThaiHoSo"]?.intValue == 4)
            #expect(stored.progress.count == 3)  // receive, hand-over, assignment
            let writes = await sim.writeLog().filter { $0.maHoSo == b.dossier.code && $0.service == "DongBoHoSoMC" }
            #expect(writes.count == 1)
            #expect(try await PortalSyncStore.row(code: b.dossier.code, on: t.app.database)?.state == "in-sync")
            #expect(try await PortalSyncStore.row(code: online.dossier.code, on: t.app.database)?.state == "skipped")
            // A new change is sent as an update, with only the new progress row.
            _ = try await t.app.dossiers.act(
                code: a.dossier.code, action: .requestSupplement, input: .init(reason: "Thiếu giấy chứng sinh"), expectedVersion: a.dossier.version,
                by: TestApp.officer(Self.unit))
            #expect(try await Self.drain(relay("r1")).delivered == 1)
            let after = await sim.dump().dossiers.first { $0.MaHoSo == a.dossier.code }
            #expect(after?.record["TrangThaiHoSo"]?.intValue == 5)
            #expect(after?.progress.count == 2)
            #expect(await sim.writeLog().last { $0.service == "DongBoHoSoMC" }?.isUpdating == true)
            // Reception of the online dossier makes it due.
            _ = try await t.app.dossiers.act(code: online.dossier.code, action: .receive, input: .init(), expectedVersion: online.dossier.version, by: TestApp.officer(Self.unit))
            #expect(try await Self.drain(relay("r1")).delivered == 1)
            let status = try await t.app.sync.status(by: Actor.system)
            #expect(status.stats.inSync == 3 && status.stats.pending == 0 && status.stats.oldestPendingSince == nil)
            #expect(status.monthReceived == 3 && status.monthConfirmed == 3)
        }
    }

    @Test("a lost answer, an expired session and a rate limit are survived; the portal ends up with the latest state", arguments: TestDB.available)
    func faults(db: TestDB) async throws {
        try await Self.withPortal(db) { t, sim, relay in
            let relay1 = relay("r1")
            // A first dossier goes through (and the relay's session is open).
            let z = try await Self.receive(t)
            #expect(try await relay1.runOnce().delivered == 1)
            // Applied, then answered 502: the relay cannot know, and retries later.
            await sim.setFaults(DVCQGFaults(lostAnswerRate: 1))
            let a = try await Self.receive(t)
            let first = try await relay1.runOnce()
            #expect(first.failed == 1 && first.delivered == 0)
            #expect(await sim.dump().dossiers.map(\.MaHoSo).sorted() == [z.dossier.code, a.dossier.code].sorted())
            let row = try #require(try await PortalSyncStore.row(code: a.dossier.code, on: t.app.database))
            #expect(row.state == "pending" && row.attempts == 1 && row.lastErrorKind?.hasPrefix("http-5") == true && row.nextAttemptAt > t.clock.clock.now())
            // Nothing is due before the backoff ends.
            #expect(try await relay1.runOnce().claimed == 0)
            await sim.setFaults(.none)
            await sim.expireSessions()
            t.clock.advance(3600)
            // The create finds "đã tồn tại" and is resent as an update; the session is renewed on the way.
            #expect(try await Self.drain(relay1).delivered == 1)
            let writes = await sim.writeLog().filter { $0.service == "DongBoHoSoMC" && $0.maHoSo == a.dossier.code }
            #expect(writes.map(\.isUpdating) == [false, true])
            #expect(try await PortalSyncStore.row(code: a.dossier.code, on: t.app.database)?.state == "in-sync")
            // Rate limited: the relay is told to pause and the dossier waits at least that long.
            await sim.setFaults(DVCQGFaults(rateLimitPerSecond: 1))
            let b = try await Self.receive(t)
            let c = try await Self.receive(t)
            _ = (b, c)
            var paused: Date?
            for _ in 0..<5 where paused == nil {
                let r = try await relay("r1").runOnce()
                paused = r.pauseUntil
            }
            #expect(paused != nil)
        }
    }

    @Test("after an outage one probe finds the portal back, and every dossier backing off is due at once", arguments: TestDB.available)
    func recoveryAfterOutage(db: TestDB) async throws {
        try await Self.withPortal(db) { t, sim, relay in
            var r = relay("r1")
            r.backoffBase = 600  // long backoffs: without the probe the catch-up would wait them out
            r.backoffCap = 600
            await sim.setFaults(DVCQGFaults(outageSeconds: 3600))
            let codes = [try await Self.receive(t), try await Self.receive(t), try await Self.receive(t)].map(\.dossier.code)
            let down = try await r.runOnce()
            #expect(down.failed == 3 && down.pauseUntil != nil)
            for code in codes {
                let row = try #require(try await PortalSyncStore.row(code: code, on: t.app.database))
                #expect(row.lastErrorKind == "http-503" && row.nextAttemptAt >= t.clock.now.addingTimeInterval(300))
            }
            // Within the probe interval of the last failure an idle relay sends nothing.
            t.clock.advance(r.probeInterval - 1)
            #expect(try await r.runOnce().claimed == 0)
            // Still down at the probe: one dossier is tried, and it fails again.
            t.clock.advance(2)
            let probe = try await r.runOnce()
            #expect(probe.claimed == 1 && probe.failed == 1 && probe.woken == 0)
            #expect(try await r.runOnce().claimed == 0, "one probe per interval, not one after another")
            // The portal is back: the next probe is answered and wakes the others.
            await sim.setFaults(.none)
            t.clock.advance(r.probeInterval + 1)
            let back = try await r.runOnce()
            #expect(back.claimed == 1 && back.delivered == 1 && back.woken == 2)
            let rest = try await r.runOnce()
            #expect(rest.claimed == 2 && rest.delivered == 2)
            #expect(Set(await sim.dump().dossiers.map(\.MaHoSo)) == Set(codes))
            // A call that timed out is never woken early: it may still land (in-flight quarantine).
            #expect(!PortalRelay.outageKinds.contains("timeout") && !PortalRelay.outageKinds.contains("transport"))
        }
    }

    @Test("a record the portal rejects is parked with its message and delivered after a fix and one retry", arguments: TestDB.available)
    func parking(db: TestDB) async throws {
        try await Self.withPortal(db) { t, sim, relay in
            let a = try await Self.receive(t)
            // A name lost in a bad data migration: the portal refuses the record (error_code 2, ChuHoSo).
            try await t.app.database.query("UPDATE dossiers SET applicant_name = '' WHERE code = ?", [.text(a.dossier.code)])
            #expect(try await relay("r1").runOnce().failed == 1)
            t.clock.advance(3600)
            #expect(try await relay("r1").runOnce().parked == 1)
            let parked = try await t.app.sync.parked(by: Actor.system)
            #expect(parked.map(\.dossierCode) == [a.dossier.code])
            #expect(parked.first?.lastError?.contains("ChuHoSo") == true, "\(parked.first?.lastError ?? "")")
            await #expect(throws: ServiceError.self) { try await t.app.sync.parked(by: TestApp.officer(Self.unit)) }
            t.clock.advance(3600)
            #expect(try await relay("r1").runOnce().claimed == 0)  // parked stays parked
            try await t.app.database.query("UPDATE dossiers SET applicant_name = 'Phạm Thị Hoa' WHERE code = ?", [.text(a.dossier.code)])
            _ = try await t.app.sync.retry(code: a.dossier.code, by: Actor.system)
            #expect(try await Self.drain(relay("r1")).delivered == 1)
            #expect(await sim.dump().dossiers.count == 1)
        }
    }

    @Test("two relays at once never send a dossier twice", arguments: TestDB.available)
    func concurrentRelays(db: TestDB) async throws {
        try await Self.withPortal(db) { t, sim, relay in
            var codes: [String] = []
            for _ in 0..<120 { codes.append(try await Self.receive(t).dossier.code) }
            async let x = Self.drain(relay("r1"))
            async let y = Self.drain(relay("r2"))
            let (rx, ry) = try await (x, y)
            #expect(rx.delivered + ry.delivered == 120)
            let creates = await sim.writeLog().filter { $0.service == "DongBoHoSoMC" }
            #expect(creates.count == 120 && Set(creates.map(\.maHoSo)) == Set(codes))
        }
    }

    @Test("reconciliation finds what the portal lost or holds stale, re-queues it, and the relay repairs it", arguments: TestDB.available)
    func reconciliation(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let sim = DVCQGSimulator(.init())
            let url = try await sim.start()
            do {
                try await Self.reconcile(t, sim, url)
            } catch {
                await sim.stop()
                throw error
            }
            await sim.stop()
        }
    }

    static func reconcile(_ t: TestApp, _ sim: DVCQGSimulator, _ url: URL) async throws {
        do {
            // The app itself configured for the portal, as `serve` would be.
            var config = t.app.config
            config.dvcqgURL = url.absoluteString
            config.dvcqgUsername = "motcua"
            config.dvcqgPassword = "motcua"
            config.dvcqgUnit = "000.00.00.H99"
            let app = MotCua(config: config, database: t.app.database, calendar: t.app.calendar, blobs: t.app.blobs, clock: t.app.clock)
            let relay = PortalRelay(app: app, client: try #require(app.sync.client()), owner: "r1")
            var ds: [DossierDetail] = []
            for _ in 0..<3 { ds.append(try await app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: Self.unit, applicant: TestApp.applicant()), by: TestApp.officer(Self.unit))) }
            try await Self.drain(relay)
            var r = try await app.sync.reconcile(since: nil)
            #expect(r == ReconcileReport(checked: 3, inSync: 3, repaired: 0, missing: 0, failing: 0))
            // The portal loses everything, and one dossier changes without the relay running.
            await sim.reset()
            _ = try await app.dossiers.act(code: ds[0].dossier.code, action: .assign, input: .init(), expectedVersion: ds[0].dossier.version, by: TestApp.officer(Self.unit))
            r = try await app.sync.reconcile(since: nil)
            #expect(r.checked == 3 && r.missing == 3)
            #expect(try await Self.drain(relay).delivered == 3)
            r = try await app.sync.reconcile(since: nil)
            #expect(r.inSync == 3)
            #expect(await sim.dump().dossiers.first { $0.MaHoSo == ds[0].dossier.code }?.record["TrangThaiHoSo"]?.intValue == 4)
        }
    }
}
