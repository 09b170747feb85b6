// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// The service-quality index (Decision 766), computed live from the aggregates: scores for a
/// unit (with the units under it) and a period, the ranking of units, and the dossiers that
/// cost points. Leaders see their own unit and what lies under it; administrators see all.
public struct IndexService: Sendable {
    let app: MotCua

    /// One unit's (or the province's) score for a period.
    public struct Report: Sendable, Codable {
        public let unit: String
        public let unitName: String
        public let period: String
        public let methodology: String
        public let score: IndexScore
        public let band: IndexBand?
        /// The province's targets, when its profile sets them.
        public let target: Double?
        public let groupTargets: [String: Double]
        /// Dossiers received in the period (the usual denominator).
        public let received: Int
    }

    /// A dossier (or, on 5.2 and 5.3, a petition) that costs points, with who can fix it now.
    public struct Loss: Sendable, Codable {
        public enum Kind: String, Sendable, Codable { case dossier, petition }
        public let code: String
        public let reason: LossReason
        public let reasonText: String
        public let unit: String
        public let procedureCode: String
        public let status: Int
        public let handlingUnit: String
        public let assignee: String?
        public let receivedAt: Date?
        public let dueAt: Date?
        public var kind: Kind = .dossier
    }

    // MARK: Methodology

    /// The shipped Decision 766 methodology.
    public static func bundledMethodology() throws -> IndexMethodology {
        try IndexMethodology.decode(try Data(contentsOf: try BundledData.url("766", "json", "index")))
    }

    /// The methodology in force: the shipped one with the province's profile applied
    /// (`MOTCUA_INDEX_PROFILE`); a broken profile stops the start with the reason.
    public static func methodology(_ config: AppConfig) throws -> (IndexMethodology, IndexProfile?) {
        let m = try bundledMethodology()
        guard let path = config.indexProfile else { return (m, nil) }
        let profile = try IndexProfile.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
        return (try profile.applied(to: m), profile)
    }

    var methodology: (IndexMethodology, IndexProfile?) { app.indexMethodology }
    public var methodologyInForce: IndexMethodology { app.indexMethodology.0 }

    // MARK: Scope

    /// The unit and every unit under it (the province: all of them).
    static func scope(_ code: String, units: [String: AdministrativeUnit]) -> [String] {
        var children: [String: [String]] = [:]
        for u in units.values { if let p = u.parentCode { children[p, default: []].append(u.code) } }
        var out: [String] = []
        var stack = [code]
        while let c = stack.popLast() {
            out.append(c)
            stack += children[c] ?? []
        }
        return out.sorted()
    }

    /// Leaders (and API clients with index:read) see their unit and what is under it;
    /// administrators see every unit.
    func authorize(_ unit: String, by actor: Actor, units: [String: AdministrativeUnit]) throws {
        guard units[unit] != nil else { throw ServiceError.invalid(field: "unit", message: "unknown unit \(unit)") }
        if actor.has(.admin) { return }
        guard actor.has(.leader) || actor.allows(.indexRead), let own = actor.unit, Self.scope(own, units: units).contains(unit) else {
            throw ServiceError.forbidden("the index of \(unit) is shown to its leaders, the province's leaders and administrators")
        }
    }

    public static func parsePeriod(_ text: String?) throws -> IndexPeriod {
        guard let text, let p = IndexPeriod(text) else {
            throw ServiceError.invalid(field: "period", message: "a period is YYYY-MM, YYYY-Qn or YYYY (got \(text ?? "nothing"))")
        }
        return p
    }

    // MARK: Scores

    /// The score of `unit` (and the units under it) for `period`.
    public func report(unit: String, period: IndexPeriod, by actor: Actor) async throws -> Report {
        let units = try await app.catalog.unitsByCode()
        try authorize(unit, by: actor, units: units)
        let scope = Self.scope(unit, units: units)
        let counts = try await measures(scope: [scope], period: period, units: units, procedures: try await app.catalog.allProcedures())
        return report(unit: unit, name: units[unit]?.name ?? unit, period: period, counts: counts[0])
    }

    /// Every competent unit under `unit` (departments, communes), each scored on its own, best first.
    public func ranking(unit: String, period: IndexPeriod, by actor: Actor) async throws -> [Report] {
        let units = try await app.catalog.unitsByCode()
        try authorize(unit, by: actor, units: units)
        let members = Self.scope(unit, units: units).filter { units[$0]?.kind == .department || units[$0]?.kind == .commune }
        let counts = try await measures(scope: members.map { [$0] }, period: period, units: units, procedures: try await app.catalog.allProcedures())
        return zip(members, counts).map { code, c in report(unit: code, name: units[code]?.name ?? code, period: period, counts: c) }
            .sorted { ($0.score.total, $1.unit) > ($1.score.total, $0.unit) }
    }

    func report(unit: String, name: String, period: IndexPeriod, counts: (measures: [IndexMeasure: IndexCount], received: Int)) -> Report {
        let (m, profile) = methodology
        let score = IndexScoring.score(m, counts: counts.measures)
        return Report(
            unit: unit, unitName: name, period: period.description, methodology: "\(m.id)@\(m.version)", score: score,
            band: IndexScoring.band(score.total, in: m), target: profile?.total, groupTargets: profile?.groups ?? [:], received: counts.received)
    }

