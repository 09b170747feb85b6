// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What is needed to open a dossier.
public struct IntakeRequest: Sendable, Hashable {
    public var procedureCode: String
    public var channel: Channel
    public var receivingUnit: String
    /// The competent unit, when the procedure leaves a choice (e.g. which commune).
    public var competentUnit: String?
    public var applicant: Applicant
    public var subject: String?
    /// The population-database look-up the officer made for this applicant (its id), so the
    /// dossier records that the applicant was verified there.
    public var populationLookupId: String?

    public init(
        procedureCode: String, channel: Channel, receivingUnit: String, competentUnit: String? = nil, applicant: Applicant, subject: String? = nil,
        populationLookupId: String? = nil
    ) {
        self.procedureCode = procedureCode
        self.channel = channel
        self.receivingUnit = receivingUnit
        self.competentUnit = competentUnit
        self.applicant = applicant
        self.subject = subject
        self.populationLookupId = populationLookupId
    }
}

/// Opening a dossier: online submission (status 1) or reception at the window or by post
/// (status 2, the clock starts at once). Non-territorial procedures may be received at any
/// reception point and are routed to the competent unit under the same code.
public enum DossierIntake {
    /// Checks the request against the catalog and the rules; returns the first dossier state and its event.
    /// `units` is the unit table; `code` was drawn from the receiving agency's daily sequence.
    public static func open(
        _ r: IntakeRequest, procedure: Procedure, units: [String: AdministrativeUnit], by actor: Actor, id: String, code: String,
        at now: Date, calendar: WorkingCalendar
    ) throws(LifecycleError) -> Transition {
        let today = VietnamTime.date(of: now)
        if let problem = PersonalID.validate(r.applicant.idNumber, currentYear: today.year), r.applicant.kind == .citizen {
            throw .invalidInput(field: "applicant.idNumber", message: "personal ID number \(problem.message)")
        }
        if r.applicant.fullName.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidInput(field: "applicant.fullName", message: "the applicant's full name is required")
        }
        if let phone = r.applicant.phone, !phone.isEmpty, !PhoneNumber.isValid(phone) {
            throw .invalidInput(field: "applicant.phone", message: "a phone number is 9–11 digits, optionally starting with +84")
        }
        guard let receiving = units[r.receivingUnit] else {
            throw .invalidInput(field: "receivingUnit", message: "unknown unit \(r.receivingUnit)")
        }
        guard receiving.receivesDossiers else {
            throw .invalidInput(field: "receivingUnit", message: "\(receiving.name) is not a reception point (centre, branch or commune)")
        }
        guard let version = procedure.version(on: today) else {
            throw .invalidInput(field: "procedureCode", message: "procedure \(procedure.code) has no version in force on \(today)")
        }
        // Who may open a dossier on which channel.
        switch r.channel {
        case .online:
            guard actor.has(.citizen) else {
                throw .forbidden(action: .receive, reason: "online submission is made by the applicant's own account")
            }
            guard actor.idNumber == r.applicant.idNumber else {
                throw .forbidden(action: .receive, reason: "a citizen files online only for themself (applicant.idNumber must be yours)")
            }
            guard version.onlineLevel != .none else {
                throw .invalidInput(field: "channel", message: "procedure \(procedure.code) is not offered online")
            }
        case .window, .post:
            // A postal service's system (an API client with dossiers:file) files what came by post.
            let filer = actor.has(.officer) || (r.channel == .post && actor.allows(.dossiersFile))
            guard filer, actor.unit == r.receivingUnit else {
                throw .forbidden(action: .receive, reason: "only a one-stop officer of \(r.receivingUnit) receives dossiers there (or, by post, a client with dossiers:file)")
            }
        }
        let competent = try competentUnit(for: r, procedure: procedure, receiving: receiving, units: units)
        let time = version.processingTime(for: r.channel)
        var d = Dossier(
            id: id, code: code, procedureCode: procedure.code, procedureVersion: version.version, processingTime: time,
            cutoffMinute: version.cutoffMinute, nonTerritorial: procedure.nonTerritorial, channel: r.channel, status: .registered,
            receivingUnit: receiving.code, competentUnit: competent.code, handlingUnit: receiving.code, applicant: normalized(r.applicant),
            ownerUsername: r.channel == .online ? actor.username : nil,
            subject: String((r.subject?.isEmpty == false ? r.subject! : procedure.name).prefix(1000)), submittedAt: now,
            fee: version.totalFee, version: 1, createdAt: now, updatedAt: now)
        var data: [String: String] = ["channel": r.channel.rawValue, "procedureVersion": String(version.version)]
        if competent.code != receiving.code { data["routedTo"] = competent.code }
        var effects: [Effect] = [.syncToPortal, .notifyApplicant]
        let action: String
        if r.channel == .online {
            action = "submit"
        } else {
            action = DossierAction.receive.rawValue
            d.status = .received
            d.receivedAt = now
            let due = calendar.dueDate(receivedAt: now, time: time, cutoffMinute: version.cutoffMinute)
            d.dueAt = due.dueAt
            data["dueAt"] = SharedFormat.iso(due.dueAt)
            effects.append(.startClock)
        }
        return Transition(before: nil, after: d, event: EventDraft(action: action, fromStatus: nil, toStatus: d.status, note: nil, data: data), effects: effects)
    }

    /// Finds the competent unit: the one named, else the receiving unit when competent, else the only competent unit.
    static func competentUnit(
        for r: IntakeRequest, procedure: Procedure, receiving: AdministrativeUnit, units: [String: AdministrativeUnit]
    ) throws(LifecycleError) -> AdministrativeUnit {
        if let named = r.competentUnit, !named.isEmpty {
            guard let u = units[named] else { throw .invalidInput(field: "competentUnit", message: "unknown unit \(named)") }
            guard u.isCompetent(for: procedure.authority) else {
                throw .invalidInput(field: "competentUnit", message: "\(u.name) is not competent for procedure \(procedure.code) (\(procedure.authority))")
            }
            try checkTerritory(procedure: procedure, receiving: receiving, competent: u)
            return u
        }
        if receiving.isCompetent(for: procedure.authority) { return receiving }
        let candidates = units.values.filter { $0.isCompetent(for: procedure.authority) }
        guard candidates.count == 1, let only = candidates.first else {
            if candidates.isEmpty {
                throw .invalidInput(field: "procedureCode", message: "no unit of this province is competent for \(procedure.code) (\(procedure.authority))")
            }
            throw .invalidInput(field: "competentUnit", message: "\(candidates.count) units are competent for \(procedure.code); say which one (agency code)")
        }
        try checkTerritory(procedure: procedure, receiving: receiving, competent: only)
        return only
    }

    /// A territorial procedure must be received by its competent unit, or for province-level
    /// procedures by the province's service centre or branches.
    static func checkTerritory(procedure: Procedure, receiving: AdministrativeUnit, competent: AdministrativeUnit) throws(LifecycleError) {
        if procedure.nonTerritorial || receiving.code == competent.code { return }
        if procedure.level == .province && (receiving.kind == .centre || receiving.kind == .branch) { return }
        throw .invalidInput(
            field: "receivingUnit",
            message: "procedure \(procedure.code) is territorial: file it at \(competent.name) (\(competent.code))")
    }

    static func normalized(_ a: Applicant) -> Applicant {
        var a = a
        a.fullName = a.fullName.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        a.address = a.address?.precomposedStringWithCanonicalMapping
        return a
    }
}
