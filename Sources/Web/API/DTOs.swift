// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Services
import Storage

/// The dossier as the API shows it. Instants are ISO 8601 in Vietnam time (+07:00).
struct DossierDTO: Encodable {
    struct ApplicantDTO: Encodable {
        let idNumber: String
        let fullName: String
        let phone: String?
        let email: String?
        let address: String?
        let kind: String
    }

    struct EventDTO: Encodable {
        let seq: Int
        let at: String
        let actor: String
        let actorUnit: String?
        let action: String
        let fromStatus: Int?
        let toStatus: Int
        let note: String?
        let data: [String: String]
        let hash: String
    }

    let id: String
    let code: String
    let procedureCode: String
    let procedureName: String
    let procedureVersion: Int
    let channel: String
    let status: Int
    let statusName: String
    let stage: String
    let receivingUnit: String
    let competentUnit: String
    let handlingUnit: String
    let assignee: String?
    let applicant: ApplicantDTO
    let subject: String
    let submittedAt: String
    let receivedAt: String?
    let dueAt: String?
    let finishedAt: String?
    let returnedAt: String?
    let clockStopped: Bool
    let pauseKind: String?
    let supplementCount: Int
    let extensionCount: Int
    let fee: Int
    let paidAt: String?
    let overdue: Bool
    let version: Int
    let allowedActions: [String]
    let events: [EventDTO]?

    /// `fullPersonalData` is false in lists: the ID number is masked there and shown in full
    /// only on the detail view, whose reading is logged.
    init(_ x: DossierDetail, now: Date, fullPersonalData: Bool) {
        let d = x.dossier
        func iso(_ t: Date?) -> String? { t.map(SharedFormat.iso) }
        id = d.id
        code = d.code
        procedureCode = d.procedureCode
        procedureName = x.procedureName
        procedureVersion = d.procedureVersion
        channel = d.channel.rawValue
        status = d.status.rawValue
        statusName = d.status.vietnameseName
        stage = d.stage.rawValue
        receivingUnit = d.receivingUnit
        competentUnit = d.competentUnit
        handlingUnit = d.handlingUnit
        assignee = d.assignee
        applicant = ApplicantDTO(
            idNumber: fullPersonalData ? d.applicant.idNumber : PersonalID.masked(d.applicant.idNumber), fullName: d.applicant.fullName,
            phone: fullPersonalData ? d.applicant.phone : nil, email: fullPersonalData ? d.applicant.email : nil,
            address: fullPersonalData ? d.applicant.address : nil, kind: d.applicant.kind.rawValue)
        subject = d.subject
        submittedAt = SharedFormat.iso(d.submittedAt)
        receivedAt = iso(d.receivedAt)
        dueAt = iso(d.dueAt)
        finishedAt = iso(d.finishedAt)
        returnedAt = iso(d.returnedAt)
        clockStopped = d.pausedAt != nil
        pauseKind = d.pauseKind?.rawValue
        supplementCount = d.supplementCount
        extensionCount = d.extensionCount
        fee = d.fee
        paidAt = iso(d.paidAt)
        overdue = d.isOverdue(at: now)
        version = d.version
        allowedActions = x.allowedActions.map(\.rawValue)
        events = x.events?.map {
            EventDTO(
                seq: $0.seq, at: SharedFormat.iso($0.at), actor: $0.actor, actorUnit: $0.actorUnit, action: $0.action,
                fromStatus: $0.fromStatus?.rawValue, toStatus: $0.toStatus.rawValue, note: $0.note, data: $0.data, hash: $0.hash)
        }
    }
}

/// `POST /api/v1/dossiers` body.
struct CreateDossierBody: Decodable {
    struct ApplicantBody: Decodable {
        let idNumber: String
        let fullName: String
        let phone: String?
        let email: String?
        let address: String?
        let kind: SubjectKind?
    }

    let procedureCode: String
    let channel: Channel
    let receivingUnit: String
    let competentUnit: String?
    let applicant: ApplicantBody
    /// The id of the population-database look-up that pre-filled the applicant, if any.
    let populationLookupId: String?
    let subject: String?

    var request: IntakeRequest {
        IntakeRequest(
            procedureCode: procedureCode, channel: channel, receivingUnit: receivingUnit, competentUnit: competentUnit,
            applicant: Applicant(
                idNumber: applicant.idNumber, fullName: applicant.fullName, phone: applicant.phone, email: applicant.email,
                address: applicant.address, kind: applicant.kind ?? .citizen), subject: subject, populationLookupId: populationLookupId)
    }
}

/// `POST /api/v1/dossiers/{code}/actions/{action}` body.
struct ActionBody: Decodable {
    let version: Int
    let note: String?
    let reason: String?
    let assignee: String?
    let toUnit: String?
    let newDueAt: String?
    let amount: Int?

    func input() throws -> ActionInput {
        var due: Date?
        if let s = newDueAt {
            guard let d = SharedFormat.parseWithOffset(s) else {
                throw Problem.invalid("newDueAt", "must be ISO 8601 with an offset, e.g. 2026-12-01T09:00:00+07:00 (got \"\(s)\")")
            }
            due = d
        }
        return ActionInput(note: note, reason: reason, assignee: assignee, toUnit: toUnit, newDueAt: due, amount: amount)
    }
}

/// Page wrapper for lists.
struct PageDTO<Item: Encodable>: Encodable {
    let items: [Item]
    let nextCursor: String?
}

/// `/api/v1/me`.
struct MeDTO: Encodable {
    let username: String
    let fullName: String
    let roles: [String]
    let unit: String?
    /// The token's assurance: 1 password, 2 password and second factor.
    let assurance: Int
    let secondFactor: Bool
}

/// A procedure in lists and detail: the catalog entry plus the version in force today.
struct ProcedureDTO: Encodable {
    let code: String
    let name: String
    let field: ProcedureField
    let level: String
    let authority: String
    let subjects: [String]
    let nonTerritorial: Bool
    let current: ProcedureVersion?
    let versions: [ProcedureVersion]?

    init(_ p: Procedure, today: LocalDate, withVersions: Bool) {
        code = p.code
        name = p.name
        field = p.field
        level = p.level.rawValue
        authority = p.authority
        subjects = p.subjects.map(\.rawValue)
        nonTerritorial = p.nonTerritorial
        current = p.version(on: today)
        versions = withVersions ? p.versions : nil
    }
}
