// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// Petitions and feedback (phản ánh, kiến nghị; indicators 5.1–5.4). Filing, supplementing and
/// voting are open to the petitioner without an account (the phone number given is the proof);
/// handling is for the unit's officials.
enum PetitionRoutes {
    struct ActionBody: Decodable {
        let action: PetitionAction
        let text: String?
        let expectedVersion: Int?
        /// The petitioner's proof when supplementing without an account.
        let phone: String?
    }

    struct VoteBody: Decodable {
        let vote: PetitionService.Vote
        let phone: String?
    }

    /// The caller's account, or else the phone number they gave.
    static func proof(_ ctx: AppContext, phone: String?) throws -> PetitionService.Proof {
        if let u = ctx.user { return .account(u.actor) }
        guard let phone, !phone.isEmpty else { throw Problem.invalid("phone", "sign in, or give the phone number the petition was sent with") }
        return .phone(phone)
    }

    static func register(_ on: On, app: MotCua) {
        on(.post, "/api/v1/petitions") { req, ctx in
            let body = try await JSON.decode(PetitionService.Request.self, from: req, context: ctx)
            let p = try await app.petitions.file(body, proof: try proof(ctx, phone: body.petitioner.phone))
            var r = try JSON.response(p, status: .created)
            r.headers[.location] = "/api/v1/petitions/\(p.code)"
            return r
        }
        on(.get, "/api/v1/petitions") { req, ctx in
            let actor = try ctx.requireActor()
            guard let unit = req.query("unit") ?? actor.unit else { throw Problem.invalid("unit", "name the unit (an agency code)") }
            let limit = try req.query("limit").map { v -> Int in
                guard let n = Int(v), (1...500).contains(n) else { throw Problem.invalid("limit", "limit must be 1…500") }
                return n
            } ?? 100
            let open = req.query("open").map { $0 == "true" || $0 == "1" } ?? false
            return try JSON.response(PageDTO(items: try await app.petitions.list(unit: unit, open: open, limit: limit, by: actor), nextCursor: nil))
        }
        on(.get, "/api/v1/petitions/published") { req, _ in
            let limit = Int(req.query("limit") ?? "") ?? 50
            return try JSON.response(PageDTO(items: try await app.petitions.published(limit: limit), nextCursor: nil))
        }
        on(.get, "/api/v1/petitions/{code}") { req, ctx in
            let phone = req.headers[HTTPField.Name("X-Petitioner-Phone")!] ?? ""
            let proof: PetitionService.Proof = ctx.user.map { .account($0.actor) } ?? .phone(phone)
            return try JSON.response(try await app.petitions.get(code: try ctx.path("code"), proof: proof))
        }
        on(.post, "/api/v1/petitions/{code}/actions") { req, ctx in
            let body = try await JSON.decode(ActionBody.self, from: req, context: ctx)
            let p = try await app.petitions.act(
                code: try ctx.path("code"), action: body.action, text: body.text, expectedVersion: body.expectedVersion, proof: try proof(ctx, phone: body.phone))
            return try JSON.response(p)
        }
        on(.post, "/api/v1/petitions/{code}/votes") { req, ctx in
            let body = try await JSON.decode(VoteBody.self, from: req, context: ctx)
            return try JSON.response(try await app.petitions.vote(code: try ctx.path("code"), body.vote, proof: try proof(ctx, phone: body.phone)))
        }
    }
}
