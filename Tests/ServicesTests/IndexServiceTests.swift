// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

/// The index as leaders read it: scores of a unit from the live aggregates, and the dossiers
/// behind a lost point.
@Suite("766 index service")
struct IndexServiceTests {
    static let unit = TestApp.tanLap

    @Test("the shipped Decision 766 methodology is valid: six groups, 100 points, uncertain items marked")
    func bundled() throws {
        let m = try IndexService.bundledMethodology()
        #expect(m.ceiling == 100)
        #expect(m.groups.map(\.ceiling) == [18, 20, 12, 10, 22, 18])
        #expect(m.indicator("3.3")?.multiplyByRatioOf == "1.4" && m.indicator("3.3")?.threshold == 50)
        #expect(m.indicator("3.1")?.uncertain == true && m.indicator("2.1")?.uncertain == false)
        #expect(m.indicator("5.2")?.whenEmpty == .full)
    }

    /// Receives a dossier now and takes it to the end after `days`, or leaves it open.
    static func dossier(_ t: TestApp, finishAfter days: Double?) async throws -> String {
        let (officer, specialist, leader) = (TestApp.officer(unit), TestApp.specialist(unit), TestApp.leader(unit))
        var d = try await t.app.dossiers.create(
            IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: officer)
        func act(_ a: DossierAction, _ who: Actor, _ input: ActionInput = .init()) async throws {
            d = try await t.app.dossiers.act(code: d.dossier.code, action: a, input: input, expectedVersion: d.dossier.version, by: who)
        }
        try await act(.assign, officer)
        try await act(.assign, leader, .init(assignee: specialist.username))
        guard let days else { return d.dossier.code }
        t.clock.advance(days * 86_400)
        try await act(.approve, leader)
        try await act(.finish, specialist)
        t.clock.advance(-days * 86_400)
        return d.dossier.code
    }

