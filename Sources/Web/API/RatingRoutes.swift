// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services

struct RatingDTO: Codable {
    let timeOk: Bool
    let attitudeOk: Bool
    let resultOk: Bool
    let comment: String?
    var satisfied: Bool?
    var ratedAt: String?
}

/// A citizen's rating of a handled dossier (indicator 5.4).
enum RatingRoutes {
    static func register(_ on: On, app: MotCua) {
        on(.put, "/api/v1/dossiers/{code}/rating") { req, ctx in
            let actor = try ctx.requireActor()
            let body = try await JSON.decode(RatingDTO.self, from: req, context: ctx)
            let r = try await app.ratings.rate(
                code: try ctx.path("code"), DossierRating(timeOK: body.timeOk, attitudeOK: body.attitudeOk, resultOK: body.resultOk, comment: body.comment),
                proof: .owner(actor))
            return try JSON.response(RatingDTO(timeOk: r.timeOK, attitudeOk: r.attitudeOK, resultOk: r.resultOK, comment: r.comment, satisfied: r.satisfied))
        }
        on(.get, "/api/v1/dossiers/{code}/rating") { _, ctx in
            let actor = try ctx.requireActor()
            let code = try ctx.path("code")
            guard let (r, at) = try await app.ratings.rating(code: code, by: actor) else { throw Problem.from(.notFound(what: "rating of dossier", key: code)) }
            return try JSON.response(
                RatingDTO(timeOk: r.timeOK, attitudeOk: r.attitudeOK, resultOk: r.resultOK, comment: r.comment, satisfied: r.satisfied, ratedAt: SharedFormat.iso(at)))
        }
    }
}
