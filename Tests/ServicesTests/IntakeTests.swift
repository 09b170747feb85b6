// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

@Suite("Dossier intake")
struct IntakeTests {
    @Test("reception at the window: code, status 2, due date, event and portal-sync mark in one go", arguments: TestDB.available)
    func windowIntake(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            // act: birth registration (1 working day, 15:00 cut-off) at Tân Lập, Monday 23/11/2026 09:00;
            // Tuesday 24/11 is Vietnam Culture Day (a holiday from 2026), so it is due Wednesday 09:00.
            let d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: TestApp.tanLap, applicant: TestApp.applicant()),
                by: TestApp.officer(TestApp.tanLap))
            // check
            #expect(d.dossier.code == "\(TestApp.tanLap)-261123-0001")
            #expect(d.dossier.status == .received)
            #expect(d.dossier.receivedAt == TestApp.monday0900)
            #expect(d.dossier.dueAt.map(SharedFormat.iso) == "2026-11-25T09:00:00+07:00")
            #expect(d.dossier.version == 1)
            #expect(d.allowedActions.contains(.assign))
            #expect(try await t.count("dossier_events") == 1)
            #expect(try await t.count("portal_sync") == 1)
            let again = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .post, receivingUnit: TestApp.tanLap, applicant: TestApp.applicant()),
                by: TestApp.officer(TestApp.tanLap))
            #expect(again.dossier.code == "\(TestApp.tanLap)-261123-0002")
        }
    }

    @Test("online submission waits in status 1 without a due date, then reception starts the clock", arguments: TestDB.available)
    func onlineThenReceive(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.004873", channel: .online, receivingUnit: TestApp.dongSon, applicant: TestApp.applicant()),
                by: TestApp.citizen)
            #expect(d.dossier.status == .registered)
            #expect(d.dossier.dueAt == nil)
            #expect(d.dossier.ownerUsername == "citizen")
            t.clock.advance(3600)
            let r = try await t.app.dossiers.act(code: d.dossier.code, action: .receive, input: .init(), expectedVersion: 1, by: TestApp.officer(TestApp.dongSon))
            #expect(r.dossier.status == .received)
            // 3 working days from Monday 10:00, skipping the 24/11 holiday → Friday 10:00
            #expect(r.dossier.dueAt.map(SharedFormat.iso) == "2026-11-27T10:00:00+07:00")
            #expect(r.dossier.version == 2)
        }
    }

    @Test("bad input gets a clear error and writes nothing", arguments: TestDB.available)
    func badInputWritesNothing(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let officer = TestApp.officer(TestApp.tanLap)
            func attempt(_ r: IntakeRequest, by a: Actor = officer) async -> ServiceError? {
                do {
                    _ = try await t.app.dossiers.create(r, by: a)
                    return nil
                } catch let e as ServiceError { return e } catch { return .invalid(field: "?", message: "\(error)") }
            }
            let good = IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: TestApp.tanLap, applicant: TestApp.applicant())
            var r = good
            r.procedureCode = "9.999999"
            #expect(await attempt(r) == .invalid(field: "procedureCode", message: "unknown procedure 9.999999"))
            r = good
            r.receivingUnit = "000.99.99.H99"
            #expect(await attempt(r) == .invalid(field: "receivingUnit", message: "unknown unit 000.99.99.H99"))
            r = good
            r.applicant.idNumber = "00109001234"  // 11 digits
            #expect(await attempt(r) == .invalid(field: "applicant.idNumber", message: "personal ID number must be exactly 12 digits"))
            r.applicant.idNumber = "001590012345"  // century digit 5: born in the 2100s
            if case .invalid(let field, _)? = await attempt(r) { #expect(field == "applicant.idNumber") } else { Issue.record("expected invalid") }
            // An officer of another commune may not receive here.
            if case .forbidden? = await attempt(good, by: TestApp.officer(TestApp.dongSon)) {} else { Issue.record("expected forbidden") }
            // Nothing written, and no sequence number consumed.
            #expect(try await t.count("dossiers") == 0)
            #expect(try await t.count("dossier_events") == 0)
            #expect(try await t.count("portal_sync") == 0)
            let ok = try await t.app.dossiers.create(good, by: officer)
            #expect(ok.dossier.code.hasSuffix("-0001"))
        }
    }

    @Test("16 concurrent receptions at one agency on one day get 16 distinct consecutive codes", arguments: TestDB.available)
    func concurrentCodes(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let codes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        try await t.app.dossiers.create(
                            IntakeRequest(procedureCode: "2.000815", channel: .window, receivingUnit: TestApp.tanLap, applicant: TestApp.applicant()),
                            by: TestApp.officer(TestApp.tanLap)
                        ).dossier.code
                    }
                }
                var all: [String] = []
                for try await c in group { all.append(c) }
                return all
            }
            let expected = (1...16).map { "\(TestApp.tanLap)-261123-" + String(format: "%04d", $0) }
            #expect(codes.sorted() == expected)
        }
    }

    @Test("non-territorial intake at a branch is routed to the competent department under the same code", arguments: TestDB.available)
    func nonTerritorialRouting(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            // 2.000635 (copies of civil-status extracts) belongs to the justice department.
            let d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "2.000635", channel: .window, receivingUnit: TestApp.branch1, applicant: TestApp.applicant()),
                by: TestApp.officer(TestApp.branch1))
            #expect(d.dossier.receivingUnit == TestApp.branch1)
            #expect(d.dossier.competentUnit == TestApp.justice)
            let assigned = try await t.app.dossiers.act(code: d.dossier.code, action: .assign, input: .init(), expectedVersion: 1, by: TestApp.officer(TestApp.branch1))
            #expect(assigned.dossier.handlingUnit == TestApp.justice)
            #expect(assigned.dossier.code == d.dossier.code)
            #expect(assigned.dossier.status == .processing)
            // The justice department now sees it and may act.
            let seen = try await t.app.dossiers.get(code: d.dossier.code, by: TestApp.leader())
            #expect(seen.allowedActions.contains(.assign))
            #expect(try await t.count("personal_data_access") == 1)
        }
    }
}
