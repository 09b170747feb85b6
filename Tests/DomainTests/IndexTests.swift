// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import Domain

/// The service-quality index (Decision 766, DOMAIN.md §1): point conversion, the on-time rule
/// and its edge cases, periods, and the methodology file's checks.
@Suite("766 index")
struct IndexTests {
    // MARK: Point conversion

    @Test("ratios are percentages rounded to 2 decimals; a zero denominator has no ratio")
    func ratios() {
        #expect(IndexScoring.ratio(IndexCount(2, of: 3)) == 66.67)
        #expect(IndexScoring.ratio(IndexCount(0, of: 5)) == 0)
        #expect(IndexScoring.ratio(IndexCount(5, of: 5)) == 100)
        #expect(IndexScoring.ratio(IndexCount(0, of: 0)) == nil)
    }

    @Test("score = ceiling at or above the threshold, proportional below it; ratio × ceiling without one")
    func points() {
        // 3.3: T = 50 %, P = 6: 40 % online scores 6 × 40/50 = 4.8; 50 % and above score 6.
        #expect(IndexScoring.points(ratio: 40, ceiling: 6, threshold: 50) == 4.8)
        #expect(IndexScoring.points(ratio: 50, ceiling: 6, threshold: 50) == 6)
        #expect(IndexScoring.points(ratio: 93, ceiling: 6, threshold: 50) == 6)
        // 2.1 has no threshold: the seeds' 93.08 % on time is 18.62 of 20.
        #expect(IndexScoring.points(ratio: 93.08, ceiling: 20, threshold: nil) == 18.62)
        #expect(IndexScoring.points(ratio: 0, ceiling: 20, threshold: nil) == 0)
        // 4.3: observed min(2, 2R/80).
        #expect(IndexScoring.points(ratio: 40, ceiling: 2, threshold: 80) == 1)
    }

    @Test("online payment: 6·A + min(2, 2.5·B) + 2.5·C")
    func payment() {
        #expect(IndexScoring.payment(a: 1, b: 1, c: 0.8) == 10)
        #expect(IndexScoring.payment(a: 0.5, b: 0.4, c: 0.2) == 4.5)
    }

    static let methodology = IndexMethodology(
        id: "t", version: "1", name: "test",
        groups: [
            IndexGroup(
                id: "a", name: "A", nameEn: "A", ceiling: 12,
                indicators: [
                    IndexIndicator(id: "1.4", name: "sync", nameEn: "sync", ceiling: 6, measure: .synced),
                    IndexIndicator(id: "3.3", name: "online", nameEn: "online", ceiling: 6, threshold: 50, measure: .onlineDossiers, multiplyByRatioOf: "1.4"),
                ]),
            IndexGroup(
                id: "b", name: "B", nameEn: "B", ceiling: 14,
                indicators: [
                    IndexIndicator(id: "2.1", name: "on time", nameEn: "on time", ceiling: 8, measure: .onTime),
                    IndexIndicator(id: "5.2", name: "petitions", nameEn: "petitions", ceiling: 6, measure: .petitionsOnTime, whenEmpty: .full),
                ]),
        ], bands: [IndexBand(name: "Tốt", nameEn: "Good", from: 80), IndexBand(name: "Yếu", nameEn: "Weak", from: 0)])

    @Test("3.3 is multiplied by the sync coefficient of 1.4; groups add what has data")
    func scoring() {
        let s = IndexScoring.score(Self.methodology, counts: [.synced: IndexCount(80, of: 100), .onlineDossiers: IndexCount(40, of: 100), .onTime: IndexCount(9, of: 10)])
        let a = s.groups[0]
        #expect(a.indicators[0].score == 4.8)  // 80 % of 6
        #expect(a.indicators[1].ratio == 32)  // 40 % × 0.8
        #expect(a.indicators[1].score == 3.84)  // 6 × 32/50
        #expect(a.score == 8.64)
        let b = s.groups[1]
        #expect(b.indicators[0].score == 7.2)
        // No petition input at all: no data, left out of the total and of the ceiling with data.
        #expect(b.indicators[1].score == nil && b.ceilingWithData == 8)
        #expect(s.total == 15.84 && s.ceiling == 26 && s.ceilingWithData == 20)
    }

