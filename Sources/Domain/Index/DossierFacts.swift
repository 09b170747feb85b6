// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What one received dossier contributes to the service-quality index (Decision 766), as
/// yes/no facts. Each is kept as a count per month, unit and procedure, changed in the same
/// transaction as the dossier (or its documents, result, sync state), so the index is always
/// current without scanning dossiers. Bits are stored: never renumber one.
public struct DossierFacts: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Received in the period (every counted dossier has it): the usual denominator.
    public static let received = DossierFacts(rawValue: 1 << 0)
    /// The portal holds the dossier (1.4; NgayTiepNhan in the period).
    public static let synced = DossierFacts(rawValue: 1 << 1)
    /// Handling ended: a terminal status, or one open supplement request (2.1).
    public static let ended = DossierFacts(rawValue: 1 << 2)
    /// Ended on or before the due date, with at most one supplement request (2.1).
    public static let endedOnTime = DossierFacts(rawValue: 1 << 3)
    /// Still being handled: on time until its due date passes (2.1, decided when asked).
    public static let open = DossierFacts(rawValue: 1 << 4)
    /// Filed online (KenhThucHien = 2).
    public static let online = DossierFacts(rawValue: 1 << 5)
    /// Online and, when the procedure issues a written result, with an electronic one (3.3).
    public static let onlineCounted = DossierFacts(rawValue: 1 << 6)
    /// The procedure calls for a written result (4.1 denominator).
    public static let resultRequired = DossierFacts(rawValue: 1 << 7)
    /// The written result the procedure calls for was issued electronically, valid, with its
    /// public link (4.1; and what makes an online dossier count in 3.3).
    public static let electronicResult = DossierFacts(rawValue: 1 << 8)
    /// Every component has a digitized file that passed QC, and the result is electronic when
    /// one is required (4.2).
    public static let digitized = DossierFacts(rawValue: 1 << 9)
    /// At least one component reused from data the state already holds (4.3).
    public static let reused = DossierFacts(rawValue: 1 << 10)
    /// At least one component taken from the personal data warehouse (4.4).
    public static let fromWarehouse = DossierFacts(rawValue: 1 << 11)
    /// The applicant was looked up in the population database for this dossier (4.5b).
    public static let populationConnected = DossierFacts(rawValue: 1 << 12)
    /// More than one supplement request: late whatever the dates say (2.1).
    public static let repeatedSupplement = DossierFacts(rawValue: 1 << 13)
    /// The procedure charges a fee (3.6 denominator).
    public static let feeBearing = DossierFacts(rawValue: 1 << 14)
    /// At least one component was digitized and failed QC (a reason shown in the drill-down).
    public static let failedDigitization = DossierFacts(rawValue: 1 << 15)
    /// The applicant rated the handling.
    public static let rated = DossierFacts(rawValue: 1 << 16)
    /// The applicant was not satisfied on at least one count (5.4).
    public static let dissatisfied = DossierFacts(rawValue: 1 << 17)
    /// Rated not satisfied, or a petition (PAKN) was filed about it: 5.4's "dossiers with a
    /// petition or a dislike", counted once.
    public static let complained = DossierFacts(rawValue: 1 << 18)
    /// Filed online and its fees paid (3.6: what the portal receives as DuocThanhToanTrucTuyen;
    /// [R] a payment recorded on an online dossier is taken as paid through the gateway).
    public static let paidOnline = DossierFacts(rawValue: 1 << 19)

    /// Every fact with its stored bit and a stable name (API, rebuild reports).
    public static let all: [(name: String, fact: DossierFacts)] = [
        ("received", .received), ("synced", .synced), ("ended", .ended), ("endedOnTime", .endedOnTime), ("open", .open),
        ("online", .online), ("onlineCounted", .onlineCounted), ("resultRequired", .resultRequired),
        ("electronicResult", .electronicResult), ("digitized", .digitized), ("reused", .reused), ("fromWarehouse", .fromWarehouse),
        ("populationConnected", .populationConnected), ("repeatedSupplement", .repeatedSupplement), ("feeBearing", .feeBearing),
        ("failedDigitization", .failedDigitization), ("rated", .rated), ("dissatisfied", .dissatisfied),
        ("complained", .complained), ("paidOnline", .paidOnline),
    ]

    /// The bit numbers set, for one counter row each.
    public var bits: [Int] { (0..<DossierFacts.all.count).filter { rawValue & (1 << $0) != 0 } }

    public static func named(_ name: String) -> DossierFacts? { all.first { $0.name == name }?.fact }
}

/// What the index needs to know about a dossier beyond the dossier itself: its documents, its
/// result, the portal and the population database. Read by Services from their tables.
public struct DossierIndexInputs: Sendable, Hashable {
    /// Components with a current file (latest version of each).
    public var components = 0
    /// Of those, digitized copies that passed QC.
    public var digitizedComponents = 0
    public var failedComponents = 0
    public var reusedComponents = 0
    public var warehouseComponents = 0
    public var electronicResult = false
    public var onPortal = false
    public var populationLookup = false
    /// The procedure version calls for a written result.
    public var resultRequired = false
    /// The applicant's rating, if any: satisfied on every count or not.
    public var satisfied: Bool?
    /// Petitions (PAKN) filed about the dossier.
    public var petitions = 0
    /// Who received it (the officer of the `receive` event) and who finished handling it.
    public var receivedBy: String?
    public var handledBy: String?

