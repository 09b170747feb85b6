// SPDX-License-Identifier: Apache-2.0
import Documents
import Domain
import Foundation
import PDF
import Storage

/// A result rendered and signed before the approval's transaction, registered inside it.
struct PreparedResult: Sendable {
    let id: String
    let blob: BlobRef
    let template: String
    let title: String
    let issuer: String
    let signers: [String]
    let signedBy: String?
    let documentType: String?
}

/// What the specialist sees when drafting a result: the template's inputs and current values.
public struct ResultDraft: Sendable {
    public let template: String
    public let inputs: [ResultInput]
    public let fields: [String: String]
    /// Required inputs still empty: approval is refused until they are filled.
    public let missing: [String]
    public let updatedAt: Date?
    public let updatedBy: String?
}

/// Electronic results: drafted by the handling specialist, rendered from the procedure's template
/// and signed at approval (specialist, then leader), filed in the owner's warehouse, registered
/// with their hash so the QR on the paper opens a public page with the status.
public struct ResultService: Sendable {
    let app: MotCua

    /// The result template a dossier's procedure version names, if any.
    func template(for d: Dossier, _ procedure: Procedure) throws -> ResultTemplate? {
        guard let ref = procedure.version(number: d.procedureVersion)?.result?.template else { return nil }
        return try app.templates.result(ref)
    }

    /// The draft of a dossier's result (officials who may read the dossier).
    public func draft(code: String, by actor: Actor) async throws -> ResultDraft {
        let (d, procedure) = try await load(code)
        guard actor.isOfficial, DossierPolicy.canRead(d, by: actor) else { throw ServiceError.forbidden("you may not read the result draft of \(code)") }
        return try await view(d, procedure)
    }

    /// Saves the specialist's fields (merged over earlier ones; an empty value clears a field).
    public func putDraft(code: String, fields: [String: String], by actor: Actor) async throws -> ResultDraft {
        let now = app.clock.now()
        let (d, procedure) = try await load(code)
        guard (actor.has(.specialist) || actor.has(.leader)), actor.unit == d.handlingUnit else {
            throw ServiceError.forbidden("the result is drafted by the handling unit \(d.handlingUnit)'s specialists and leaders")
        }
        guard d.status == .processing, d.stage != .approved else {
            throw ServiceError.conflict(
                message: "the result of \(code) can be drafted while it is being handled and not yet approved", status: d.status,
                allowedActions: DossierPolicy.allowedActions(on: d, by: actor), currentVersion: d.version)
        }
        guard let t = try template(for: d, procedure) else {
            throw ServiceError.invalid(field: "template", message: "procedure \(procedure.code) issues no electronic result from a template; upload the result as component KQ")
        }
        let known = Set(t.inputs.map(\.key))
        for (k, v) in fields {
            guard known.contains(k) else {
                throw ServiceError.invalid(field: "fields.\(k)", message: "the template \(t.reference) has no input \(k); inputs are \(t.inputs.map(\.key).joined(separator: ", "))")
            }
            guard v.count <= 4000 else { throw ServiceError.invalid(field: "fields.\(k)", message: "at most 4000 characters") }
        }
        var merged = try await ResultStore.draft(dossierId: d.id, on: app.database)?.fields ?? [:]
        for (k, v) in fields {
            let trimmed = v.trimmingCharacters(in: .whitespacesAndNewlines)
            merged[k] = trimmed.isEmpty ? nil : trimmed
        }
        let final = merged
        try await app.database.transaction { tx in try await ResultStore.putDraft(dossierId: d.id, fields: final, at: now, by: actor.username, on: tx) }
        return try await view(d, procedure)
    }

    func view(_ d: Dossier, _ procedure: Procedure) async throws -> ResultDraft {
        guard let t = try template(for: d, procedure) else {
            throw ServiceError.notFound(what: "result template", key: "\(procedure.code) v\(d.procedureVersion)")
        }
        let stored = try await ResultStore.draft(dossierId: d.id, on: app.database)
        var fields = stored?.fields ?? [:]
        for i in t.inputs where fields[i.key] == nil { fields[i.key] = i.default }
        let missing = t.inputs.filter { $0.required && (fields[$0.key] ?? "").isEmpty }.map(\.key)
        return ResultDraft(template: t.reference, inputs: t.inputs, fields: fields, missing: missing, updatedAt: stored?.updatedAt, updatedBy: stored?.updatedBy)
    }