    @Test("a zero denominator: no data, zero or the whole ceiling, as the indicator says")
    func zeroDenominators() {
        let s = IndexScoring.score(
            Self.methodology, counts: [.synced: IndexCount(0, of: 0), .onlineDossiers: IndexCount(0, of: 0), .onTime: IndexCount(0, of: 0), .petitionsOnTime: IndexCount(0, of: 0)])
        #expect(s.groups[0].indicators.allSatisfy { $0.score == nil })
        #expect(s.groups[1].indicators[0].score == nil)
        #expect(s.groups[1].indicators[1].score == 6, "5.2: full points when there are no petitions")
        #expect(s.total == 6)
    }

    @Test("what-if: how many dossiers must turn good to reach a target")
    func whatIf() {
        let onTime = IndexIndicator(id: "2.1", name: "", nameEn: "", ceiling: 20, measure: .onTime)
        // 90 of 100 on time = 18 points; 19 points needs 95 %.
        #expect(IndexScoring.needed(for: 19, on: onTime, count: IndexCount(90, of: 100)) == 5)
        #expect(IndexScoring.needed(for: 18, on: onTime, count: IndexCount(90, of: 100)) == 0)
        #expect(IndexScoring.needed(for: 21, on: onTime, count: IndexCount(90, of: 100)) == nil)
        let online = IndexIndicator(id: "3.3", name: "", nameEn: "", ceiling: 6, threshold: 50, measure: .onlineDossiers)
        // Full points at 50 %: 30 of 100 online needs 20 more.
        #expect(IndexScoring.needed(for: 6, on: online, count: IndexCount(30, of: 100)) == 20)
    }

    // MARK: What a dossier contributes

    static func handled(
        due: Date = Fx.at(2026, 3, 16, 10), finished: Date? = Fx.at(2026, 3, 13, 9), supplements: Int = 0, status: DossierStatus = .processed,
        channel: Channel = .window
    ) -> Dossier {
        var d = Fx.dossier(status: status, channel: channel)
        d.dueAt = due
        d.finishedAt = finished
        d.supplementCount = supplements
        return d
    }

    @Test("ended on or before the due date is on time; after it is late")
    func onTime() throws {
        let early = try #require(DossierIndexEntry.of(Self.handled(), inputs: .init()))
        #expect(early.facts.isSuperset(of: [.received, .ended, .endedOnTime]) && early.openDueAt == nil)
        #expect(early.period == .month(2026, 3) && early.unit == Fx.justice.code)
        let exactly = try #require(DossierIndexEntry.of(Self.handled(finished: Fx.at(2026, 3, 16, 10)), inputs: .init()))
        #expect(exactly.facts.contains(.endedOnTime))
        let late = try #require(DossierIndexEntry.of(Self.handled(finished: Fx.at(2026, 3, 16, 10, 1)), inputs: .init()))
        #expect(late.facts.contains(.ended) && !late.facts.contains(.endedOnTime))
    }

    @Test("more than one supplement request is late whatever the dates; one is not")
    func supplements() throws {
        let once = try #require(DossierIndexEntry.of(Self.handled(supplements: 1), inputs: .init()))
        #expect(once.facts.contains(.endedOnTime) && !once.facts.contains(.repeatedSupplement))
        let twice = try #require(DossierIndexEntry.of(Self.handled(supplements: 2), inputs: .init()))
        #expect(!twice.facts.contains(.endedOnTime) && twice.facts.contains(.repeatedSupplement))
        // Still open after two requests: late from the day it was received.
        var open = Self.handled(finished: nil, supplements: 2, status: .processing)
        open.pausedAt = nil
        let openTwice = try #require(DossierIndexEntry.of(open, inputs: .init()))
        #expect(openTwice.facts.contains(.open) && openTwice.openDueAt == open.receivedAt)
    }

    @Test("an open supplement request counts as the end; the applicant's time is not counted against the unit")
    func openSupplement() throws {
        // Paused on 3/3 10:00, due 16/3: ended on time at the request, not open.
        let d = Fx.dossier(status: .supplementRequested, channel: .window)
        let e = try #require(DossierIndexEntry.of(d, inputs: .init()))
        #expect(e.facts.isSuperset(of: [.ended, .endedOnTime]) && !e.facts.contains(.open))
        // After the answer the due date moved by the time the applicant took (the lifecycle
        // does that); finishing before the moved date is on time.
        let answered = Self.handled(due: Fx.at(2026, 3, 20, 10), finished: Fx.at(2026, 3, 19, 9), supplements: 1)
        #expect(DossierIndexEntry.of(answered, inputs: .init())?.facts.contains(.endedOnTime) == true)
    }

