// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How the service-quality index is computed, as data: groups, indicators, ceilings,
/// thresholds and what each ratio counts. The shipped profile is Decision 766 as DOMAIN.md §1
/// describes it (`Resources/index/766.json`); a province adds its own targets, or changes what
/// is marked uncertain, in a profile file without code (``IndexProfile``).
public struct IndexMethodology: Codable, Sendable, Hashable {
    public var format: String
    public var id: String
    /// The version of the rules (the date of the formula document it follows).
    public var version: String
    public var name: String
    public var groups: [IndexGroup]
    /// Rating bands, highest first. [U] Trackers' labels; the cut-offs are a guess.
    public var bands: [IndexBand]
    /// The time limits of petitions (5.2); the legal ones when the file leaves them out.
    public var petitionDeadlines: PetitionDeadlines?

    public static let formatName = "motcua-index/1"

    public var petitionLimits: PetitionDeadlines { petitionDeadlines ?? PetitionDeadlines() }

    public init(format: String = IndexMethodology.formatName, id: String, version: String, name: String, groups: [IndexGroup], bands: [IndexBand]) {
        self.format = format
        self.id = id
        self.version = version
        self.name = name
        self.groups = groups
        self.bands = bands
    }

    public var ceiling: Double { groups.reduce(0) { $0 + $1.ceiling } }

    public func indicator(_ id: String) -> IndexIndicator? { groups.lazy.flatMap(\.indicators).first { $0.id == id } }

    /// Decodes and checks a methodology file; the error names the group or indicator at fault.
    public static func decode(_ data: Data) throws -> IndexMethodology {
        let m: IndexMethodology
        do { m = try JSONDecoder().decode(IndexMethodology.self, from: data) } catch {
            throw IndexMethodologyError("not a valid methodology file: \(error)")
        }
        try m.validate()
        return m
    }

    public func validate() throws {
        guard format == Self.formatName else { throw IndexMethodologyError("format must be \(Self.formatName), not \(format)") }
        if let d = petitionDeadlines, [d.reject, d.requestSupplement, d.handle, d.publish].contains(where: { $0 < 1 }) {
            throw IndexMethodologyError("petitionDeadlines: every limit is at least one working day")
        }
        var seen: Set<String> = []
        for g in groups {
            guard !g.indicators.isEmpty else { throw IndexMethodologyError("group \(g.id) has no indicators") }
            let sum = g.indicators.reduce(0) { $0 + $1.ceiling }
            guard abs(sum - g.ceiling) < 0.001 else {
                throw IndexMethodologyError("group \(g.id): its indicators' ceilings add up to \(sum), not the group's \(g.ceiling)")
            }
            for i in g.indicators {
                guard seen.insert(i.id).inserted else { throw IndexMethodologyError("indicator \(i.id) appears twice") }
                guard i.ceiling >= 0 else { throw IndexMethodologyError("indicator \(i.id): ceiling must be 0 or more") }
                if let t = i.threshold, !(t > 0 && t <= 100) { throw IndexMethodologyError("indicator \(i.id): threshold must be a percentage above 0") }
                if i.formula == .ratio, i.measure == nil { throw IndexMethodologyError("indicator \(i.id): a ratio needs a measure") }
            }
        }
        for g in groups {
            for i in g.indicators {
                if let other = i.multiplyByRatioOf, indicator(other) == nil {
                    throw IndexMethodologyError("indicator \(i.id): multiplyByRatioOf names \(other), which is not an indicator")
                }
            }
        }
    }
}

public struct IndexMethodologyError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}

public struct IndexGroup: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var nameEn: String
    public var ceiling: Double
    public var indicators: [IndexIndicator]
}

public struct IndexIndicator: Codable, Sendable, Hashable {
    public enum Formula: String, Codable, Sendable {
        /// score = ceiling × min(1, ratio ÷ threshold); without a threshold, ceiling × ratio.
        case ratio
        /// Group 3b: 6·A + min(2, 2.5·B) + 2.5·C over three payment ratios.
        case payment
        /// Shown, never scored (5.1 by classification, 2.2 average time).
        case display
    }

    /// What a zero denominator scores.
    public enum WhenEmpty: String, Codable, Sendable {
        /// "No data": left out of the total and said so (the usual case).
        case noData
        case zero
        /// The whole ceiling (5.2 and 5.3 with no petitions).
        case full
    }

    public var id: String
    /// The portal's metric code, where known.
    public var code: String?
    public var name: String
    public var nameEn: String
    public var ceiling: Double
    /// Percent; below it the score is proportional, at or above it the ceiling.
    public var threshold: Double?
    public var formula: Formula
    /// What the ratio counts (see ``IndexMeasure``): numerator over denominator.
    public var measure: IndexMeasure?
    public var whenEmpty: WhenEmpty
    /// 3.3: the ratio is multiplied by another indicator's ratio (the sync coefficient of 1.4).
    public var multiplyByRatioOf: String?
    /// Marked [U]/[R] in DOMAIN.md: configurable and labelled so on screen.
    public var uncertain: Bool
    public var note: String?