    /// Renders and signs the result of a dossier about to be approved by `actor`. Returns nil when
    /// the approval will fail anyway (its transaction reports why) or the procedure has no template.
    func prepareForApproval(code: String, expectedVersion: Int, by actor: Actor) async throws -> PreparedResult? {
        let now = app.clock.now()
        let (d, procedure) = try await load(code)
        guard d.version == expectedVersion, DossierPolicy.verdict(.approve, on: d, by: actor) == .allowed else { return nil }
        guard let t = try template(for: d, procedure), let result = procedure.version(number: d.procedureVersion)?.result else { return nil }
        let draft = try await view(d, procedure)
        if let first = draft.missing.first, let input = t.inputs.first(where: { $0.key == first }) {
            throw ServiceError.invalid(
                field: first,
                message: "the result needs \"\(input.label)\" before approval; the specialist fills it at PUT /api/v1/dossiers/\(code)/result/draft (missing: \(draft.missing.joined(separator: ", ")))")
        }
        let units = try await app.catalog.unitsByCode()
        let unit = units[d.handlingUnit]
        let id = Self.newId()
        var values = FormValues.common(d, procedure: procedure, unit: unit, units: units, publicURL: app.config.publicURL, date: now)
        for i in t.inputs { values[i.key] = draft.fields[i.key] ?? "" }
        if (values["result.number"] ?? "").isEmpty, t.inputs.contains(where: { $0.key == "result.number" }) { values["result.number"] = d.code }
        let forms = app.forms
        let leaderName = try await forms.fullName(of: actor.username)
        values["leader.fullName"] = leaderName
        values["specialist.fullName"] = try await forms.fullName(of: d.assignee)
        values["signer.title"] = FormService.signerTitle
        values["resultURL"] = "\(app.config.publicURL)/ket-qua/\(id)"
        var pdf = try TemplateRenderer.render(t.layout, values: values, tables: [:], fonts: try FormService.fonts.get(), creationDate: now)
        // Officer then leader: the specialist who prepared it, and the leader who approves it.
        var signers: [String] = []
        let location = unit?.name ?? d.handlingUnit
        if let specialist = d.assignee, specialist != actor.username,
            let signed = try await app.signatures.sign(pdf, as: specialist, reason: "Thẩm định kết quả hồ sơ \(d.code)", location: location)
        {
            pdf = signed
            signers.append(values["specialist.fullName"] ?? specialist)
        }
        var signedBy: String?
        if let signed = try await app.signatures.sign(pdf, as: actor.username, reason: "Phê duyệt kết quả hồ sơ \(d.code)", location: location) {
            pdf = signed
            signers.append(leaderName)
            signedBy = actor.username
        }
        let blob = try await DocumentService.store(pdf, app: app)
        return PreparedResult(
            id: id, blob: blob, template: t.reference, title: result.name, issuer: location, signers: signers, signedBy: signedBy,
            documentType: result.documentType)
    }

    /// Registers a prepared result in the approval's transaction: the KQ component, the result
    /// row (earlier results superseded) and the owner's warehouse.
    static func register(_ p: PreparedResult, dossier d: Dossier, by actor: Actor, at now: Date, on tx: any SQLExecutor) async throws {
        try await ComponentStore.recordBlob(sha256: p.blob.sha256, size: p.blob.size, mediaType: "application/pdf", at: now, on: tx)
        let component = try await ComponentStore.insertIssuedResult(
            id: TimeOrderedID.make(at: now), dossierId: d.id, componentCode: DocumentService.resultCode, blob: p.blob.sha256, size: p.blob.size,
            originalName: "ket-qua-\(d.code).pdf", at: now, by: actor.username, signedBy: p.signedBy, on: tx)
        try await ResultStore.insert(
            id: p.id, dossierId: d.id, componentId: component.id, sha256: p.blob.sha256, template: p.template, title: p.title, issuer: p.issuer,
            signers: p.signers, at: now, by: actor.username, on: tx)
        if let type = p.documentType {
            try await WarehouseStore.file(
                id: TimeOrderedID.make(at: now), owner: d.applicant.idNumber, type: type, title: p.title, issuer: p.issuer,
                issuedOn: VietnamTime.date(of: now), blob: p.blob.sha256, dossierId: d.id, componentId: component.id, at: now, on: tx)
        }
    }

    /// The latest valid result of a dossier as PDF bytes, for those who may read the dossier.
    public func pdf(code: String, by actor: Actor) async throws -> (Data, StoredResult) {
        let detail = try await app.dossiers.get(code: code, by: actor, purpose: "download-result")
        guard let r = try await ResultStore.results(dossierId: detail.dossier.id, on: app.database).first(where: { $0.status == .valid }) else {
            throw ServiceError.notFound(what: "electronic result", key: "\(code) (none issued yet; it is issued when a leader approves)")
        }
        return (try Data(contentsOf: try await app.blobs.localURL(r.sha256)), r)
    }

