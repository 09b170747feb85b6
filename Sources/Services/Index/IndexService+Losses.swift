// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

extension IndexService {
    /// The dossiers of `unit` (and the units under it) that lose points on `indicator` in
    /// `period`, with the reason and who holds each one now; `limit` at a time after `after`.
    public func losses(unit: String, period: IndexPeriod, indicator: String, after: String? = nil, limit: Int = 100, by actor: Actor) async throws -> [Loss] {
        let units = try await app.catalog.unitsByCode()
        try authorize(unit, by: actor, units: units)
        let (m, _) = methodology
        guard let i = m.indicator(indicator) else {
            let ids = m.groups.flatMap(\.indicators).map(\.id).joined(separator: ", ")
            throw ServiceError.invalid(field: "indicator", message: "no indicator \(indicator); one of \(ids)")
        }
        guard (1...1000).contains(limit) else { throw ServiceError.invalid(field: "limit", message: "limit must be 1…1000") }
        let cutoff = min(app.clock.now(), period.bounds.end)
        if i.measure == .petitionsOnTime || i.measure == .petitionSatisfaction {
            return try await petitionLosses(
                units: Self.scope(unit, units: units), period: period, cutoff: cutoff, satisfaction: i.measure == .petitionSatisfaction, after: after, limit: limit)
        }
        guard let measure = i.measure, let rule = IndexLossRule.of(measure) else {
            throw ServiceError.invalid(field: "indicator", message: "indicator \(indicator) is not counted over dossiers; there is no list of dossiers behind it")
        }
        let scope = Self.scope(unit, units: units)
        let rows = try await app.reading { db in
            try await IndexStore.losses(
                months: period.months, units: scope, among: rule.among, lacking: rule.lacking, having: rule.having, lateAt: rule.openLate ? cutoff : nil,
                after: after, limit: limit, on: db)
        }
        return rows.map { r in
            let reason = rule.reason(r.facts, measure: measure)
            return Loss(
                code: r.code, reason: reason, reasonText: reason.vietnamese, unit: r.unit, procedureCode: r.procedureCode, status: r.status,
                handlingUnit: r.handlingUnit, assignee: r.assignee, receivedAt: r.receivedAt, dueAt: r.dueAt)
        }
    }

    /// 5.2 and 5.3 are counted over petitions: those late at the cutoff, and for 5.3 also those
    /// whose answer was disliked or complained about again.
    func petitionLosses(units: [String], period: IndexPeriod, cutoff: Date, satisfaction: Bool, after: String?, limit: Int) async throws -> [Loss] {
        let rows = try await app.reading { db in
            try await PetitionStore.losing(months: period.months, units: units, cutoff: cutoff, satisfaction: satisfaction, after: after, limit: limit, on: db)
        }
        let service = app.petitions
        return try rows.map { r in
            let p = try PetitionStore.petition(from: r)
            let s = service.deadlines.schedule(of: p, calendar: app.calendar)
            let f = PetitionIndexFacts.of(p, schedule: s)
            let reason: LossReason = !f.onTime(at: cutoff) ? .petitionLate : p.recomplained ? .petitionRecomplained : .petitionDisliked
            return Loss(
                code: p.code, reason: reason, reasonText: reason.vietnamese, unit: p.unit, procedureCode: "", status: 0, handlingUnit: p.unit,
                assignee: nil, receivedAt: p.receivedAt, dueAt: s.pending(p) ?? s.handleBy, kind: .petition)
        }
    }
}
