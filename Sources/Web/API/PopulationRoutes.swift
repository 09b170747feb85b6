// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services

/// A person as the population database returned them, to pre-fill the applicant.
struct PopulationDTO: Encodable {
    struct AddressDTO: Encodable {
        let provinceCode: String
        let communeCode: String
        let detail: String
        let oneLine: String
    }

    let lookupId: String
    let idNumber: String
    let fullName: String
    let birthDate: String
    let sex: String
    let nationality: String
    let ethnicity: String
    let permanentAddress: AddressDTO
    let currentAddress: AddressDTO
    let isHouseholdHead: Bool

    init(_ l: PopulationLookup) {
        let r = l.record
        func address(_ a: PopulationRecord.Address) -> AddressDTO {
            AddressDTO(provinceCode: a.provinceCode, communeCode: a.communeCode, detail: a.detail, oneLine: a.oneLine())
        }
        lookupId = l.lookupId
        idNumber = r.idNumber
        fullName = r.fullName
        birthDate = r.birthDate.description
        sex = r.sex.vietnameseName
        nationality = r.nationality
        ethnicity = r.ethnicity
        permanentAddress = address(r.permanentAddress)
        currentAddress = address(r.currentAddress)
        isHouseholdHead = r.isHouseholdHead
    }
}

enum PopulationRoutes {
    static func register(_ on: On, app: MotCua) {
        on(.get, "/api/v1/population/{idNumber}") { req, ctx in
            let actor = try ctx.requireActor()
            let lookup = try await app.population.lookUp(idNumber: try ctx.path("idNumber"), dossierCode: req.query("dossier"), by: actor)
            return try JSON.response(PopulationDTO(lookup))
        }
    }
}
