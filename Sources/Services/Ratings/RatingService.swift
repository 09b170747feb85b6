// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// Citizens rate how their dossier was handled once the result is ready: signed in as the
/// owner, or on the public tracking page with the phone number given at filing (the same proof
/// the tracking page asks). The rating and the index move in one transaction (5.4).
public struct RatingService: Sendable {
    let app: MotCua

    /// Who is rating: the owner's account, or the phone number on file.
    public enum Proof: Sendable {
        case owner(Actor)
        case phone(String)
    }

    public func rate(code: String, _ rating: DossierRating, proof: Proof) async throws -> DossierRating {
        if let p = rating.problem { throw ServiceError.invalid(field: p.field, message: p.message) }
        let now = app.clock.now()
        let app = self.app
        return try await app.database.transaction { tx in
            guard let row = try await IndexAggregates.lockedRow(code: code, on: tx) else { throw ServiceError.notFound(what: "dossier", key: code) }
            let (d, procedure) = try await DossierService.load(row, app: app)
            let via: String
            switch proof {
            case .owner(let actor):
                guard actor.has(.citizen), DossierPolicy.isOwner(d, actor) else { throw ServiceError.forbidden("only the applicant rates a dossier") }
                via = "account"
            case .phone(let phone):
                guard d.applicant.phoneMatches(phone) else { throw ServiceError.notFound(what: "dossier", key: code) }
                via = "tracking-page"
            }
            guard DossierRating.mayRate(d) else {
                throw ServiceError.invalid(field: "code", message: "dossier \(code) is \(d.status.vietnameseName); it can be rated once its result is ready")
            }
            try await RatingStore.put(dossierId: d.id, rating, via: via, at: now, on: tx)
            try await IndexAggregates.refresh(d, imported: IndexAggregates.isImported(row), procedure: procedure, app: app, on: tx)
            return rating
        }
    }

    /// The rating of a dossier: its owner and the officials who may read the dossier.
    public func rating(code: String, by actor: Actor) async throws -> (DossierRating, ratedAt: Date)? {
        guard let row = try await DossierStore.row(code: code, on: app.database) else { throw ServiceError.notFound(what: "dossier", key: code) }
        let (d, _) = try await DossierService.load(row, app: app)
        guard DossierPolicy.canRead(d, by: actor) else { throw ServiceError.forbidden("you may not read dossier \(code)") }
        return try await RatingStore.rating(dossierId: d.id, on: app.database)
    }
}