    /// The counts of every measure MotCua holds, for each scope (a set of units), read from the
    /// aggregates: the counts, the open dossiers past their due date (two queries), the
    /// procedures with online, connected, paid and synced dossiers (one), and the petitions (one).
    func measures(
        scope scopes: [[String]], period: IndexPeriod, units: [String: AdministrativeUnit], procedures: [Procedure]
    ) async throws -> [(measures: [IndexMeasure: IndexCount], received: Int)] {
        let months = period.months
        let all = Array(Set(scopes.flatMap { $0 }))
        // Open dossiers are late once their due date is behind the end of the period, or now.
        let cutoff = min(app.clock.now(), period.bounds.end)
        // The dashboard's reads: on the standby when there is one.
        let (byUnit, late, byFact, petitions) = try await app.reading { db in
            (
                try await IndexStore.counts(months: months, units: all, on: db),
                try await IndexStore.lateOpen(months: months, units: all, cutoff: cutoff, on: db),
                try await IndexStore.procedures(with: [.online, .populationConnected, .paidOnline, .synced], months: months, units: all, on: db),
                try await PetitionStore.indexCounts(months: months, units: all, cutoff: cutoff, on: db)
            )
        }
        let (onlineUsed, connected, paidOnline, synced) = (byFact[.online] ?? [:], byFact[.populationConnected] ?? [:], byFact[.paidOnline] ?? [:], byFact[.synced] ?? [:])
        let day = VietnamTime.date(of: cutoff.addingTimeInterval(-1))  // the catalogue as it stood at the end
        return scopes.map { scope in
            func sum(_ fact: String) -> Int { scope.reduce(0) { $0 + (byUnit[$1]?[fact] ?? 0) } }
            let received = sum("received")
            let lateOpen = scope.reduce(0) { $0 + (late[$1] ?? 0) }
            var c: [IndexMeasure: IndexCount] = [
                .synced: IndexCount(sum("synced"), of: received),
                .onTime: IndexCount(sum("endedOnTime") + sum("open") - lateOpen, of: received),
                .onlineDossiers: IndexCount(sum("onlineCounted"), of: received),
                .electronicResults: IndexCount(sum("electronicResult"), of: sum("resultRequired")),
                .digitized: IndexCount(sum("digitized"), of: received),
                .reused: IndexCount(sum("reused"), of: received),
                .fromWarehouse: IndexCount(sum("fromWarehouse"), of: received),
                .populationConnected: IndexCount(sum("populationConnected"), of: received),
            ]
            // 5.4: 100 % − (overdue % + % with a petition or a dislike), as the portal adds the two shares.
            let late = sum("ended") - sum("endedOnTime") + lateOpen
            c[.handlingSatisfaction] = IndexCount(max(0, received - late - sum("complained")), of: received)
            // 5.1–5.3: petitions received in the period (5.2 and 5.3 score full without any).
            let p = scope.reduce(into: PetitionStore.Counts()) { acc, u in
                guard let x = petitions[u] else { return }
                acc.received += x.received
                acc.aboutProcedures += x.aboutProcedures
                acc.onTime += x.onTime
                acc.satisfactory += x.satisfactory
            }
            c[.petitionsByClass] = IndexCount(p.aboutProcedures, of: p.received)
            c[.petitionsOnTime] = IndexCount(p.onTime, of: p.received)
            c[.petitionSatisfaction] = IndexCount(p.satisfactory, of: p.received)
            // Catalogue-based: the procedures these units are competent for.
            let scopeUnits = scope.compactMap { units[$0] }
            let competent = procedures.filter { p in scopeUnits.contains { $0.isCompetent(for: p.authority) } }
            let online = competent.filter { ($0.version(on: day)?.onlineLevel ?? .none) != .none }
            c[.proceduresOnline] = IndexCount(online.count, of: competent.count)
            let used = scope.reduce(into: Set<String>()) { $0.formUnion(onlineUsed[$1] ?? []) }
            c[.onlineProceduresUsed] = IndexCount(online.filter { used.contains($0.code) }.count, of: online.count)
            let forIndividuals = competent.filter { $0.subjects.contains(.citizen) }
            let linked = scope.reduce(into: Set<String>()) { $0.formUnion(connected[$1] ?? []) }
            c[.proceduresPopulationConnected] = IndexCount(forIndividuals.filter { linked.contains($0.code) }.count, of: forIndividuals.count)
            // Group 3b: A over dossiers; B and C over the fee-bearing procedures of these units.
            c[.onlinePayment] = IndexCount(sum("paidOnline"), of: sum("feeBearing"))
            let feeBearing = competent.filter { ($0.version(on: day)?.totalFee ?? 0) > 0 }
            let paid = scope.reduce(into: Set<String>()) { $0.formUnion(paidOnline[$1] ?? []) }
            let withFees = scope.reduce(into: Set<String>()) { $0.formUnion(synced[$1] ?? []) }
            c[.onlinePaymentProcedures] = IndexCount(feeBearing.filter { paid.contains($0.code) }.count, of: feeBearing.count)
            c[.feeDataProcedures] = IndexCount(feeBearing.filter { withFees.contains($0.code) }.count, of: feeBearing.count)
            return (c, received)
        }
    }
}