    @Test("open dossiers carry their due date: late is decided when the index is read")
    func open() throws {
        var d = Self.handled(finished: nil, status: .processing)
        d.pausedAt = nil
        let e = try #require(DossierIndexEntry.of(d, inputs: .init()))
        #expect(e.facts.contains(.open) && !e.facts.contains(.ended) && e.openDueAt == d.dueAt)
        // Waiting for a payment asked for in time: the clock is stopped, not late meanwhile;
        // asked for after the due date had passed, it stays late.
        var paying = d
        paying.status = .paymentRequested
        paying.pausedAt = d.dueAt!.addingTimeInterval(-3600)
        paying.pauseKind = .payment
        #expect(try #require(DossierIndexEntry.of(paying, inputs: .init())).openDueAt == nil)
        paying.pausedAt = d.dueAt!.addingTimeInterval(3600)
        #expect(try #require(DossierIndexEntry.of(paying, inputs: .init())).openDueAt == d.dueAt)
        // A withdrawal also ends processing.
        let w = try #require(DossierIndexEntry.of(Self.handled(status: .withdrawn), inputs: .init()))
        #expect(w.facts.contains(.ended))
    }

    @Test("not received yet: not counted")
    func notReceived() {
        #expect(DossierIndexEntry.of(Fx.dossier(status: .registered), inputs: .init()) == nil)
    }

    @Test("online counts only with an electronic result when the procedure issues a written one")
    func online() throws {
        let d = Self.handled(channel: .online)
        let without = try #require(DossierIndexEntry.of(d, inputs: .init(resultRequired: true)))
        #expect(without.facts.isSuperset(of: [.online, .resultRequired]) && !without.facts.contains(.onlineCounted))
        let with = try #require(DossierIndexEntry.of(d, inputs: .init(electronicResult: true, resultRequired: true)))
        #expect(with.facts.isSuperset(of: [.onlineCounted, .electronicResult]))
        let noResultNeeded = try #require(DossierIndexEntry.of(d, inputs: .init()))
        #expect(noResultNeeded.facts.contains(.onlineCounted) && !noResultNeeded.facts.contains(.electronicResult))
    }

    @Test("digitized means every component passed QC, and the result when one is required")
    func digitized() throws {
        let d = Self.handled()
        #expect(DossierIndexEntry.of(d, inputs: .init(components: 3, digitizedComponents: 3))?.facts.contains(.digitized) == true)
        #expect(DossierIndexEntry.of(d, inputs: .init(components: 3, digitizedComponents: 2))?.facts.contains(.digitized) == false)
        #expect(DossierIndexEntry.of(d, inputs: .init(components: 0))?.facts.contains(.digitized) == false)
        #expect(DossierIndexEntry.of(d, inputs: .init(components: 2, digitizedComponents: 2, resultRequired: true))?.facts.contains(.digitized) == false)
        let failed = DossierIndexEntry.of(d, inputs: .init(components: 2, digitizedComponents: 1, failedComponents: 1))
        #expect(failed?.facts.contains(.failedDigitization) == true)
        let rule = try #require(IndexLossRule.of(.digitized))
        #expect(rule.reason(failed!.facts, measure: .digitized) == .failedDigitization)
    }

    @Test("the drill-down reason of a late dossier says why")
    func reasons() throws {
        let rule = try #require(IndexLossRule.of(.onTime))
        #expect(rule.openLate && rule.among == .ended && rule.lacking == .endedOnTime)
        #expect(rule.reason([.received, .ended, .repeatedSupplement], measure: .onTime) == .repeatedSupplement)
        #expect(rule.reason([.received, .open], measure: .onTime) == .overdueOpen)
        #expect(rule.reason([.received, .ended], measure: .onTime) == .late)
        #expect(IndexLossRule.of(.petitionsOnTime) == nil)
        #expect(LossReason.allCases.allSatisfy { !$0.vietnamese.isEmpty && !$0.english.isEmpty })
    }