    /// Every result of a dossier (valid, superseded, revoked), newest first.
    public func list(code: String, by actor: Actor) async throws -> [StoredResult] {
        let (d, _) = try await load(code)
        guard DossierPolicy.canRead(d, by: actor) else { throw ServiceError.forbidden("you may not read dossier \(code)") }
        return try await ResultStore.results(dossierId: d.id, on: app.database)
    }

    /// Revokes a result (a leader of the handling unit, with the reason shown on the public page).
    public func revoke(code: String, resultId: String, reason: String, by actor: Actor) async throws -> StoredResult {
        try DossierService.requireSecondFactor(actor, app: app)
        let now = app.clock.now()
        let (d, _) = try await load(code)
        guard actor.has(.leader), actor.unit == d.handlingUnit else {
            throw ServiceError.forbidden("a result is revoked by a leader of the unit that issued it (\(d.handlingUnit))")
        }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw ServiceError.invalid(field: "reason", message: "say why the result is revoked; the public page shows it") }
        guard let r = try await ResultStore.result(id: resultId, on: app.database), r.dossierId == d.id else {
            throw ServiceError.notFound(what: "result", key: resultId)
        }
        let app = self.app
        let revoked = try await app.database.transaction { tx in
            try await IndexAggregates.lockDossier(d.id, on: tx)
            guard try await ResultStore.revoke(id: resultId, reason: why, at: now, on: tx) else { return false }
            try await IndexAggregates.refresh(dossierId: d.id, app: app, on: tx)  // 4.1, 4.2, 3.3 may lose it
            return true
        }
        guard revoked, let after = try await ResultStore.result(id: resultId, on: app.database) else {
            throw ServiceError.conflict(message: "result \(resultId) is \(r.status.rawValue), not valid", status: d.status, allowedActions: [], currentVersion: d.version)
        }
        return after
    }

    /// The public status of a result (no personal data): what the QR code on it opens.
    public func publicStatus(id: String) async throws -> (StoredResult, dossierCode: String) {
        guard id.count <= 64, let r = try await ResultStore.result(id: id, on: app.database),
            let code = try await app.database.first("SELECT code FROM dossiers WHERE id = ?", r.dossierId)?.string("code")
        else { throw ServiceError.notFound(what: "result", key: id) }
        return (r, code)
    }

    /// Registered results with exactly these bytes (for the public verification page).
    public func registered(sha256: String) async throws -> [StoredResult] {
        try await ResultStore.results(sha256: sha256, on: app.database)
    }

    func load(_ code: String) async throws -> (Dossier, Procedure) {
        guard let row = try await DossierStore.row(code: code, on: app.database) else { throw ServiceError.notFound(what: "dossier", key: code) }
        return try await DossierService.load(row, app: app)
    }

    /// 128 random bits, lowercase base32: unguessable, short enough for a QR code.
    static func newId() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        return String(RandomBytes.make(26).map { alphabet[Int($0 % 32)] })  // 256 is a multiple of 32: uniform
    }
}

/// What anyone holding a dossier's code and the phone number on file may see, without signing in.
public struct PublicTracking: Sendable {
    public let code: String
    public let procedureName: String
    public let status: DossierStatus
    public let receivingUnit: String
    public let handlingUnit: String
    public let receivedAt: Date?
    public let dueAt: Date?
    public let finishedAt: Date?
    public let returnedAt: Date?
    /// The valid electronic result's public id, once issued.
    public let resultId: String?
}

extension ResultService {
    /// Public tracking: the dossier's status when `phone` matches the one on file (digits only
    /// compared). Returns nil both for an unknown code and a wrong phone, so the page reveals
    /// nothing about which dossiers exist.
    public func track(code: String, phone: String) async throws -> PublicTracking? {
        guard code.count <= 40, phone.filter(\.isNumber).count >= 9, let row = try await DossierStore.row(code: code, on: app.database) else { return nil }
        let (d, procedure) = try await DossierService.load(row, app: app)
        guard d.applicant.phoneMatches(phone) else { return nil }
        let units = try await app.catalog.unitsByCode()
        let result = try await ResultStore.results(dossierId: d.id, on: app.database).first { $0.status == .valid }
        return PublicTracking(
            code: d.code, procedureName: procedure.name, status: d.status, receivingUnit: units[d.receivingUnit]?.name ?? d.receivingUnit,
            handlingUnit: units[d.handlingUnit]?.name ?? d.handlingUnit, receivedAt: d.receivedAt, dueAt: d.dueAt, finishedAt: d.finishedAt,
            returnedAt: d.returnedAt, resultId: result?.id)
    }
}
