// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// What a look-up returned, with the id that ties it to the dossier created from it.
public struct PopulationLookup: Sendable {
    /// The access-log entry of this look-up; pass it as `populationLookupId` when creating the
    /// dossier, so the dossier records that its applicant was verified in the population database.
    public let lookupId: String
    public let record: PopulationRecord
}

/// Identity look-up in the national population database at reception (`specs/population-db.md`):
/// the officer types or scans the ID number, MotCua asks the database (with purpose, officer
/// and dossier), shows and pre-fills the applicant, and logs the look-up on its side too. When
/// the database is down the officer types the data and the dossier says it was not verified.
public struct PopulationService: Sendable {
    let app: MotCua

    /// The purpose recorded for look-ups at reception (both sides log it). ASCII on purpose:
    /// header values travel percent-encoded otherwise.
    public static let purpose = "tiep-nhan-ho-so"
    /// How long a look-up may back a new dossier.
    static let linkWindow: TimeInterval = 2 * 3600

    public var isEnabled: Bool { app.config.populationURL != nil }

    func client() -> PopulationClient? {
        guard let s = app.config.populationURL, let url = URL(string: s) else { return nil }
        return PopulationClient(configuration: .init(baseURL: url, clientId: app.config.populationClientId, clientSecret: app.config.populationClientSecret, timeout: 20))
    }

    /// Looks a person up for an official of a reception or handling unit. Errors: `.invalid`
    /// (not a valid number), `.notFound`, and `.unavailable` when the database cannot answer
    /// (the officer then types the data).
    public func lookUp(idNumber: String, dossierCode: String?, by actor: Actor) async throws -> PopulationLookup {
        guard actor.isOfficial, actor.unit != nil else { throw ServiceError.forbidden("population look-ups are for officials receiving or handling dossiers") }
        // A malformed number is refused here, before any call leaves the province.
        if let problem = PersonalID.validate(idNumber, currentYear: VietnamTime.date(of: app.clock.now()).year) {
            throw ServiceError.invalid(field: "idNumber", message: problem.message)
        }
        guard let client = client() else {
            throw ServiceError.unavailable("the population database is not connected (POPULATION_URL is not set); type the applicant's data")
        }
        if let code = dossierCode {
            _ = try await app.dossiers.get(code: code, by: actor, purpose: "population-lookup")
        }
        let now = app.clock.now()
        let record: PopulationRecord
        do {
            record = try await client.lookUp(idNumber: idNumber, purpose: Self.purpose, official: actor.username, dossier: dossierCode)
        } catch let e as PopulationError {
            switch e {
            case .invalidNumber(let m): throw ServiceError.invalid(field: "idNumber", message: m)
            case .notFound: throw ServiceError.notFound(what: "person in the population database", key: PersonalID.masked(idNumber))
            default: throw ServiceError.unavailable("the population database cannot answer now (\(e)); type the applicant's data, the dossier will say it was not verified")
            }
        }
        let id = TimeOrderedID.make(at: now)
        try await AccountStore.logPersonalDataAccess(
            id: id, at: now, actor: actor.username, dossierCode: dossierCode, idNumber: record.idNumber, purpose: Self.purpose, on: app.database)
        return PopulationLookup(lookupId: id, record: record)
    }

    /// Ties a look-up made before the dossier existed to it, in the dossier's creating transaction.
    static func link(lookupId: String, to code: String, idNumber: String, by actor: Actor, at now: Date, on tx: any SQLExecutor) async throws {
        let linked = try await AccountStore.linkPersonalDataAccess(
            id: lookupId, dossierCode: code, actor: actor.username, idNumber: idNumber, purpose: purpose, since: now.addingTimeInterval(-linkWindow), at: now, on: tx)
        guard linked else {
            throw ServiceError.invalid(
                field: "populationLookupId", message: "no recent look-up \(lookupId) by you for this ID number; look the applicant up again or leave it out")
        }
    }

    /// Whether a dossier's applicant was verified in the population database.
    public func verified(code: String) async throws -> Bool {
        try await app.database.first("SELECT COUNT(*) AS n FROM personal_data_access WHERE dossier_code = ? AND purpose = ?", code, Self.purpose)?.int("n") ?? 0 > 0
    }
}
