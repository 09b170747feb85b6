// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// A dossier as a caller sees it: the state, the procedure it follows, and what the caller may do next.
public struct DossierDetail: Sendable {
    public let dossier: Dossier
    public let procedureName: String
    public let allowedActions: [DossierAction]
    public let events: [StoredEvent]?
}

/// One page of a dossier list.
public struct DossierPage: Sendable {
    public let items: [DossierDetail]
    public let nextCursor: String?
}

/// The dossier use cases. Each change is one transaction: new state (optimistic version),
/// its hash-chained event, the portal-sync mark (the outbox, one row per dossier), and the index aggregates.
public struct DossierService: Sendable {
    let app: MotCua

    /// Opens a dossier (online submission, or reception at the window or by post).
    /// Receiving, deciding and signing are done by officials signed in at level 2 (the second
    /// factor, or single sign-on at level 2), unless the province turned it off
    /// (`MOTCUA_SECOND_FACTOR=optional`). Citizens file and supplement with their own sign-in.
    static func requireSecondFactor(_ actor: Actor, app: MotCua) throws {
        guard app.config.secondFactorRequired, actor.isOfficial, actor.assurance < 2 else { return }
        throw ServiceError.forbidden(
            "this needs a sign-in with the second factor: sign in again with the code of your authenticator app (set it up on your account page /tai-khoan or at /api/v1/me/second-factor), or through single sign-on at level 2")
    }

    public func create(_ r: IntakeRequest, by actor: Actor) async throws -> DossierDetail {
        try Self.requireSecondFactor(actor, app: app)
        let now = app.clock.now()
        let procedure: Procedure
        do { procedure = try await app.catalog.procedure(code: r.procedureCode) } catch ServiceError.notFound {
            throw ServiceError.invalid(field: "procedureCode", message: "unknown procedure \(r.procedureCode)")
        }
        let units = try await app.catalog.unitsByCode()
        guard units[r.receivingUnit] != nil else {
            throw ServiceError.invalid(field: "receivingUnit", message: "unknown unit \(r.receivingUnit)")
        }
        let calendar = app.calendar
        let id = TimeOrderedID.make(at: now)
        let day = VietnamTime.date(of: now)
        let dossier = try await app.database.transaction { tx in
            let seq = try await DossierStore.nextSequence(agency: r.receivingUnit, day: DossierCode.dayKey(day), on: tx)
            let code = DossierCode.make(agency: r.receivingUnit, date: day, sequence: seq)
            let t: Transition
            do {
                t = try DossierIntake.open(r, procedure: procedure, units: units, by: actor, id: id, code: code, at: now, calendar: calendar)
            } catch let e as LifecycleError { throw ServiceError.from(e) }
            let event = Self.event(t, by: actor, at: now, after: nil)
            // The day's counter row is locked from here to COMMIT, for every reception of this
            // unit: the writes below go in one trip (PostgreSQL), not one each.
            try await tx.batchingWrites { tx in
                try await DossierStore.insert(t.after, chain: event.tip, on: tx)
                try await Self.record(event, t, at: now, on: tx)
                try await SearchStore.put(dossierId: t.after.id, text: Self.searchText(t.after, procedure), on: tx)
                if let lookup = r.populationLookupId {
                    try await PopulationService.link(lookupId: lookup, to: code, idNumber: r.applicant.idNumber, by: actor, at: now, on: tx)
                }
                // A new dossier has no documents, result, portal record or index entry yet.
                var inputs = DossierIndexInputs(
                    populationLookup: r.populationLookupId != nil, resultRequired: IndexAggregates.resultRequired(t.after, procedure))
                if t.after.receivedAt != nil { inputs.receivedBy = actor.username }  // received at the window, by this officer
                try await IndexAggregates.refresh(t.after, procedure: procedure, app: app, opened: inputs, on: tx)
            }
            return t.after
        }
        return DossierDetail(dossier: dossier, procedureName: procedure.name, allowedActions: DossierPolicy.allowedActions(on: dossier, by: actor), events: nil)
    }

