// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import Domain

/// Petitions (PAKN): their steps and the deadlines of indicator 5.2 (reject ≤ 2, ask for more
/// ≤ 5, answer ≤ 15, publish ≤ 2 working days), and what they count for 5.3.
@Suite("Petitions")
struct PetitionTests {
    static func petition(at receivedAt: Date) -> Petition {
        Petition(
            id: "p1", code: "PAKN-000.20.03.H99-261123-0001", unit: "000.20.03.H99", petitionClass: .procedure, dossierCode: nil,
            petitioner: Petitioner(fullName: "Phạm Thị Hoa", phone: "0912345678"), content: "Hồ sơ bị yêu cầu bổ sung hai lần", receivedAt: receivedAt)
    }

    static let deadlines = PetitionDeadlines()

    @Test("the four deadlines are counted in working days from reception, across weekends and holidays")
    func schedule() throws {
        let cal = try Fx.realCalendar()
        // Monday 23/11/2026 09:00; Tuesday 24/11 is Vietnam Culture Day (a day off from 2026).
        let p = Self.petition(at: Fx.at(2026, 11, 23, 9))
        let s = Self.deadlines.schedule(of: p, calendar: cal)
        #expect(s.rejectBy == Fx.at(2026, 11, 26, 9))
        #expect(s.requestSupplementBy == Fx.at(2026, 12, 1, 9))
        #expect(s.handleBy == Fx.at(2026, 12, 15, 9))
        #expect(s.publishBy == nil)
        // Received on Thursday 31/12/2026 at 16:00: New Year's Day and the weekend are not counted.
        let q = Self.petition(at: Fx.at(2026, 12, 31, 16))
        #expect(Self.deadlines.schedule(of: q, calendar: cal).rejectBy == Fx.at(2027, 1, 5, 16))
    }

    @Test("waiting for the petitioner's information stops the clock; the answer and its publication must each be in time")
    func steps() throws {
        let cal = try Fx.realCalendar()
        var p = Self.petition(at: Fx.at(2026, 11, 23, 9))
        p = try p.applying(.requestSupplement, text: "Đề nghị cho biết mã hồ sơ", at: Fx.at(2026, 11, 25, 9))
        #expect(p.status == .awaitingSupplement)
        var f = PetitionIndexFacts.of(p, deadlines: Self.deadlines, calendar: cal)
        // Waiting on the petitioner: nothing runs against the unit, however long it takes.
        #expect(f.lateAfter == nil && f.onTime(at: Fx.at(2027, 3, 1, 9)))
        p = try p.applying(.supplement, text: "Mã hồ sơ 000.20.03.H99-261120-0001", at: Fx.at(2026, 11, 27, 9))
        let s = Self.deadlines.schedule(of: p, calendar: cal)
        // Two working days stopped (25/11 09:00 – 27/11 09:00): the answer moves from 15/12 to 17/12.
        #expect(s.handleBy == Fx.at(2026, 12, 17, 9))
        f = PetitionIndexFacts.of(p, deadlines: Self.deadlines, calendar: cal)
        #expect(f.lateAfter == s.handleBy)
        #expect(f.onTime(at: Fx.at(2026, 12, 17, 9)) && !f.onTime(at: Fx.at(2026, 12, 17, 9, 1)))
        p = try p.applying(.answer, text: "Đã chấn chỉnh bộ phận một cửa", at: Fx.at(2026, 12, 16, 10))
        f = PetitionIndexFacts.of(p, deadlines: Self.deadlines, calendar: cal)
        #expect(f.stepsOnTime && f.lateAfter == Fx.at(2026, 12, 18, 10), "publish within 2 working days of the answer")
        let late = try p.applying(.publish, text: nil, at: Fx.at(2026, 12, 21, 8))
        #expect(!PetitionIndexFacts.of(late, deadlines: Self.deadlines, calendar: cal).onTime(at: Fx.at(2026, 12, 21, 9)))
        let published = try p.applying(.publish, text: nil, at: Fx.at(2026, 12, 18, 10))
        f = PetitionIndexFacts.of(published, deadlines: Self.deadlines, calendar: cal)
        #expect(f.onTime(at: Fx.at(2027, 6, 1, 9)) && f.satisfactory(at: Fx.at(2027, 6, 1, 9)) && f.lateAfter == nil)
    }

