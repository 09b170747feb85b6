// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

/// Citizens rate the handling once the result is ready; a "not satisfied" costs the unit on 5.4.
@Suite("Ratings")
struct RatingTests {
    static let unit = TestApp.tanLap

    static func finished(_ t: TestApp) async throws -> String {
        let (officer, specialist, leader) = (TestApp.officer(unit), TestApp.specialist(unit), TestApp.leader(unit))
        var d = try await t.app.dossiers.create(
            IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: officer)
        for (a, who, input) in [
            (DossierAction.assign, officer, ActionInput()), (.assign, leader, .init(assignee: specialist.username)), (.approve, leader, .init()),
            (.finish, specialist, .init()),
        ] {
            d = try await t.app.dossiers.act(code: d.dossier.code, action: a, input: input, expectedVersion: d.dossier.version, by: who)
        }
        return d.dossier.code
    }

    static func satisfaction(_ t: TestApp) async throws -> IndicatorScore {
        let r = try await t.app.index.report(unit: unit, period: .month(2026, 11), by: Actor.system)
        return try #require(r.score.groups.flatMap(\.indicators).first { $0.id == "5.4" })
    }

    @Test("a rating after the result moves 5.4 and the drill-down says why; rating again replaces it", arguments: TestDB.available)
    func rating(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let code = try await Self.finished(t)
            #expect(try await Self.satisfaction(t).numerator == 1)
            let unhappy = DossierRating(timeOK: true, attitudeOK: false, resultOK: true, comment: "  Cán bộ   chưa hướng dẫn rõ  ")
            _ = try await t.app.ratings.rate(code: code, unhappy, proof: .phone("+84 912 345 678"))
            var s = try await Self.satisfaction(t)
            #expect(s.numerator == 0 && s.denominator == 1 && s.score == 0)
            let losses = try await t.app.index.losses(unit: Self.unit, period: .month(2026, 11), indicator: "5.4", by: Actor.system)
            #expect(losses.map(\.code) == [code] && losses.first?.reason == .dissatisfied)
            let stored = try #require(try await t.app.ratings.rating(code: code, by: TestApp.citizen))
            #expect(stored.0.comment == "Cán bộ   chưa hướng dẫn rõ" && !stored.0.satisfied)
            // The owner changes their mind, signed in.
            _ = try await t.app.ratings.rate(code: code, DossierRating(timeOK: true, attitudeOK: true, resultOK: true, comment: nil), proof: .owner(TestApp.citizen))
            s = try await Self.satisfaction(t)
            #expect(s.numerator == 1 && s.score == 6)
            #expect(try await t.app.index.rebuild(by: Actor.system).countsDiffering == 0)
        }
    }

    @Test("only the applicant rates, only once the result is ready, within the comment limit; nothing is stored otherwise", arguments: [TestDB.sqlite])
    func refusals(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let ok = DossierRating(timeOK: true, attitudeOK: true, resultOK: true, comment: nil)
            let open = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: Self.unit, applicant: TestApp.applicant()), by: TestApp.officer(Self.unit))
            await #expect(throws: ServiceError.self) { _ = try await t.app.ratings.rate(code: open.dossier.code, ok, proof: .phone("0912345678")) }
            let code = try await Self.finished(t)
            await #expect(throws: ServiceError.self) { _ = try await t.app.ratings.rate(code: code, ok, proof: .phone("0987654321")) }
            let stranger = Actor(username: "someone", roles: [.citizen], unit: nil, idNumber: "079203001234")
            await #expect(throws: ServiceError.self) { _ = try await t.app.ratings.rate(code: code, ok, proof: .owner(stranger)) }
            let long = DossierRating(timeOK: false, attitudeOK: true, resultOK: true, comment: String(repeating: "a", count: 1001))
            await #expect(throws: ServiceError.self) { _ = try await t.app.ratings.rate(code: code, long, proof: .owner(TestApp.citizen)) }
            #expect(try await t.app.ratings.rating(code: code, by: TestApp.citizen) == nil)
            #expect(try await t.count("dossier_ratings") == 0)
        }
    }
}
