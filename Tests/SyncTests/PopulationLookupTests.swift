// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Simulators
import Storage
import Testing

/// Look-ups in the population database at reception, against its simulator, on both databases.
@Suite("Population look-up at reception")
struct PopulationLookupTests {
    static let unit = TestApp.tanLap

    static func withPopulation(_ db: TestDB, _ body: @Sendable (MotCua, PopulationSimulator) async throws -> Void) async throws {
        try await TestApp.with(db) { t in
            let sim = try PopulationSimulator(configuration: .init(people: 100, logLevel: .warning))
            let url = try await sim.start()
            var config = t.app.config
            config.populationURL = url.absoluteString
            config.populationClientId = "motcua"
            config.populationClientSecret = "motcua-secret"
            let app = MotCua(config: config, database: t.app.database, calendar: t.app.calendar, blobs: t.app.blobs, clock: t.app.clock)
            do { try await body(app, sim) } catch {
                await sim.stop()
                throw error
            }
            await sim.stop()
        }
    }

    @Test("the officer looks the applicant up, the dossier records it, both sides log who and why; bad numbers, strangers and an outage are clear", arguments: TestDB.available)
    func lookUp(db: TestDB) async throws {
        try await Self.withPopulation(db) { app, sim in
            let officer = TestApp.officer(Self.unit)
            let found = try await app.population.lookUp(idNumber: "001190012345", dossierCode: nil, by: officer)
            #expect(found.record.fullName == "Phạm Thị Hoa" && found.record.sex == .female)
            // The dossier is created from the pre-filled data and tied to the look-up.
            let applicant = Applicant(idNumber: found.record.idNumber, fullName: found.record.fullName, phone: "0912345678", address: found.record.currentAddress.oneLine())
            let d = try await app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: Self.unit, applicant: applicant, populationLookupId: found.lookupId), by: officer)
            #expect(try await app.population.verified(code: d.dossier.code))
            // The simulator logged the purpose and the officer; MotCua logged it too.
            let logged = await sim.lookups().last
            #expect(logged?.purpose == PopulationService.purpose && logged?.official == officer.username && logged?.idNumber == "001190012345")
            #expect(try await app.database.first("SELECT COUNT(*) AS n FROM personal_data_access WHERE id_number = ? AND purpose = ?", "001190012345", PopulationService.purpose)?.int("n") == 1)
            // A look-up id cannot be reused for another dossier, nor by someone else.
            await #expect(throws: ServiceError.self) {
                try await app.dossiers.create(
                    IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: Self.unit, applicant: applicant, populationLookupId: found.lookupId), by: officer)
            }
            // Errors: invalid number, nobody, citizens may not look people up, and the database down.
            let before = await sim.lookups().count
            do { _ = try await app.population.lookUp(idNumber: "001990012345", dossierCode: nil, by: officer); Issue.record("expected invalid") } catch ServiceError.invalid(let field, _) {
                #expect(field == "idNumber")
            }
            #expect(await sim.lookups().count == before)  // refused before any call
            do { _ = try await app.population.lookUp(idNumber: "001090099999", dossierCode: nil, by: officer); Issue.record("expected not found") } catch ServiceError.notFound {}
            await #expect(throws: ServiceError.self) { try await app.population.lookUp(idNumber: "001190012345", dossierCode: nil, by: TestApp.citizen) }
            try await sim.setFaults(PopulationFaults(outageSeconds: 600))
            do { _ = try await app.population.lookUp(idNumber: "001190012345", dossierCode: nil, by: officer); Issue.record("expected unavailable") } catch ServiceError.unavailable(let m) {
                #expect(m.contains("type the applicant's data"))
            }
            // Received anyway, typed by hand: not verified.
            let typed = try await app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: Self.unit, applicant: applicant), by: officer)
            #expect(try await app.population.verified(code: typed.dossier.code) == false)
        }
    }
}
