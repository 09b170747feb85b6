// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The person or organisation a dossier belongs to (chủ hồ sơ).
public struct Applicant: Codable, Sendable, Hashable {
    public var idNumber: String
    public var fullName: String
    public var phone: String?
    public var email: String?
    public var address: String?
    public var kind: SubjectKind

    public init(idNumber: String, fullName: String, phone: String? = nil, email: String? = nil, address: String? = nil, kind: SubjectKind = .citizen) {
        self.idNumber = idNumber
        self.fullName = fullName
        self.phone = phone
        self.email = email
        self.address = address
        self.kind = kind
    }

    /// Whether `given` is the phone number on file: the last nine digits decide (0912… and
    /// +84912… are one number). The proof the public tracking page and ratings ask for.
    public func phoneMatches(_ given: String) -> Bool { PhoneNumber.same(phone, given) }
}

/// A dossier (hồ sơ): the state the lifecycle rules read and change.
public struct Dossier: Sendable, Hashable {
    public var id: String
    public var code: String
    public var procedureCode: String
    public var procedureVersion: Int
    public var processingTime: ProcessingTime
    public var cutoffMinute: Int?
    public var nonTerritorial: Bool
    public var channel: Channel
    public var status: DossierStatus
    public var stage: HandlingStage
    /// Where it was received (the dossier-code prefix).
    public var receivingUnit: String
    /// Who is competent to decide.
    public var competentUnit: String
    /// Who holds it now.
    public var handlingUnit: String
    public var assignee: String?
    public var applicant: Applicant
    /// Username of the citizen account that filed it online, if any.
    public var ownerUsername: String?
    public var subject: String
    public var submittedAt: Date
    public var receivedAt: Date?
    public var dueAt: Date?
    public var finishedAt: Date?
    public var returnedAt: Date?
    public var pausedAt: Date?
    public var pauseKind: PauseKind?
    public var statusBeforePause: DossierStatus?
    /// Minutes the clock stood still in total (supplement and payment requests).
    public var pausedMinutes: Int
    public var supplementCount: Int
    public var extensionCount: Int
    public var fee: Int
    public var paidAt: Date?
    /// Optimistic-concurrency version; every change increments it.
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, code: String, procedureCode: String, procedureVersion: Int, processingTime: ProcessingTime, cutoffMinute: Int?,
        nonTerritorial: Bool, channel: Channel, status: DossierStatus, stage: HandlingStage = .none, receivingUnit: String,
        competentUnit: String, handlingUnit: String, assignee: String? = nil, applicant: Applicant, ownerUsername: String? = nil,
        subject: String, submittedAt: Date, receivedAt: Date? = nil, dueAt: Date? = nil, finishedAt: Date? = nil,
        returnedAt: Date? = nil, pausedAt: Date? = nil, pauseKind: PauseKind? = nil, statusBeforePause: DossierStatus? = nil,
        pausedMinutes: Int = 0, supplementCount: Int = 0, extensionCount: Int = 0, fee: Int = 0, paidAt: Date? = nil,
        version: Int = 1, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.code = code
        self.procedureCode = procedureCode
        self.procedureVersion = procedureVersion
        self.processingTime = processingTime
        self.cutoffMinute = cutoffMinute
        self.nonTerritorial = nonTerritorial
        self.channel = channel
        self.status = status
        self.stage = stage
        self.receivingUnit = receivingUnit
        self.competentUnit = competentUnit
        self.handlingUnit = handlingUnit
        self.assignee = assignee
        self.applicant = applicant
        self.ownerUsername = ownerUsername
        self.subject = subject
        self.submittedAt = submittedAt
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.finishedAt = finishedAt
        self.returnedAt = returnedAt
        self.pausedAt = pausedAt
        self.pauseKind = pauseKind
        self.statusBeforePause = statusBeforePause
        self.pausedMinutes = pausedMinutes
        self.supplementCount = supplementCount
        self.extensionCount = extensionCount
        self.fee = fee
        self.paidAt = paidAt
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Overdue at `now`: past its due date and handling not ended (paused dossiers are not overdue).
    public func isOverdue(at now: Date) -> Bool {
        guard let due = dueAt, !status.endsHandling, pausedAt == nil else { return false }
        return now > due
    }

    /// Handling ended on or before the due date (766 indicator 2.1); nil while still open.
    public var finishedOnTime: Bool? {
        guard let end = finishedAt else { return nil }
        guard let due = dueAt else { return true }
        return end <= due && supplementCount <= 1
    }
}
