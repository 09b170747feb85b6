// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

/// Group 3b of the index: fees paid online (the citizen's simulated gateway step) count in A,
/// the procedure in B; the drill-down lists fee-bearing dossiers not paid online; rebuild agrees.
@Suite("Online payment in the index")
struct OnlinePaymentTests {
    static let unit = TestApp.tanLap

    static func payment(_ t: TestApp) async throws -> IndicatorScore {
        let r = try await t.app.index.report(unit: unit, period: .month(2026, 11), by: Actor.system)
        return try #require(r.score.groups.flatMap(\.indicators).first { $0.id == "3.5-3.6" })
    }

    @Test("a fee requested and paid by the applicant online counts; one paid at the counter does not", arguments: TestDB.available)
    func paidOnline(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            #expect(try await Self.payment(t).score == nil, "no fee-bearing dossier yet: no data")
            let (officer, specialist, leader) = (TestApp.officer(Self.unit), TestApp.specialist(Self.unit), TestApp.leader(Self.unit))
            // 1.004873 (marital status certificate) charges 5,000 VND and is offered online.
            var online = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.004873", channel: .online, receivingUnit: Self.unit, applicant: TestApp.applicant()), by: TestApp.citizen)
            let window = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.004873", channel: .window, receivingUnit: Self.unit, applicant: TestApp.applicant()), by: officer)
            for (a, who, input) in [
                (DossierAction.receive, officer, ActionInput()), (.assign, officer, .init()), (.assign, leader, .init(assignee: specialist.username)),
                (.requestPayment, specialist, .init()),
            ] {
                online = try await t.app.dossiers.act(code: online.dossier.code, action: a, input: input, expectedVersion: online.dossier.version, by: who)
            }
            var s = try await Self.payment(t)
            #expect(s.numerator == 0 && s.denominator == 2 && s.score != nil)
            let losses = try await t.app.index.losses(unit: Self.unit, period: .month(2026, 11), indicator: "3.5-3.6", by: Actor.system)
            #expect(Set(losses.map(\.code)) == [online.dossier.code, window.dossier.code] && losses.allSatisfy { $0.reason == .notPaidOnline })
            // The applicant pays through the (simulated) gateway.
            online = try await t.app.dossiers.act(
                code: online.dossier.code, action: .recordPayment, input: .init(), expectedVersion: online.dossier.version, by: TestApp.citizen)
            #expect(online.dossier.paidAt != nil)
            s = try await Self.payment(t)
            #expect(s.numerator == 1 && s.denominator == 2)
            // A = 1/2; B = one of the commune's fee-bearing procedures has an online payment; C = 0
            // (nothing synced yet): 6 × 0.5 + min(2, 2.5 × B) + 2.5 × 0.
            let day = LocalDate(year: 2026, month: 11, day: 23)!
            let feeBearing = try await t.app.catalog.allProcedures().filter { $0.authority == "commune" && ($0.version(on: day)?.totalFee ?? 0) > 0 }.count
            let b = try #require(IndexScoring.ratio(IndexCount(1, of: feeBearing))) / 100
            #expect(feeBearing > 10 && s.score == IndexScoring.payment(a: 0.5, b: b, c: 0), "\(feeBearing) fee-bearing procedures")
            #expect(s.score == 3.13)
            #expect(try await t.app.index.rebuild(by: Actor.system).countsDiffering == 0)
        }
    }
}