    @Test("the drill-down of a unit's progress indicator lists exactly its late dossiers, with who holds them", arguments: TestDB.available)
    func lateDossiers(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            // 1.001193 is decided in 3 working days (dossiers received Monday 23/11 are due by Thursday).
            let onTime = try await Self.dossier(t, finishAfter: 1)
            let lateFinished = try await Self.dossier(t, finishAfter: 10)
            let open = try await Self.dossier(t, finishAfter: nil)
            // Another commune's late dossier is not this unit's.
            _ = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: TestApp.dongSon, applicant: TestApp.applicant()),
                by: TestApp.officer(TestApp.dongSon))
            let leader = TestApp.leader(Self.unit)
            let period = IndexPeriod.month(2026, 11)
            // Monday: nothing open is late yet.
            var r = try await t.app.index.report(unit: Self.unit, period: period, by: leader)
            var progress = try #require(r.score.groups.first { $0.id == "progress" }?.indicators.first { $0.id == "2.1" })
            #expect(progress.numerator == 2 && progress.denominator == 3)
            #expect(try await t.app.index.losses(unit: Self.unit, period: period, indicator: "2.1", by: leader).map(\.code) == [lateFinished])
            // On its due day: a minute before the due time it is on time, a minute after it is late
            // (the cutoff's own day is read from the dossiers, earlier days from the counts by day).
            let due = try #require(try await t.app.dossiers.get(code: open, by: Actor.system).dossier.dueAt)
            let start = t.clock.now
            t.clock.set(due.addingTimeInterval(-60))
            #expect(try await t.app.index.report(unit: Self.unit, period: period, by: leader).score.groups[1].indicators[0].numerator == 2)
            t.clock.set(due.addingTimeInterval(60))
            #expect(try await t.app.index.report(unit: Self.unit, period: period, by: leader).score.groups[1].indicators[0].numerator == 1)
            t.clock.set(start)
            // Two weeks on, the open one is overdue too; the one handled in a day stays on time.
            t.clock.advance(14 * 86_400)
            r = try await t.app.index.report(unit: Self.unit, period: period, by: leader)
            progress = try #require(r.score.groups.first { $0.id == "progress" }?.indicators.first { $0.id == "2.1" })
            #expect(progress.numerator == 1 && progress.denominator == 3 && progress.score == 6.67)
            let losses = try await t.app.index.losses(unit: Self.unit, period: period, indicator: "2.1", by: leader)
            #expect(losses.map(\.code) == [lateFinished, open].sorted())
            #expect(Set(losses.map(\.reason)) == [.late, .overdueOpen])
            let held = try #require(losses.first { $0.code == open })
            #expect(held.handlingUnit == Self.unit && held.assignee == TestApp.specialist(Self.unit).username)
            #expect(!losses.map(\.code).contains(onTime))
            // The province sees the commune's figures inside its own.
            let province = try await t.app.index.report(unit: DemoProvince.provinceCode, period: period, by: Actor.system)
            #expect(province.received == 4)
            let ranking = try await t.app.index.ranking(unit: DemoProvince.provinceCode, period: period, by: Actor.system)
            #expect(ranking.first { $0.unit == Self.unit }?.received == 3)
            // Per official: the officer received three, the specialist finished two, one on time.
            let officials = try await t.app.index.officials(unit: Self.unit, period: period, by: leader)
            let officer = try #require(officials.first { $0.username == TestApp.officer(Self.unit).username })
            #expect(officer.received == 3 && officer.digitized == 0 && officer.digitizationRate == 0 && officer.handled == 0)
            let specialist = try #require(officials.first { $0.username == TestApp.specialist(Self.unit).username })
            #expect(specialist.handled == 2 && specialist.handledOnTime == 1 && specialist.onTimeRate == 50 && specialist.received == 0)
            #expect(specialist.norm == 133.3 && specialist.normShare == 1.5)  // 1,600 a year ÷ 12; 2 of 133.3
            // Nothing synced: 1.4 lists every received dossier as not synced.
            #expect(try await t.app.index.losses(unit: Self.unit, period: period, indicator: "1.4", by: leader).count == 3)
        }
    }

    @Test("a dossier digitized from the archive stays out of the index when someone acts on it; rebuild agrees", arguments: TestDB.available)
    func importedStaysOut(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let officer = TestApp.officer(TestApp.tanLap)
            let d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: TestApp.tanLap, applicant: TestApp.applicant()), by: officer)
            try await t.app.database.transaction { tx in try await DossierStore.markImported(dossierId: d.dossier.id, on: tx) }
            _ = try await t.app.index.rebuild(by: Actor.system)
            #expect(try await IndexStore.entry(dossierId: d.dossier.id, on: t.app.database) == nil)
            _ = try await t.app.dossiers.act(code: d.dossier.code, action: .assign, input: .init(), expectedVersion: d.dossier.version, by: officer)
            #expect(try await IndexStore.entry(dossierId: d.dossier.id, on: t.app.database) == nil)
            let r = try await t.app.index.rebuild(by: Actor.system)
            #expect(r.entriesDiffering == 0 && r.countsDiffering == 0)
        }
    }

    @Test("only leaders of the unit (or above it) and administrators read a unit's index; bad requests say what is wrong", arguments: [TestDB.sqlite])
    func access(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let period = IndexPeriod.month(2026, 11)
            let other = TestApp.leader(TestApp.dongSon)
            await #expect(throws: ServiceError.self) { _ = try await t.app.index.report(unit: Self.unit, period: period, by: other) }
            await #expect(throws: ServiceError.self) { _ = try await t.app.index.report(unit: Self.unit, period: period, by: TestApp.officer(Self.unit)) }
            await #expect(throws: ServiceError.self) { _ = try await t.app.index.report(unit: "000.99.99.H99", period: period, by: Actor.system) }
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.index.losses(unit: Self.unit, period: period, indicator: "1.1", by: Actor.system)
            }
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.index.losses(unit: Self.unit, period: period, indicator: "9.9", by: Actor.system)
            }
            let r = try await t.app.index.report(unit: Self.unit, period: period, by: TestApp.leader(Self.unit))
            // Nothing received: every dossier indicator has no data rather than a made-up number.
            #expect(r.received == 0)
            #expect(r.score.groups.flatMap(\.indicators).filter { ["1.4", "2.1", "4.2"].contains($0.id) }.allSatisfy { $0.score == nil })
        }
    }
}
