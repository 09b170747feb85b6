// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Services
import Storage

/// A registered result as the API shows it (public fields only).
struct ResultDTO: Encodable {
    let id: String
    let dossierCode: String?
    let title: String
    let issuer: String
    let signers: [String]
    let status: String
    let sha256: String
    let issuedAt: String
    let statusChangedAt: String?
    let statusReason: String?
    let supersededBy: String?
    let url: String

    init(_ r: StoredResult, dossierCode: String?, publicURL: String) {
        id = r.id
        self.dossierCode = dossierCode
        title = r.title
        issuer = r.issuer
        signers = r.signers
        status = r.status.rawValue
        sha256 = r.sha256
        issuedAt = SharedFormat.iso(r.issuedAt)
        statusChangedAt = r.statusChangedAt.map(SharedFormat.iso)
        statusReason = r.statusReason
        supersededBy = r.supersededBy
        url = "\(publicURL)/ket-qua/\(r.id)"
    }
}

struct ResultDraftDTO: Encodable {
    struct Input: Encodable {
        let key: String
        let label: String
        let required: Bool
    }

    let template: String
    let inputs: [Input]
    let fields: [String: String]
    let missing: [String]
    let updatedAt: String?
    let updatedBy: String?

    init(_ d: ResultDraft) {
        template = d.template
        inputs = d.inputs.map { Input(key: $0.key, label: $0.label, required: $0.required) }
        fields = d.fields
        missing = d.missing
        updatedAt = d.updatedAt.map(SharedFormat.iso)
        updatedBy = d.updatedBy
    }
}

/// Electronic results: the draft, the signed PDF, the list, revocation, and the public status.
enum ResultRoutes {
    struct DraftBody: Decodable {
        let fields: [String: String]
    }

    struct RevokeBody: Decodable {
        let reason: String
    }

    static func register(_ on: On, app: MotCua) {
        on(.get, "/api/v1/dossiers/{code}/result") { _, ctx in
            let actor = try ctx.requireActor()
            let (pdf, r) = try await app.results.pdf(code: try ctx.path("code"), by: actor)
            var response = Download.response(pdf, type: "application/pdf", filename: "ket-qua-\(try ctx.path("code")).pdf", inline: true, sha256: r.sha256)
            response.headers[HTTPField.Name("X-Result-Id")!] = r.id
            return response
        }
        on(.get, "/api/v1/dossiers/{code}/results") { _, ctx in
            let actor = try ctx.requireActor()
            let code = try ctx.path("code")
            let list = try await app.results.list(code: code, by: actor)
            return try JSON.response(PageDTO(items: list.map { ResultDTO($0, dossierCode: code, publicURL: app.config.publicURL) }, nextCursor: nil))
        }
        on(.get, "/api/v1/dossiers/{code}/result/draft") { _, ctx in
            let actor = try ctx.requireActor()
            return try JSON.response(ResultDraftDTO(try await app.results.draft(code: try ctx.path("code"), by: actor)))
        }
        on(.put, "/api/v1/dossiers/{code}/result/draft") { req, ctx in
            let actor = try ctx.requireActor()
            let body = try await JSON.decode(DraftBody.self, from: req, context: ctx)
            return try JSON.response(ResultDraftDTO(try await app.results.putDraft(code: try ctx.path("code"), fields: body.fields, by: actor)))
        }
        on(.post, "/api/v1/dossiers/{code}/results/{id}/revoke") { req, ctx in
            let actor = try ctx.requireActor()
            let body = try await JSON.decode(RevokeBody.self, from: req, context: ctx)
            let code = try ctx.path("code")
            let r = try await app.results.revoke(code: code, resultId: try ctx.path("id"), reason: body.reason, by: actor)
            return try JSON.response(ResultDTO(r, dossierCode: code, publicURL: app.config.publicURL))
        }
        on(.get, "/api/v1/results/{id}") { _, ctx in
            let (r, code) = try await app.results.publicStatus(id: try ctx.path("id"))
            return try JSON.response(ResultDTO(r, dossierCode: code, publicURL: app.config.publicURL))
        }
    }
}