    /// Takes an action on a dossier the caller read at `expectedVersion`.
    public func act(code: String, action: DossierAction, input: ActionInput, expectedVersion: Int, by actor: Actor) async throws -> DossierDetail {
        try Self.requireSecondFactor(actor, app: app)
        let now = app.clock.now()
        let calendar = app.calendar
        let units = try await app.catalog.unitsByCode()
        let app = self.app
        // The electronic result is rendered and signed before the transaction (signing is slow
        // CPU work that must not hold the writer), and registered inside it with the approval.
        let prepared = action == .approve ? try await app.results.prepareForApproval(code: code, expectedVersion: expectedVersion, by: actor) : nil
        let result: (Dossier, String) = try await app.database.transaction { tx in
            guard let row = try await DossierStore.row(code: code, on: tx) else { throw ServiceError.notFound(what: "dossier", key: code) }
            let (d, procedure) = try await Self.load(row, app: app)
            // Forbidden before stale: a stranger learns nothing about the dossier's version.
            if DossierPolicy.verdict(action, on: d, by: actor) == .forbidden {
                throw ServiceError.from(.forbidden(action: action, reason: DossierLifecycle.forbiddenReason(action, d, actor)))
            }
            guard d.version == expectedVersion else {
                throw ServiceError.conflict(
                    message: "dossier \(code) changed since you read it (your version \(expectedVersion), current \(d.version)); reload and retry",
                    status: d.status, allowedActions: DossierPolicy.allowedActions(on: d, by: actor), currentVersion: d.version)
            }
            let t: Transition
            do {
                t = try DossierLifecycle.apply(action, input: input, to: d, by: actor, at: now, calendar: calendar)
            } catch let e as LifecycleError { throw ServiceError.from(e, version: d.version) }
            try await Self.checkReferences(t, input: input, units: units, on: tx)
            let event = Self.event(t, by: actor, at: now, after: DossierStore.chainTip(of: row))
            guard try await DossierStore.update(t.after, expectedVersion: d.version, chain: event.tip, on: tx) else {
                let current = try await DossierStore.row(code: code, on: tx)?.int("version")
                throw ServiceError.conflict(
                    message: "dossier \(code) was changed by someone else at the same time; reload and retry", status: d.status,
                    allowedActions: DossierPolicy.allowedActions(on: d, by: actor), currentVersion: current)
            }
            try await Self.record(event, t, at: now, on: tx)
            if let p = prepared { try await ResultService.register(p, dossier: t.after, by: actor, at: now, on: tx) }
            try await IndexAggregates.refresh(t.after, imported: IndexAggregates.isImported(row), procedure: procedure, app: app, on: tx)
            return (t.after, procedure.name)
        }
        return DossierDetail(dossier: result.0, procedureName: result.1, allowedActions: DossierPolicy.allowedActions(on: result.0, by: actor), events: nil)
    }

    /// Reads one dossier with its events. Reading personal data is logged with its purpose.
    public func get(code: String, by actor: Actor, purpose: String = "view-dossier") async throws -> DossierDetail {
        let now = app.clock.now()
        guard let row = try await DossierStore.row(code: code, on: app.database) else { throw ServiceError.notFound(what: "dossier", key: code) }
        let (d, procedure) = try await Self.load(row, app: app)
        guard DossierPolicy.canRead(d, by: actor) else { throw ServiceError.forbidden("you may not read dossier \(code)") }
        if actor.isOfficial || actor.has(.client) {
            try await AccountStore.logPersonalDataAccess(
                id: TimeOrderedID.make(at: now), at: now, actor: actor.username, dossierCode: d.code, idNumber: d.applicant.idNumber,
                purpose: purpose, on: app.database)
        }
        let events = try await DossierStore.events(dossierId: d.id, on: app.database)
        return DossierDetail(dossier: d, procedureName: procedure.name, allowedActions: DossierPolicy.allowedActions(on: d, by: actor), events: events)
    }

    /// Lists dossiers the caller may see. Officials see their unit's; administrators all; citizens their own.
    public func list(_ q: DossierQuery, by actor: Actor) async throws -> DossierPage {
        var q = q
        q.limit = min(max(q.limit, 1), 200)
        if actor.has(.admin) {
            // Administrators oversee the whole province.
        } else if actor.isOfficial || actor.allows(.dossiersRead), let unit = actor.unit {
            q.scopeUnit = unit
        } else if actor.has(.citizen), let idn = actor.idNumber {
            q.scopeIdNumber = idn
        } else {
            return DossierPage(items: [], nextCursor: nil)
        }
        let query = q
        // The workbench list: on the standby when there is one and it has the reader's writes.
        let (rows, next) = try await app.reading { db in try await query.run(on: db) }
        var items: [DossierDetail] = []
        items.reserveCapacity(rows.count)
        for r in rows {
            let code = try r.require("procedure_code")
            let p = try await app.catalog.procedure(code: code)
            let d = try Self.map(r, procedure: p)
            items.append(DossierDetail(dossier: d, procedureName: p.name, allowedActions: DossierPolicy.allowedActions(on: d, by: actor), events: nil))
        }
        return DossierPage(items: items, nextCursor: next?.token)
    }

    /// The words a dossier is found by (its files' OCR text is appended as it arrives).
    static func searchText(_ d: Dossier, _ p: Procedure) -> String {
        "\(d.code) \(d.applicant.fullName) \(d.applicant.idNumber) \(d.applicant.phone ?? "") \(p.code) \(p.name)"
    }

