// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

/// Petitions end to end in the services: filed by the applicant about their dossier, handled
/// by the unit, published and voted on; indicators 5.1–5.4 follow in the same transactions.
@Suite("Petition service")
struct PetitionServiceTests {
    static let unit = TestApp.tanLap

    static func indicator(_ t: TestApp, _ id: String) async throws -> IndicatorScore {
        let r = try await t.app.index.report(unit: unit, period: .year(2026), by: Actor.system)
        return try #require(r.score.groups.flatMap(\.indicators).first { $0.id == id })
    }

    static func request(about code: String?, phone: String = "0912 345 678", content: String = "Hồ sơ bị hẹn lại nhiều lần") -> PetitionService.Request {
        PetitionService.Request(
            petitionClass: .procedure, dossierCode: code, petitioner: Petitioner(fullName: "Phạm Thị Hoa", phone: phone), content: content)
    }

    @Test("a petition about a dossier costs it 5.4; late, disliked or complained about again, it costs 5.2 and 5.3; rebuild agrees", arguments: TestDB.available)
    func lifecycle(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: Self.unit, applicant: TestApp.applicant()), by: TestApp.officer(Self.unit))
            #expect(try await Self.indicator(t, "5.2").score == 6, "no petitions: full points")
            #expect(try await Self.indicator(t, "5.4").numerator == 1)

            let p = try await t.app.petitions.file(Self.request(about: d.dossier.code), proof: .phone("0912345678"))
            #expect(p.code == "PAKN-\(Self.unit)-261123-0001" && p.unit == Self.unit && p.status == .received)
            // Tuesday 24/11 is a day off: 15 working days from Monday 09:00 end on Tuesday 15/12 09:00.
            #expect(p.deadlines.handleBy == VietnamTime.instant(LocalDate(year: 2026, month: 12, day: 15)!, minuteOfDay: 9 * 60))
            var s54 = try await Self.indicator(t, "5.4")
            #expect(s54.numerator == 0 && s54.denominator == 1, "a dossier with a petition is not a satisfied one")
            var losses = try await t.app.index.losses(unit: Self.unit, period: .year(2026), indicator: "5.4", by: Actor.system)
            #expect(losses.map(\.code) == [d.dossier.code] && losses.first?.reason == .petitioned)
            var s52 = try await Self.indicator(t, "5.2")
            #expect(s52.numerator == 1 && s52.denominator == 1 && s52.score == 6)
            let s51 = try await Self.indicator(t, "5.1")
            #expect(s51.numerator == 1 && s51.denominator == 1 && s51.score == nil, "5.1 is shown, not scored")

            // The answer comes a minute after its deadline (the year 2026 is read: November's
            // figures are those at the end of November, when it was still in time).
            t.clock.set(VietnamTime.instant(LocalDate(year: 2026, month: 12, day: 15)!, minuteOfDay: 9 * 60 + 1))
            s52 = try await Self.indicator(t, "5.2")
            #expect(s52.numerator == 0 && s52.score == 0, "open past its deadline: late")
            losses = try await t.app.index.losses(unit: Self.unit, period: .year(2026), indicator: "5.2", by: Actor.system)
            #expect(losses.map(\.code) == [p.code] && losses.first?.reason == .petitionLate && losses.first?.kind == .petition)
            let specialist = TestApp.specialist(Self.unit)
            var v = try await t.app.petitions.act(code: p.code, action: .answer, text: "Đã rà soát và xin lỗi ông/bà", expectedVersion: 1, proof: .account(specialist))
            #expect(v.status == .answered && v.allowedActions.isEmpty, "the specialist answers; publishing is the leader's")
            v = try await t.app.petitions.act(code: p.code, action: .publish, text: nil, expectedVersion: nil, proof: .account(TestApp.leader(Self.unit)))
            #expect(v.status == .published && !v.onTime && v.events?.map(\.action) == ["file", "answer", "publish"])

            // On time, but disliked: counts on 5.3 only. A second petition, answered in time.
            t.clock.set(VietnamTime.instant(LocalDate(year: 2026, month: 11, day: 25)!, minuteOfDay: 9 * 60))
            let q = try await t.app.petitions.file(Self.request(about: nil, phone: "0987654321").with(unit: Self.unit), proof: .phone("0987654321"))
            _ = try await t.app.petitions.act(code: q.code, action: .answer, text: "Trả lời", expectedVersion: nil, proof: .account(specialist))
            _ = try await t.app.petitions.act(code: q.code, action: .publish, text: nil, expectedVersion: nil, proof: .account(TestApp.leader(Self.unit)))
            _ = try await t.app.petitions.vote(code: q.code, .like, proof: .phone("0987654321"))
            _ = try await t.app.petitions.vote(code: q.code, .dislike, proof: .account(TestApp.citizen))
            #expect(try await Self.indicator(t, "5.3").numerator == 1, "one like, one dislike: not more dislikes")
            v = try await t.app.petitions.vote(code: q.code, .dislike, proof: .phone("+84987654321"))
            #expect(v.likes == 0 && v.dislikes == 2, "voting again replaces the vote")
            var s53 = try await Self.indicator(t, "5.3")
            #expect(s53.numerator == 0 && s53.denominator == 2)
            losses = try await t.app.index.losses(unit: Self.unit, period: .year(2026), indicator: "5.3", by: Actor.system)
            #expect(losses.map(\.reason) == [.petitionLate, .petitionDisliked])

            // Complaining again about the first marks it.
            let again = PetitionService.Request(
                petitionClass: .procedure, petitioner: Petitioner(fullName: "Phạm Thị Hoa", phone: "0912345678"), content: "Chưa được giải quyết thỏa đáng",
                recomplaintOf: p.code)
            let r = try await t.app.petitions.file(again, proof: .phone("0912345678"))
            #expect(r.unit == Self.unit && r.dossierCode == d.dossier.code && r.recomplaintOf == p.code)
            #expect(try await t.app.petitions.get(code: p.code, proof: .account(specialist)).recomplained)
            s53 = try await Self.indicator(t, "5.3")
            #expect(s53.numerator == 1 && s53.denominator == 3, "the new one is on time and not disliked")
            #expect(try await t.app.index.rebuild(by: Actor.system).countsDiffering == 0)
        }
    }

    @Test("who may do what: the applicant's phone for their dossier, the unit's officials to handle, leaders to publish; refusals store nothing", arguments: TestDB.available)
    func refusals(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: Self.unit, applicant: TestApp.applicant()), by: TestApp.officer(Self.unit))
            await #expect(throws: ServiceError.invalid(field: "dossierCode", message: "the phone number does not match the one given with dossier \(d.dossier.code)")) {
                _ = try await t.app.petitions.file(Self.request(about: d.dossier.code, phone: "0987654321"), proof: .phone("0987654321"))
            }
            await #expect(throws: ServiceError.self) { _ = try await t.app.petitions.file(Self.request(about: nil), proof: .phone("0912345678")) }
            await #expect(throws: ServiceError.self) { _ = try await t.app.petitions.file(Self.request(about: "000.20.03.H99-261123-9999"), proof: .phone("0912345678")) }
            await #expect(throws: ServiceError.self) { _ = try await t.app.petitions.file(Self.request(about: d.dossier.code, content: " "), proof: .phone("0912345678")) }
            var conduct = Self.request(about: nil).with(unit: Self.unit)
            conduct.petitionClass = .conduct
            conduct.official = "nobody.here"
            await #expect(throws: ServiceError.invalid(field: "official", message: "no official nobody.here")) {
                _ = try await t.app.petitions.file(conduct, proof: .phone("0912345678"))
            }
            #expect(try await t.count("petitions") == 0)
            #expect(try await t.count("petition_events") == 0)
            #expect(try await Self.indicator(t, "5.4").numerator == 1, "refused petitions do not touch the index")

            let p = try await t.app.petitions.file(Self.request(about: d.dossier.code), proof: .phone("0912345678"))
            // Another commune's official may neither read nor handle it; the specialist may not publish.
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.petitions.act(code: p.code, action: .answer, text: "x", expectedVersion: nil, proof: .account(TestApp.specialist(TestApp.dongSon)))
            }
            await #expect(throws: ServiceError.notFound(what: "petition", key: p.code)) { _ = try await t.app.petitions.get(code: p.code, proof: .phone("0987654321")) }
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.petitions.act(code: p.code, action: .answer, text: "x", expectedVersion: nil, proof: .phone("0912345678"))
            }
            _ = try await t.app.petitions.act(code: p.code, action: .requestSupplement, text: "Cho biết ngày hẹn", expectedVersion: nil, proof: .account(TestApp.specialist(Self.unit)))
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.petitions.act(code: p.code, action: .supplement, text: "x", expectedVersion: nil, proof: .phone("0987654321"))
            }
            await #expect(throws: ServiceError.self) { _ = try await t.app.petitions.vote(code: p.code, .like, proof: .phone("0912345678")) }
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.petitions.act(code: p.code, action: .answer, text: "x", expectedVersion: nil, proof: .account(TestApp.specialist(Self.unit)))
            }
            let v = try await t.app.petitions.act(code: p.code, action: .supplement, text: "Hẹn ngày 20/11", expectedVersion: nil, proof: .phone("0912345678"))
            #expect(v.status == .received && v.content.hasSuffix("[Bổ sung] Hẹn ngày 20/11") && v.version == 3)
            await #expect(throws: ServiceError.self) {
                _ = try await t.app.petitions.act(code: p.code, action: .answer, text: "x", expectedVersion: 2, proof: .account(TestApp.specialist(Self.unit)))
            }
            // The province's leader sees the commune's petitions; the other commune's does not.
            #expect(try await t.app.petitions.list(unit: Self.unit, open: true, limit: 10, by: .system).map(\.code) == [p.code])
            await #expect(throws: ServiceError.self) { _ = try await t.app.petitions.list(unit: Self.unit, open: false, limit: 10, by: TestApp.leader(TestApp.dongSon)) }
        }
    }
}

extension PetitionService.Request {
    func with(unit: String) -> Self {
        var r = self
        r.unit = unit
        return r
    }
}