    public init(
        components: Int = 0, digitizedComponents: Int = 0, failedComponents: Int = 0, reusedComponents: Int = 0, warehouseComponents: Int = 0,
        electronicResult: Bool = false, onPortal: Bool = false, populationLookup: Bool = false, resultRequired: Bool = false, satisfied: Bool? = nil,
        petitions: Int = 0
    ) {
        self.satisfied = satisfied
        self.petitions = petitions
        self.components = components
        self.digitizedComponents = digitizedComponents
        self.failedComponents = failedComponents
        self.reusedComponents = reusedComponents
        self.warehouseComponents = warehouseComponents
        self.electronicResult = electronicResult
        self.onPortal = onPortal
        self.populationLookup = populationLookup
        self.resultRequired = resultRequired
    }
}

/// A dossier's place in the index: the month it was received in, the unit it counts for, its
/// procedure, its facts, and for an open one the due date that decides when it turns late.
public struct DossierIndexEntry: Sendable, Hashable {
    public let period: IndexPeriod
    /// The competent unit: it answers for the handling time. [R] The portal's attribution of a
    /// dossier to a unit is not published; this follows the unit the progress indicator blames.
    public let unit: String
    public let procedure: String
    public let facts: DossierFacts
    /// Set only while the dossier is open: after this instant it counts as late.
    public let openDueAt: Date?
    /// For the per-official figures: where and by whom it was received, who finished it.
    public let receivingUnit: String
    public let receivedBy: String?
    public let handledBy: String?

    public init(
        period: IndexPeriod, unit: String, procedure: String, facts: DossierFacts, openDueAt: Date?, receivingUnit: String, receivedBy: String? = nil,
        handledBy: String? = nil
    ) {
        self.period = period
        self.unit = unit
        self.procedure = procedure
        self.facts = facts
        self.openDueAt = openDueAt
        self.receivingUnit = receivingUnit
        self.receivedBy = receivedBy
        self.handledBy = handledBy
    }

    /// The entry of a dossier; nil until it is received (dossiers not received are not counted).
    public static func of(_ d: Dossier, inputs i: DossierIndexInputs) -> DossierIndexEntry? {
        guard let receivedAt = d.receivedAt else { return nil }
        var f: DossierFacts = [.received]
        if i.onPortal { f.insert(.synced) }
        // 2.1: the end is the first terminal state, or an open supplement request; more than
        // one supplement request is late whatever the dates (DOMAIN.md §1).
        let end: Date? = d.status.endsHandling ? (d.finishedAt ?? d.updatedAt) : (d.pauseKind == .supplement ? d.pausedAt : nil)
        if d.supplementCount > 1 { f.insert(.repeatedSupplement) }
        var openDueAt: Date?
        if let end {
            f.insert(.ended)
            if d.supplementCount <= 1, d.dueAt.map({ end <= $0 }) ?? true { f.insert(.endedOnTime) }
        } else {
            f.insert(.open)
            // [R] No due date (no legal time limit): never late while open, nor while the clock is
            // stopped for a payment asked for in time (the due date moves when it resumes).
            // Repeated supplement requests make it late from the start.
            let pausedInTime = d.pausedAt.map { paused in d.dueAt.map { $0 >= paused } ?? true } ?? false
            openDueAt = d.supplementCount > 1 ? receivedAt : pausedInTime ? nil : d.dueAt
        }
        if d.channel == .online {
            f.insert(.online)
            if !i.resultRequired || i.electronicResult { f.insert(.onlineCounted) }
        }
        if i.resultRequired { f.insert(.resultRequired) }
        if i.resultRequired, i.electronicResult { f.insert(.electronicResult) }
        if i.components > 0, i.digitizedComponents == i.components, !i.resultRequired || i.electronicResult { f.insert(.digitized) }
        if i.failedComponents > 0 { f.insert(.failedDigitization) }
        if i.reusedComponents > 0 { f.insert(.reused) }
        if i.warehouseComponents > 0 { f.insert(.fromWarehouse) }
        if i.populationLookup { f.insert(.populationConnected) }
        if d.fee > 0 { f.insert(.feeBearing) }
        if d.channel == .online, d.paidAt != nil { f.insert(.paidOnline) }
        if let ok = i.satisfied {
            f.insert(.rated)
            if !ok { f.insert(.dissatisfied) }
        }
        if f.contains(.dissatisfied) || i.petitions > 0 { f.insert(.complained) }
        return DossierIndexEntry(
            period: .month(of: receivedAt), unit: d.competentUnit, procedure: d.procedureCode, facts: f, openDueAt: openDueAt,
            receivingUnit: d.receivingUnit, receivedBy: i.receivedBy, handledBy: i.handledBy)
    }
}