    /// Rebuilds the search index from the source tables (dossiers and their files' OCR text);
    /// the result equals what intake and digitization maintain incrementally. Returns the count.
    @discardableResult
    public func rebuildSearchIndex(progress: @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        var after = ""
        var count = 0
        while true {
            let rows = try await app.database.query("SELECT * FROM dossiers WHERE id > ? ORDER BY id LIMIT 1000", [.text(after)])
            guard let last = rows.last else { break }
            var texts: [(String, String)] = []
            for r in rows {
                let p = try await app.catalog.procedure(code: try r.require("procedure_code"))
                let d = try Self.map(r, procedure: p)
                var text = Self.searchText(d, p)
                for t in try await app.database.query(
                    "SELECT ocr_text FROM dossier_components WHERE dossier_id = ? AND ocr_text IS NOT NULL ORDER BY uploaded_at, id", [.text(d.id)])
                {
                    text += " " + (t.string("ocr_text") ?? "")
                }
                texts.append((d.id, text))
            }
            let batch = texts
            try await app.database.transaction { tx in
                for (id, text) in batch { try await SearchStore.put(dossierId: id, text: text, on: tx) }
            }
            count += rows.count
            progress(count)
            after = try last.require("id")
        }
        return count
    }

    /// Officers' search: code, applicant, ID number, phone, procedure and OCR text, folded
    /// (diacritics, case, đ), best matches first, limited to what the caller may see.
    public func search(_ q: String, by actor: Actor, limit: Int) async throws -> [DossierDetail] {
        let scopeUnit = actor.has(.admin) ? nil : actor.unit
        guard actor.has(.admin) || scopeUnit != nil else { return [] }
        var out: [DossierDetail] = []
        let rows = try await app.reading { db in try await SearchStore.search(q, scopeUnit: scopeUnit, scopeIdNumber: nil, limit: limit, on: db) }
        for r in rows {
            let p = try await app.catalog.procedure(code: try r.require("procedure_code"))
            let d = try Self.map(r, procedure: p)
            out.append(DossierDetail(dossier: d, procedureName: p.name, allowedActions: DossierPolicy.allowedActions(on: d, by: actor), events: nil))
        }
        return out
    }

    static func map(_ r: Row, procedure: Procedure) throws -> Dossier {
        var d = try DossierStore.dossier(from: r, version: procedure.version(number: r.int("procedure_version") ?? 1))
        d.nonTerritorial = procedure.nonTerritorial
        return d
    }

    static func load(_ row: Row, app: MotCua) async throws -> (Dossier, Procedure) {
        let p = try await app.catalog.procedure(code: try row.require("procedure_code"))
        return (try map(row, procedure: p), p)
    }

    /// Checks what the Domain cannot see: that named units and people exist and fit.
    static func checkReferences(_ t: Transition, input: ActionInput, units: [String: AdministrativeUnit], on tx: any SQLExecutor) async throws {
        if t.after.handlingUnit != t.before?.handlingUnit, units[t.after.handlingUnit] == nil {
            throw ServiceError.invalid(field: "toUnit", message: "unknown unit \(t.after.handlingUnit)")
        }
        if let who = input.assignee, t.after.assignee == who {
            guard let u = try await AccountStore.user(who, on: tx), u.roles.contains(.specialist) || u.roles.contains(.leader),
                u.unit == t.after.handlingUnit
            else {
                throw ServiceError.invalid(field: "assignee", message: "\(who) is not a specialist of \(t.after.handlingUnit)")
            }
        }
    }

    /// The event of a transition, chained to the dossier's previous event.
    static func event(_ t: Transition, by actor: Actor, at now: Date, after tip: DossierStore.ChainTip?) -> StoredEvent {
        let seq = (tip?.seq ?? 0) + 1
        let prev = tip?.hash ?? EventChain.genesis
        let e = t.event
        let hash = EventChain.hash(prev: prev, seq: seq, at: now, actor: actor.username, action: e.action, from: e.fromStatus, to: e.toStatus, note: e.note, data: e.data)
        return StoredEvent(
            id: TimeOrderedID.make(at: now), seq: seq, at: now, actor: actor.username, actorUnit: actor.unit, action: e.action,
            fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, data: e.data, prevHash: prev, hash: hash)
    }

    /// Writes the event and the portal-sync mark of a transition, in its transaction (the index
    /// aggregates follow once everything the change brings is written).
    static func record(_ event: StoredEvent, _ t: Transition, at now: Date, on tx: any SQLExecutor) async throws {
        let d = t.after
        try await DossierStore.insert(event: event, dossierId: d.id, on: tx)
        if t.effects.contains(.syncToPortal) {
            try await PortalSyncStore.markChanged(dossierId: d.id, code: d.code, version: d.version, at: now, on: tx)
        }
    }
}
