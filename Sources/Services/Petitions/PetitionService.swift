// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// Petitions and feedback (phản ánh, kiến nghị): filed by citizens about a procedure, their
/// dossier or an official (or entered by an official who received one by phone or letter),
/// handled by the unit against the deadlines of the methodology (5.2), answered and published,
/// voted on (5.3). A petition about a dossier counts against that dossier on 5.4, in the same
/// transaction as the petition.
public struct PetitionService: Sendable {
    let app: MotCua

    /// Who is acting: an account, or (for the petitioner on a public page) the phone on file.
    public enum Proof: Sendable {
        case account(Actor)
        case phone(String)
    }

    public struct Request: Sendable, Decodable {
        public var petitionClass: PetitionClass
        public var dossierCode: String?
        public var official: String?
        /// Required when neither a dossier nor an official names the unit.
        public var unit: String?
        public var petitioner: Petitioner
        public var content: String
        /// The earlier petition this one complains about again.
        public var recomplaintOf: String?

        public init(
            petitionClass: PetitionClass, dossierCode: String? = nil, official: String? = nil, unit: String? = nil, petitioner: Petitioner, content: String,
            recomplaintOf: String? = nil
        ) {
            self.petitionClass = petitionClass
            self.dossierCode = dossierCode
            self.official = official
            self.unit = unit
            self.petitioner = petitioner
            self.content = content
            self.recomplaintOf = recomplaintOf
        }

        enum CodingKeys: String, CodingKey { case petitionClass = "class", dossierCode, official, unit, petitioner, content, recomplaintOf }
    }

    /// A petition as its reader may see it.
    public struct View: Sendable, Encodable {
        public let code: String
        public let unit: String
        public let petitionClass: PetitionClass
        public let dossierCode: String?
        public let official: String?
        /// Shown to the unit's officials and to the petitioner; nil on the public page.
        public let petitioner: Petitioner?
        public let content: String
        public let status: PetitionStatus
        public let statusText: String
        public let receivedAt: Date
        public let answer: String?
        public let answeredAt: Date?
        public let publishedAt: Date?
        public let likes: Int
        public let dislikes: Int
        public let recomplaintOf: String?
        public let recomplained: Bool
        public let deadlines: Deadlines
        /// On time so far, as of now (5.2).
        public let onTime: Bool
        public let version: Int
        public let allowedActions: [PetitionAction]
        public let events: [Event]?

        public struct Deadlines: Sendable, Encodable {
            public let rejectBy: Date
            public let requestSupplementBy: Date
            public let handleBy: Date
            public let publishBy: Date?
            /// The deadline the unit runs against now.
            public let pending: Date?
        }

        public struct Event: Sendable, Encodable {
            public let at: Date
            public let actor: String
            public let action: String
            public let text: String?
        }

        enum CodingKeys: String, CodingKey {
            case code, unit, petitionClass = "class", dossierCode, official, petitioner, content, status, statusText, receivedAt, answer, answeredAt,
                publishedAt, likes, dislikes, recomplaintOf, recomplained, deadlines, onTime, version, allowedActions, events
        }
    }

    var deadlines: PetitionDeadlines { app.indexMethodology.0.petitionLimits }

    func facts(_ p: Petition) -> PetitionIndexFacts { PetitionIndexFacts.of(p, deadlines: deadlines, calendar: app.calendar) }

    // MARK: Filing