    @Test("facts keep their stored bits")
    func bits() {
        #expect(DossierFacts.all.count == 20)
        for (i, f) in DossierFacts.all.enumerated() { #expect(f.fact.rawValue == 1 << i, "\(f.name)") }
        #expect(DossierFacts([.received, .open]).bits == [0, 4])
        #expect(DossierFacts.named("synced") == .synced)
    }

    // MARK: Periods

    @Test("periods: month, quarter, year, in Vietnam time")
    func periods() throws {
        let q = try #require(IndexPeriod("2026-Q4"))
        #expect(q.months == [.month(2026, 10), .month(2026, 11), .month(2026, 12)])
        #expect(q.bounds.start == Fx.at(2026, 10, 1, 0) && q.bounds.end == Fx.at(2027, 1, 1, 0))
        #expect(IndexPeriod("2026-11")?.description == "2026-11" && IndexPeriod("2026")?.months.count == 12)
        #expect(IndexPeriod("2026-11")?.previous == .month(2026, 10) && IndexPeriod("2026-01")?.previous == .month(2025, 12))
        for bad in ["2026-13", "2026-Q5", "26-11", "2026-1", "x", "2026-11-01", ""] { #expect(IndexPeriod(bad) == nil, "\(bad)") }
        // 23:30 on 31 October in Vietnam is still October, though it is 16:30 UTC.
        #expect(IndexPeriod.month(of: Fx.at(2026, 10, 31, 23, 30)) == .month(2026, 10))
        #expect(IndexPeriod.month(of: Fx.at(2026, 11, 1, 0, 0)) == .month(2026, 11))
    }

    // MARK: Methodology files

    @Test("a methodology whose indicators do not add up to the group is refused, naming it")
    func validation() throws {
        var m = Self.methodology
        m.groups[0].indicators[0].ceiling = 5
        #expect(throws: IndexMethodologyError.self) { try m.validate() }
        var bad = Self.methodology
        bad.groups[0].indicators[1].multiplyByRatioOf = "9.9"
        #expect((try? bad.validate()) == nil)
        #expect(throws: IndexMethodologyError.self) { try IndexMethodology.decode(Data("{}".utf8)) }
    }

    @Test("a province profile sets targets and changes uncertain ceilings, checked as a whole")
    func profile() throws {
        let p = try IndexProfile.decode(
            Data(#"{"format":"motcua-index-profile/1","name":"Sơn Hà 2026","total":89,"groups":{"a":11},"indicators":{"1.4":{"ceiling":4},"3.3":{"ceiling":8,"threshold":60}}}"#.utf8))
        let m = try p.applied(to: Self.methodology)
        #expect(m.indicator("3.3")?.threshold == 60 && m.indicator("1.4")?.ceiling == 4)
        #expect(p.total == 89 && p.groups?["a"] == 11)
        // Moving points out of a group without putting them back elsewhere in it is refused.
        let broken = try IndexProfile.decode(Data(#"{"format":"motcua-index-profile/1","name":"x","indicators":{"1.4":{"ceiling":2}}}"#.utf8))
        #expect(throws: IndexMethodologyError.self) { try broken.applied(to: Self.methodology) }
        let unknown = try IndexProfile.decode(Data(#"{"format":"motcua-index-profile/1","name":"x","groups":{"nope":3}}"#.utf8))
        #expect(throws: IndexMethodologyError.self) { try unknown.applied(to: Self.methodology) }
    }
}

extension IndexTests {
    @Test("group 3b scores 6·A + min(2, 2.5·B) + 2.5·C from its three counts, at most its ceiling; no fee-bearing dossier is no data")
    func paymentGroup() {
        let m = IndexMethodology(
            id: "t", version: "1", name: "t",
            groups: [
                IndexGroup(
                    id: "pay", name: "pay", nameEn: "pay", ceiling: 10,
                    indicators: [IndexIndicator(id: "3.5-3.6", name: "p", nameEn: "p", ceiling: 10, formula: .payment, measure: .onlinePayment)])
            ], bands: [])
        var s = IndexScoring.score(m, counts: [.onlinePayment: IndexCount(1, of: 2), .onlinePaymentProcedures: IndexCount(1, of: 4), .feeDataProcedures: IndexCount(2, of: 4)])
        // 6 × 0.5 + min(2, 2.5 × 0.25) + 2.5 × 0.5 = 3 + 0.625 + 1.25
        #expect(s.groups[0].indicators[0].score == 4.88)
        s = IndexScoring.score(m, counts: [.onlinePayment: IndexCount(4, of: 4), .onlinePaymentProcedures: IndexCount(4, of: 4), .feeDataProcedures: IndexCount(4, of: 4)])
        #expect(s.groups[0].indicators[0].score == 10, "6 + 2 + 2.5 is capped at the ceiling")
        s = IndexScoring.score(m, counts: [.onlinePayment: IndexCount(0, of: 0)])
        #expect(s.groups[0].indicators[0].score == nil)
        var d = Self.handled(channel: .online)
        d.fee = 5000
        #expect(!DossierIndexEntry.of(d, inputs: .init())!.facts.contains(.paidOnline))
        d.paidAt = d.receivedAt
        #expect(DossierIndexEntry.of(d, inputs: .init())!.facts.isSuperset(of: [.feeBearing, .paidOnline]))
    }
}
