// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

@Suite("Dossier lifecycle through the services")
struct LifecycleServiceTests {
    /// Receives a justice-department dossier at the centre on Monday 09:00 (1 working day, 15:00 cut-off).
    static func received(_ t: TestApp) async throws -> DossierDetail {
        try await t.app.dossiers.create(
            IntakeRequest(procedureCode: "2.000635", channel: .window, receivingUnit: TestApp.centre, applicant: TestApp.applicant()),
            by: TestApp.officer())
    }

    @Test("a dossier's whole life: hand-over, supplement (clock stops), payment, approval, result; events chained", arguments: TestDB.available)
    func wholeLife(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            var d = try await Self.received(t)
            let code = d.dossier.code
            // Tuesday 24/11 is a holiday (Vietnam Culture Day): due Wednesday 09:00.
            #expect(SharedFormat.iso(d.dossier.dueAt!) == "2026-11-25T09:00:00+07:00")
            func act(_ a: DossierAction, _ who: Actor, _ input: ActionInput = .init(), after minutes: Double = 30) async throws {
                t.clock.advance(minutes * 60)
                d = try await t.app.dossiers.act(code: code, action: a, input: input, expectedVersion: d.dossier.version, by: who)
            }
            try await act(.assign, TestApp.officer())
            try await act(.assign, TestApp.leader(), ActionInput(assignee: TestApp.specialist().username))
            #expect(d.dossier.assignee == TestApp.specialist().username)
            // Monday 10:30: supplement requested; supplied Wednesday 10:00. The clock stood still for
            // 450 working minutes (Mon 10:30–17:00 less lunch, Wed 07:30–10:00), added to the due date.
            try await act(.requestSupplement, TestApp.specialist(), ActionInput(reason: "Thiếu tờ khai"))
            #expect(d.dossier.status == .supplementRequested)
            #expect(d.dossier.pausedAt != nil)
            t.clock.set(VietnamTime.instant(LocalDate(year: 2026, month: 11, day: 25)!, minuteOfDay: 600))
            try await act(.supplement, TestApp.citizen, after: 0)
            #expect(d.dossier.status == .processing)
            #expect(SharedFormat.iso(d.dossier.dueAt!) == "2026-11-26T08:30:00+07:00")
            try await act(.requestPayment, TestApp.specialist(), ActionInput(amount: 8000))
            #expect(d.dossier.status == .paymentRequested)
            try await act(.recordPayment, TestApp.citizen)
            #expect(d.dossier.paidAt != nil)
            try await act(.approve, TestApp.leader())
            try await act(.finish, TestApp.specialist())
            #expect(d.dossier.status == .processed)
            try await act(.returnResult, TestApp.officer())
            #expect(d.dossier.status == .returned)
            #expect(d.allowedActions.isEmpty)
            // Events: one per change, hash-chained; the portal must receive the latest version.
            let full = try await t.app.dossiers.get(code: code, by: TestApp.officer())
            let events = try #require(full.events)
            #expect(events.map(\.action) == ["receive", "assign", "assign", "request-supplement", "supplement", "request-payment", "record-payment", "approve", "finish", "return-result"])
            #expect(EventChain.firstBrokenLink(events) == nil)
            let sync = try #require(try await PortalSyncStore.row(code: code, on: t.app.database))
            #expect(sync.state == "pending" && sync.wantedVersion == d.dossier.version && sync.ackedVersion == 0)
            // Tampering with a stored event breaks the chain at that event.
            try await t.app.database.query("UPDATE dossier_events SET note = 'edited' WHERE seq = 4", [])
            let tampered = try await t.app.dossiers.get(code: code, by: TestApp.officer()).events!
            #expect(EventChain.firstBrokenLink(tampered) == 4)
        }
    }

    @Test("two officers racing on one dossier: exactly one wins, the other gets a conflict", arguments: TestDB.available)
    func race(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let d = try await Self.received(t)
            let results = await withTaskGroup(of: Result<Int, any Error>.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        do {
                            return .success(try await t.app.dossiers.act(code: d.dossier.code, action: .assign, input: .init(), expectedVersion: 1, by: TestApp.officer()).dossier.version)
                        } catch { return .failure(error) }
                    }
                }
                var all: [Result<Int, any Error>] = []
                for await r in group { all.append(r) }
                return all
            }
            let wins = results.compactMap { try? $0.get() }
            #expect(wins == [2])
            let losses = results.compactMap { r -> ServiceError? in
                if case .failure(let e) = r { return e as? ServiceError }
                return nil
            }
            #expect(losses.count == 1)
            if case .conflict(_, _, _, let current)? = losses.first { #expect(current == 2) } else { Issue.record("expected a conflict, got \(losses)") }
            #expect(try await t.count("dossier_events") == 2)
        }
    }

    @Test("wrong status is a conflict naming allowed actions; wrong unit is forbidden; nothing is written", arguments: TestDB.available)
    func refusals(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let d = try await Self.received(t)
            let before = try await t.count("dossier_events")
            do {
                _ = try await t.app.dossiers.act(code: d.dossier.code, action: .returnResult, input: .init(), expectedVersion: 1, by: TestApp.officer())
                Issue.record("return-result should fail in status 2")
            } catch ServiceError.conflict(_, let status, let allowed, _) {
                #expect(status == .received)
                #expect(allowed.contains(.assign))
            }
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.dossiers.act(code: d.dossier.code, action: .assign, input: .init(), expectedVersion: 1, by: TestApp.officer(TestApp.branch1))
            }
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.dossiers.act(code: d.dossier.code, action: .assign, input: .init(), expectedVersion: 7, by: TestApp.officer())
            }
            await #expect(throws: ServiceError.notFound(what: "dossier", key: "nope")) {
                _ = try await t.app.dossiers.act(code: "nope", action: .assign, input: .init(), expectedVersion: 1, by: TestApp.officer())
            }
            // Assigning to someone who is not a specialist of the unit is refused.
            let a = try await t.app.dossiers.act(code: d.dossier.code, action: .assign, input: .init(), expectedVersion: 1, by: TestApp.officer())
            await #expect(throws: ServiceError.invalid(field: "assignee", message: "officer is not a specialist of \(TestApp.justice)")) {
                _ = try await t.app.dossiers.act(code: d.dossier.code, action: .assign, input: ActionInput(assignee: "officer"), expectedVersion: a.dossier.version, by: TestApp.leader())
            }
            #expect(try await t.count("dossier_events") == before + 1)
        }
    }

    @Test("lists: scope by unit, overdue filter and keyset pages", arguments: TestDB.available)
    func lists(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            for i in 0..<7 {
                t.clock.advance(600)
                _ = try await t.app.dossiers.create(
                    IntakeRequest(procedureCode: "2.000815", channel: .window, receivingUnit: i < 5 ? TestApp.tanLap : TestApp.dongSon, applicant: TestApp.applicant()),
                    by: TestApp.officer(i < 5 ? TestApp.tanLap : TestApp.dongSon))
            }
            var q = DossierQuery()
            q.limit = 2
            var seen: [String] = []
            repeat {
                let page = try await t.app.dossiers.list(q, by: TestApp.officer(TestApp.tanLap))
                seen += page.items.map(\.dossier.code)
                q.after = page.nextCursor.flatMap(DossierQuery.Cursor.init(token:))
            } while q.after != nil
            #expect(seen.count == 5)
            #expect(Set(seen).count == 5)
            #expect(seen.allSatisfy { $0.hasPrefix(TestApp.tanLap) })
            // Ordered by due date.
            #expect(seen == seen.sorted())
            // A week later all are overdue.
            t.clock.advance(7 * 86400)
            var overdue = DossierQuery()
            overdue.overdueAt = t.clock.now
            #expect(try await t.app.dossiers.list(overdue, by: Actor(username: "admin", roles: [.admin], unit: nil)).items.count == 7)
            // A citizen sees only their own.
            #expect(try await t.app.dossiers.list(DossierQuery(), by: Actor(username: "x", roles: [.citizen], unit: nil, idNumber: "079203001234")).items.isEmpty)
        }
    }
}