    public func file(_ r: Request, proof: Proof) async throws -> View {
        let now = app.clock.now()
        let unitGiven = r.unit?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        var p = Petition(
            id: TimeOrderedID.make(at: now), code: "", unit: unitGiven ?? "", petitionClass: r.petitionClass, dossierCode: r.dossierCode?.trimmingCharacters(in: .whitespaces),
            official: r.official?.trimmingCharacters(in: .whitespaces).nilIfEmpty,
            petitioner: Petitioner(
                fullName: r.petitioner.fullName.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines),
                phone: r.petitioner.phone.trimmingCharacters(in: .whitespaces), email: r.petitioner.email?.trimmingCharacters(in: .whitespaces).nilIfEmpty),
            content: r.content.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines), receivedAt: now,
            recomplaintOf: r.recomplaintOf?.trimmingCharacters(in: .whitespaces).nilIfEmpty)
        if p.dossierCode?.isEmpty == true { p.dossierCode = nil }
        if let problem = p.problem { throw ServiceError.invalid(field: problem.field, message: problem.message) }
        let units = try await app.catalog.unitsByCode()
        let app = self.app
        let service = self
        let draft = p
        let stored: Petition = try await app.database.transaction { tx in
            var p = draft
            var dossier: (row: Row, dossier: Dossier, procedure: Procedure)?
            var earlier: Petition?
            if let code = p.recomplaintOf {
                guard let row = try await PetitionStore.lock(code: code, on: tx) else { throw ServiceError.invalid(field: "recomplaintOf", message: "no petition \(code)") }
                let e = try PetitionStore.petition(from: row)
                guard service.isPetitioner(proof, of: e) || service.mayHandle(e, proof: proof, units: units) else {
                    throw ServiceError.invalid(field: "recomplaintOf", message: "only the one who sent \(code) complains about its handling again")
                }
                guard [.rejected, .answered, .published].contains(e.status) else {
                    throw ServiceError.invalid(field: "recomplaintOf", message: "petition \(code) has not been answered yet (\(e.status.vietnamese))")
                }
                earlier = e
                if unitGiven == nil && p.dossierCode == nil && p.official == nil {
                    p.unit = e.unit
                    p.dossierCode = e.dossierCode
                    p.official = e.official
                }
            }
            if let code = p.dossierCode {
                guard let row = try await IndexAggregates.lockedRow(code: code, on: tx) else {
                    throw ServiceError.invalid(field: "dossierCode", message: "no dossier \(code)")
                }
                let (d, procedure) = try await DossierService.load(row, app: app)
                // Only the applicant (or an official who may read it) petitions about a dossier:
                // the petition costs the unit points on 5.4.
                switch proof {
                case .phone(let phone):
                    guard d.applicant.phoneMatches(phone), PhoneNumber.same(phone, p.petitioner.phone) else {
                        throw ServiceError.invalid(field: "dossierCode", message: "the phone number does not match the one given with dossier \(code)")
                    }
                case .account(let actor):
                    // A system reading its unit's dossiers (an API client) speaks for no applicant.
                    guard !actor.has(.client), DossierPolicy.canRead(d, by: actor) else { throw ServiceError.invalid(field: "dossierCode", message: "dossier \(code) is not yours") }
                }
                dossier = (row, d, procedure)
                if unitGiven == nil { p.unit = d.competentUnit }
            }
            if let official = p.official {
                guard let user = try await AccountStore.user(official, on: tx), user.actor.isOfficial else {
                    throw ServiceError.invalid(field: "official", message: "no official \(official)")
                }
                if unitGiven == nil && dossier == nil, let u = user.unit { p.unit = u }
            }
            guard units[p.unit] != nil else {
                throw ServiceError.invalid(field: "unit", message: p.unit.isEmpty ? "name the unit, the dossier or the official the petition is about" : "unknown unit \(p.unit)")
            }
            let day = VietnamTime.date(of: now)
            let seq = try await DossierStore.nextSequence(agency: "PAKN:" + p.unit, day: DossierCode.dayKey(day), on: tx)
            p.code = Petition.code(unit: p.unit, day: day, sequence: seq)
            try await PetitionStore.insert(p, dossierId: dossier?.dossier.id, facts: service.facts(p), on: tx)
            try await PetitionStore.addEvent(petitionId: p.id, seq: 1, at: now, actor: service.actorName(proof), action: "file", text: nil, on: tx)
            if var e = earlier, !e.recomplained {
                let before = e.version
                e.recomplained = true
                e.version += 1
                guard try await PetitionStore.update(e, expectedVersion: before, facts: service.facts(e), on: tx) else {
                    throw ServiceError.conflict(message: "petition \(e.code) changed meanwhile; try again", status: nil, allowedActions: [], currentVersion: nil)
                }
            }
            if let (row, d, procedure) = dossier {
                try await IndexAggregates.refresh(d, imported: IndexAggregates.isImported(row), procedure: procedure, app: app, on: tx)
            }
            return p
        }
        return try await view(stored, proof: proof, withEvents: false)
    }

    // MARK: Handling

    /// Takes a step. The petitioner supplements; the unit's officials reject, ask, answer; its
    /// leaders (or administrators) publish.
    public func act(code: String, action: PetitionAction, text: String?, expectedVersion: Int?, proof: Proof) async throws -> View {
        let now = app.clock.now()
        let units = try await app.catalog.unitsByCode()
        let service = self
        let updated: Petition = try await app.database.transaction { tx in
            guard let row = try await PetitionStore.lock(code: code, on: tx) else { throw ServiceError.notFound(what: "petition", key: code) }
            let p = try PetitionStore.petition(from: row)
            try service.authorize(action, on: p, proof: proof, units: units)
            if let v = expectedVersion, v != p.version {
                throw ServiceError.conflict(message: "petition \(code) is at version \(p.version), not \(v); reload it", status: nil, allowedActions: [], currentVersion: p.version)
            }
            let n: Petition
            switch Result(catching: { () throws(Petition.RuleError) -> Petition in try p.applying(action, text: text, at: now) }) {
            case .success(let next): n = next
            case .failure(.wrongStatus(let a, let status, let allowed)):
                throw ServiceError.conflict(
                    message: "petition \(code) is \(status.vietnamese): \(a.rawValue) is not possible (possible: \(allowed.map(\.rawValue).joined(separator: ", ")))",
                    status: nil, allowedActions: [], currentVersion: p.version)
            case .failure(.invalidInput(let field, let message)): throw ServiceError.invalid(field: field, message: message)
            }
            guard try await PetitionStore.update(n, expectedVersion: p.version, facts: service.facts(n), on: tx) else {
                throw ServiceError.conflict(message: "petition \(code) changed meanwhile; reload it", status: nil, allowedActions: [], currentVersion: nil)
            }
            let seq = try await PetitionStore.nextEventSeq(petitionId: p.id, on: tx)
            try await PetitionStore.addEvent(petitionId: p.id, seq: seq, at: now, actor: service.actorName(proof), action: action.rawValue, text: text, on: tx)
            return n
        }
        return try await view(updated, proof: proof, withEvents: true)
    }

    public enum Vote: String, Sendable, Codable { case like, dislike }

    /// A vote on a published answer: the petitioner (by phone) or a signed-in citizen, one each;
    /// voting again replaces the earlier vote.
    public func vote(code: String, _ vote: Vote, proof: Proof) async throws -> View {
        let now = app.clock.now()
        let service = self
        let updated: Petition = try await app.database.transaction { tx in
            guard let row = try await PetitionStore.lock(code: code, on: tx) else { throw ServiceError.notFound(what: "petition", key: code) }
            var p = try PetitionStore.petition(from: row)
            guard p.status == .published else {
                throw ServiceError.invalid(field: "vote", message: "petition \(code) is \(p.status.vietnamese); votes are taken on published answers")
            }
            let voter: String
            switch proof {
            case .phone(let phone):
                guard PhoneNumber.same(p.petitioner.phone, phone) else { throw ServiceError.notFound(what: "petition", key: code) }
                voter = "petitioner"  // only the petitioner's own phone passes the check above
            case .account(let actor):
                guard actor.has(.citizen) else { throw ServiceError.forbidden("votes on answers are the citizens'") }
                voter = "account:" + actor.username
            }
            let before = p.version
            switch try await PetitionStore.vote(petitionId: p.id, voter: voter, vote: vote.rawValue, at: now, on: tx) {
            case Vote.like.rawValue: p.likes -= 1
            case Vote.dislike.rawValue: p.dislikes -= 1
            default: break
            }
            if vote == .like { p.likes += 1 } else { p.dislikes += 1 }
            p.version += 1
            guard try await PetitionStore.update(p, expectedVersion: before, facts: service.facts(p), on: tx) else {
                throw ServiceError.conflict(message: "petition \(code) changed meanwhile; try again", status: nil, allowedActions: [], currentVersion: nil)
            }
            return p
        }
        return try await view(updated, proof: proof, withEvents: false)
    }

    // MARK: Reading

    /// One petition: its unit's officials and the petitioner see it all; anyone sees a
    /// published one without the petitioner's details.
    public func get(code: String, proof: Proof) async throws -> View {
        guard let row = try await PetitionStore.row(code: code, on: app.database) else { throw ServiceError.notFound(what: "petition", key: code) }
        let p = try PetitionStore.petition(from: row)
        let units = try await app.catalog.unitsByCode()
        guard isPetitioner(proof, of: p) || mayHandle(p, proof: proof, units: units) || p.status == .published else {
            throw ServiceError.notFound(what: "petition", key: code)
        }
        return try await view(p, proof: proof, withEvents: true)
    }

    /// The petitions of a unit and the units under it, oldest first (`open`: those awaiting the unit).
    public func list(unit: String, open: Bool, limit: Int, by actor: Actor) async throws -> [View] {
        let units = try await app.catalog.unitsByCode()
        guard units[unit] != nil else { throw ServiceError.invalid(field: "unit", message: "unknown unit \(unit)") }
        guard actor.has(.admin) || (actor.isOfficial && actor.unit.map { IndexService.scope($0, units: units).contains(unit) } == true) else {
            throw ServiceError.forbidden("the petitions of \(unit) are shown to its officials and those above it")
        }
        var out: [View] = []
        for r in try await PetitionStore.list(units: IndexService.scope(unit, units: units), open: open, limit: min(max(limit, 1), 500), on: app.database) {
            out.append(try await view(try PetitionStore.petition(from: r), proof: .account(actor), withEvents: false))
        }
        return out
    }

    /// Published answers, newest first, for the public page.
    public func published(limit: Int) async throws -> [View] {
        var out: [View] = []
        for r in try await PetitionStore.published(limit: min(max(limit, 1), 200), on: app.database) {
            out.append(try await view(try PetitionStore.petition(from: r), proof: .phone(""), withEvents: false))
        }
        return out
    }

    // MARK: Policy

    func isPetitioner(_ proof: Proof, of p: Petition) -> Bool {
        if case .phone(let phone) = proof { return PhoneNumber.same(p.petitioner.phone, phone) }
        return false
    }

    /// Officials of the petition's unit or a unit above it; administrators.
    func mayHandle(_ p: Petition, proof: Proof, units: [String: AdministrativeUnit]) -> Bool {
        guard case .account(let actor) = proof else { return false }
        if actor.has(.admin) { return true }
        guard actor.isOfficial, let own = actor.unit else { return false }
        return IndexService.scope(own, units: units).contains(p.unit)
    }

    func authorize(_ action: PetitionAction, on p: Petition, proof: Proof, units: [String: AdministrativeUnit]) throws {
        switch action {
        case .supplement:
            guard isPetitioner(proof, of: p) else {
                if case .account = proof { throw ServiceError.forbidden("the petitioner supplements a petition, with the phone number given") }
                throw ServiceError.notFound(what: "petition", key: p.code)
            }
        case .publish:
            guard mayHandle(p, proof: proof, units: units), case .account(let actor) = proof, actor.has(.leader) || actor.has(.admin) else {
                throw ServiceError.forbidden("the unit's leaders publish answers to petitions")
            }
        case .reject, .requestSupplement, .answer:
            guard mayHandle(p, proof: proof, units: units) else {
                if case .phone = proof { throw ServiceError.notFound(what: "petition", key: p.code) }
                throw ServiceError.forbidden("petition \(p.code) is handled by \(p.unit)'s officials")
            }
        }
    }

    func actorName(_ proof: Proof) -> String {
        switch proof {
        case .account(let a): a.username
        case .phone: "petitioner"
        }
    }

    func view(_ p: Petition, proof: Proof, withEvents: Bool) async throws -> View {
        let units = try await app.catalog.unitsByCode()
        let full = isPetitioner(proof, of: p) || mayHandle(p, proof: proof, units: units)
        let s = deadlines.schedule(of: p, calendar: app.calendar)
        var events: [View.Event]?
        if withEvents && full {
            events = try await PetitionStore.events(petitionId: p.id, on: app.database).map {
                View.Event(at: $0.date("at") ?? p.receivedAt, actor: $0.string("actor") ?? "", action: $0.string("action") ?? "", text: $0.string("text"))
            }
        }
        var allowed: [PetitionAction] = []
        if full {
            allowed = p.allowedActions.filter { (try? authorize($0, on: p, proof: proof, units: units)) != nil }
        }
        return View(
            code: p.code, unit: p.unit, petitionClass: p.petitionClass, dossierCode: full ? p.dossierCode : nil, official: full ? p.official : nil,
            petitioner: full ? p.petitioner : nil, content: p.content, status: p.status, statusText: p.status.vietnamese, receivedAt: p.receivedAt,
            answer: p.answer, answeredAt: p.answeredAt, publishedAt: p.publishedAt, likes: p.likes, dislikes: p.dislikes, recomplaintOf: p.recomplaintOf,
            recomplained: p.recomplained,
            deadlines: View.Deadlines(rejectBy: s.rejectBy, requestSupplementBy: s.requestSupplementBy, handleBy: s.handleBy, publishBy: s.publishBy, pending: s.pending(p)),
            onTime: PetitionIndexFacts.of(p, schedule: s).onTime(at: app.clock.now()), version: p.version, allowedActions: allowed, events: events)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