    @Test("a supplement request after 5 working days or a rejection after 2 is late, even if the answer comes in time")
    func lateSteps() throws {
        let cal = try Fx.realCalendar()
        let p = Self.petition(at: Fx.at(2026, 11, 23, 9))
        let asked = try p.applying(.requestSupplement, text: "?", at: Fx.at(2026, 12, 1, 9, 1))
        #expect(!PetitionIndexFacts.of(asked, deadlines: Self.deadlines, calendar: cal).stepsOnTime)
        let rejected = try p.applying(.reject, text: "Không thuộc thẩm quyền", at: Fx.at(2026, 11, 26, 9))
        #expect(PetitionIndexFacts.of(rejected, deadlines: Self.deadlines, calendar: cal).onTime(at: Fx.at(2027, 1, 1, 9)))
        let rejectedLate = try p.applying(.reject, text: "Không thuộc thẩm quyền", at: Fx.at(2026, 11, 26, 9, 30))
        #expect(!PetitionIndexFacts.of(rejectedLate, deadlines: Self.deadlines, calendar: cal).stepsOnTime)
    }

    @Test("declining a petition whose petitioner never answered: the wait is not charged; more information is asked for once")
    func rejectWhileWaiting() throws {
        let cal = try Fx.realCalendar()
        let p = Self.petition(at: Fx.at(2026, 11, 23, 9))
        let asked = try p.applying(.requestSupplement, text: "Cho biết mã hồ sơ", at: Fx.at(2026, 11, 25, 9))
        // Ten working days without an answer, then the unit declines: still in time.
        let rejected = try asked.applying(.reject, text: "Người phản ánh không bổ sung thông tin", at: Fx.at(2026, 12, 9, 9))
        #expect(PetitionIndexFacts.of(rejected, deadlines: Self.deadlines, calendar: cal).stepsOnTime)
        let answered = try asked.applying(.supplement, text: "Mã 0001", at: Fx.at(2026, 11, 26, 9))
        #expect(answered.allowedActions == [.reject, .answer])
        #expect(throws: Petition.RuleError.self) { try answered.applying(.requestSupplement, text: "Lần hai", at: Fx.at(2026, 11, 27, 9)) }
    }

    @Test("5.3: more dislikes than likes, or a complaint about the handling, is not satisfactory; a tie is")
    func satisfaction() throws {
        let cal = try Fx.realCalendar()
        var p = try Self.petition(at: Fx.at(2026, 11, 23, 9)).applying(.answer, text: "Trả lời", at: Fx.at(2026, 11, 24, 9))
            .applying(.publish, text: nil, at: Fx.at(2026, 11, 24, 10))
        let t = Fx.at(2026, 12, 1, 9)
        p.likes = 1
        p.dislikes = 1
        #expect(PetitionIndexFacts.of(p, deadlines: Self.deadlines, calendar: cal).satisfactory(at: t))
        p.dislikes = 2
        #expect(!PetitionIndexFacts.of(p, deadlines: Self.deadlines, calendar: cal).satisfactory(at: t))
        p.dislikes = 0
        p.recomplained = true
        let f = PetitionIndexFacts.of(p, deadlines: Self.deadlines, calendar: cal)
        #expect(f.onTime(at: t) && !f.satisfactory(at: t))
    }

    @Test("steps follow the status; texts are required where the law asks for a reason or an answer")
    func rules() throws {
        let p = Self.petition(at: Fx.at(2026, 11, 23, 9))
        #expect(throws: Petition.RuleError.self) { try p.applying(.publish, text: nil, at: Fx.at(2026, 11, 24, 9)) }
        #expect(throws: Petition.RuleError.invalidInput(field: "text", message: "the answer is required")) {
            try p.applying(.answer, text: "   ", at: Fx.at(2026, 11, 24, 9))
        }
        #expect(throws: Petition.RuleError.self) { try p.applying(.supplement, text: "x", at: Fx.at(2026, 11, 24, 9)) }
        var bad = p
        bad.petitioner.phone = "12"
        #expect(bad.problem?.field == "petitioner.phone")
        bad = p
        bad.petitionClass = .conduct
        #expect(bad.problem?.field == "official")
        #expect(Petition.code(unit: "000.20.03.H99", day: Fx.day(2026, 11, 23), sequence: 7) == "PAKN-000.20.03.H99-261123-0007")
    }

    @Test("the methodology refuses a deadline under one working day")
    func deadlineCheck() throws {
        var m = IndexMethodology(id: "t", version: "1", name: "t", groups: [], bands: [])
        m.petitionDeadlines = PetitionDeadlines(reject: 0)
        #expect(throws: IndexMethodologyError.self) { try m.validate() }
    }
}