    public init(
        id: String, code: String? = nil, name: String, nameEn: String, ceiling: Double, threshold: Double? = nil, formula: Formula = .ratio,
        measure: IndexMeasure?, whenEmpty: WhenEmpty = .noData, multiplyByRatioOf: String? = nil, uncertain: Bool = false, note: String? = nil
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.nameEn = nameEn
        self.ceiling = ceiling
        self.threshold = threshold
        self.formula = formula
        self.measure = measure
        self.whenEmpty = whenEmpty
        self.multiplyByRatioOf = multiplyByRatioOf
        self.uncertain = uncertain
        self.note = note
    }
}

/// The counts an indicator's ratio is made of. Each names something MotCua counts, or says
/// that MotCua does not hold the input yet (then the indicator shows "no data").
public enum IndexMeasure: String, Codable, Sendable, CaseIterable {
    /// 1.4: dossiers the portal holds ÷ dossiers received.
    case synced
    /// 2.1: dossiers ended on time or still within their deadline ÷ received.
    case onTime
    /// 3.1: procedures offering online service (partial or full) ÷ procedures within competence.
    case proceduresOnline
    /// 3.2: online procedures with at least one online dossier ÷ online procedures.
    case onlineProceduresUsed
    /// 3.3: online dossiers (with an electronic result when one is required) ÷ received.
    case onlineDossiers
    /// 4.1: dossiers with an electronic result ÷ dossiers whose procedure calls for a written result.
    case electronicResults
    /// 4.2: dossiers with every component digitized (and the result, when required) ÷ received.
    case digitized
    /// 4.3: dossiers reusing data the state holds ÷ received.
    case reused
    /// 4.4: dossiers with a document from the personal data warehouse ÷ received.
    case fromWarehouse
    /// 4.5b: dossiers connected to the population database ÷ received.
    case populationConnected
    /// 4.5a: procedures for individuals with at least one such dossier ÷ procedures for individuals.
    case proceduresPopulationConnected
    /// 3.6 (A of group 3b): fee-bearing dossiers paid online ÷ fee-bearing dossiers received.
    case onlinePayment
    /// B of group 3b: fee-bearing procedures with at least one online payment ÷ fee-bearing procedures.
    case onlinePaymentProcedures
    /// 3.5 (C of group 3b): fee-bearing procedures whose synced dossiers carry their fees ÷ fee-bearing procedures.
    case feeDataProcedures
    /// 5.1 (shown), 5.2, 5.3: petitions received in the period, by class / on time / satisfactory.
    case petitionsByClass, petitionsOnTime, petitionSatisfaction
    /// 5.4: dossiers neither late nor rated badly nor petitioned ÷ received.
    case handlingSatisfaction
    // Inputs MotCua does not hold yet: "no data" until later work fills them.
    case publishedOnTime, publicUpdateOnTime, contentComplete, electronicCertifiedCopies, averageHandlingTime
}

/// A rating band: from this total upwards.
public struct IndexBand: Codable, Sendable, Hashable {
    public var name: String
    public var nameEn: String
    public var from: Double
}

/// A province's own profile, on top of the methodology: targets (e.g. "digitization ≥ 18/22",
/// "89/100 by year end"), and changes to what DOMAIN.md marks uncertain (ceilings of the online
/// group, thresholds, bands). Read from `MOTCUA_INDEX_PROFILE`.
public struct IndexProfile: Codable, Sendable, Hashable {
    public struct IndicatorChange: Codable, Sendable, Hashable {
        public var ceiling: Double?
        public var threshold: Double?
    }

    public var format: String
    public var name: String
    /// Target for the total.
    public var total: Double?
    /// Targets per group id.
    public var groups: [String: Double]?
    public var indicators: [String: IndicatorChange]?
    public var bands: [IndexBand]?
    /// Dossiers a year one official is expected to handle (the seeds: 1,600 in urban areas,
    /// 1,200 rural, 800 disadvantaged). [R] 1,600 when unset.
    public var throughputNorm: Double?

    public static let formatName = "motcua-index-profile/1"

    public static func decode(_ data: Data) throws -> IndexProfile {
        do { return try JSONDecoder().decode(IndexProfile.self, from: data) } catch {
            throw IndexMethodologyError("not a valid index profile: \(error)")
        }
    }

    /// The methodology with this profile's changes; checked again as a whole (a changed ceiling
    /// must be matched within its group).
    public func applied(to m: IndexMethodology) throws -> IndexMethodology {
        guard format == Self.formatName else { throw IndexMethodologyError("profile format must be \(Self.formatName), not \(format)") }
        var out = m
        for (id, change) in indicators ?? [:] {
            guard m.indicator(id) != nil else { throw IndexMethodologyError("profile: no indicator \(id) in \(m.id)") }
            for g in out.groups.indices {
                for i in out.groups[g].indicators.indices where out.groups[g].indicators[i].id == id {
                    if let c = change.ceiling { out.groups[g].indicators[i].ceiling = c }
                    if let t = change.threshold { out.groups[g].indicators[i].threshold = t }
                }
            }
        }
        for id in (groups ?? [:]).keys where !m.groups.contains(where: { $0.id == id }) {
            throw IndexMethodologyError("profile: no group \(id) in \(m.id)")
        }
        if let b = bands { out.bands = b.sorted { $0.from > $1.from } }
        try out.validate()
        return out
    }
}
