// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What a petition is about (indicator 5.1 shows them by class).
public enum PetitionClass: String, Codable, Sendable, CaseIterable {
    /// About an administrative procedure or a dossier (về thủ tục hành chính).
    case procedure
    /// About an official's conduct or attitude (về hành vi, thái độ của cán bộ).
    case conduct

    public var vietnamese: String {
        switch self {
        case .procedure: "Về thủ tục hành chính"
        case .conduct: "Về hành vi, thái độ của cán bộ, công chức"
        }
    }

    public var english: String {
        switch self {
        case .procedure: "About a procedure or dossier"
        case .conduct: "About an official's conduct"
        }
    }
}

public enum PetitionStatus: String, Codable, Sendable, CaseIterable {
    /// Received, not yet decided.
    case received
    /// The petitioner was asked for more information; the handling clock is stopped.
    case awaitingSupplement = "awaiting-supplement"
    /// Not accepted for handling (outside competence, no content, duplicate…), with the reason.
    case rejected
    /// Answered; the answer is still to be published.
    case answered
    /// The answer is public.
    case published

    public var vietnamese: String {
        switch self {
        case .received: "Đã tiếp nhận"
        case .awaitingSupplement: "Chờ bổ sung thông tin"
        case .rejected: "Từ chối xử lý"
        case .answered: "Đã trả lời"
        case .published: "Đã công khai kết quả"
        }
    }
}

public enum PetitionAction: String, Codable, Sendable, CaseIterable {
    case reject
    case requestSupplement = "request-supplement"
    /// By the petitioner: the information asked for.
    case supplement
    case answer
    case publish
}

/// Who sent a petition. A phone number is required so the answer and any supplement request
/// can reach them, and so they alone can supplement, vote on the answer or complain again.
public struct Petitioner: Sendable, Hashable, Codable {
    public var fullName: String
    public var phone: String
    public var email: String?

    public init(fullName: String, phone: String, email: String? = nil) {
        self.fullName = fullName
        self.phone = phone
        self.email = email
    }
}

/// A petition or piece of feedback (phản ánh, kiến nghị, PAKN) about a procedure, a dossier or
/// an official, handled by one unit against its own deadlines (`PetitionDeadlines`).
public struct Petition: Sendable, Hashable {
    public var id: String
    public var code: String
    /// The unit that must handle it (the dossier's competent unit, or the official's unit).
    public var unit: String
    public var petitionClass: PetitionClass
    public var dossierCode: String?
    /// The username of the official it is about.
    public var official: String?
    public var petitioner: Petitioner
    public var content: String
    public var status: PetitionStatus
    public var receivedAt: Date
    public var supplementRequestedAt: Date?
    public var supplementedAt: Date?
    public var rejectedAt: Date?
    public var answeredAt: Date?
    public var publishedAt: Date?
    /// The reason of a rejection, the question of a supplement request, or the answer.
    public var answer: String?
    public var likes: Int
    public var dislikes: Int
    /// The earlier petition this one complains about again (khiếu nại lại).
    public var recomplaintOf: String?
    /// Someone complained again about how this one was handled.
    public var recomplained: Bool
    public var version: Int

    public static let maxContent = 4000
    public static let maxAnswer = 8000

    public init(
        id: String, code: String, unit: String, petitionClass: PetitionClass, dossierCode: String? = nil, official: String? = nil,
        petitioner: Petitioner, content: String, status: PetitionStatus = .received, receivedAt: Date, supplementRequestedAt: Date? = nil,
        supplementedAt: Date? = nil, rejectedAt: Date? = nil, answeredAt: Date? = nil, publishedAt: Date? = nil, answer: String? = nil,
        likes: Int = 0, dislikes: Int = 0, recomplaintOf: String? = nil, recomplained: Bool = false, version: Int = 1
    ) {
        self.id = id
        self.code = code
        self.unit = unit
        self.petitionClass = petitionClass
        self.dossierCode = dossierCode
        self.official = official
        self.petitioner = petitioner
        self.content = content
        self.status = status
        self.receivedAt = receivedAt
        self.supplementRequestedAt = supplementRequestedAt
        self.supplementedAt = supplementedAt
        self.rejectedAt = rejectedAt
        self.answeredAt = answeredAt
        self.publishedAt = publishedAt
        self.answer = answer
        self.likes = likes
        self.dislikes = dislikes
        self.recomplaintOf = recomplaintOf
        self.recomplained = recomplained
        self.version = version
    }

    /// The code of a petition received by `unit` on `day`: `PAKN-{unit}-{yyMMdd}-{NNNN}`.
    public static func code(unit: String, day: LocalDate, sequence: Int) -> String {
        "PAKN-" + DossierCode.make(agency: unit, date: day, sequence: sequence)
    }

    /// The actions open in the current status (who may take them is the services' policy).
    public var allowedActions: [PetitionAction] {
        switch status {
        // The petitioner is asked for more information once (the deadline is for one request).
        case .received: supplementRequestedAt == nil ? [.reject, .requestSupplement, .answer] : [.reject, .answer]
        case .awaitingSupplement: [.supplement, .reject]
        case .answered: [.publish]
        case .rejected, .published: []
        }
    }

    public enum RuleError: Error, Equatable, Sendable {
        case wrongStatus(action: PetitionAction, status: PetitionStatus, allowed: [PetitionAction])
        case invalidInput(field: String, message: String)
    }

    /// The petition after `action` at `now`. `text` is the rejection reason, the question, the
    /// petitioner's supplement or the answer (publishing needs none).
    public func applying(_ action: PetitionAction, text: String?, at now: Date) throws(RuleError) -> Petition {
        guard allowedActions.contains(action) else { throw .wrongStatus(action: action, status: status, allowed: allowedActions) }
        let t = text?.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if action != .publish {
            guard !t.isEmpty else {
                let what = [PetitionAction.reject: "the reason for not handling it", .requestSupplement: "what the petitioner must add",
                            .supplement: "the information asked for", .answer: "the answer"][action] ?? "a text"
                throw .invalidInput(field: "text", message: "\(what) is required")
            }
            guard t.count <= Self.maxAnswer else { throw .invalidInput(field: "text", message: "at most \(Self.maxAnswer) characters (got \(t.count))") }
        }
        var p = self
        p.version += 1
        switch action {
        case .reject:
            p.status = .rejected
            p.rejectedAt = now
            p.answer = t
        case .requestSupplement:
            p.status = .awaitingSupplement
            p.supplementRequestedAt = now
            p.answer = t
        case .supplement:
            p.status = .received
            p.supplementedAt = now
            p.content += "\n\n[Bổ sung] " + t
            p.answer = nil
        case .answer:
            p.status = .answered
            p.answeredAt = now
            p.answer = t
        case .publish:
            p.status = .published
            p.publishedAt = now
        }
        return p
    }

    /// What is wrong with a new petition, for the field named; nil when it can be stored.
    public var problem: (field: String, message: String)? {
        if petitioner.fullName.trimmingCharacters(in: .whitespaces).isEmpty { return ("petitioner.fullName", "the petitioner's name is required") }
        if !PhoneNumber.isValid(petitioner.phone) { return ("petitioner.phone", "a phone number (9–11 digits, optionally starting with +84) is required") }
        let c = content.trimmingCharacters(in: .whitespacesAndNewlines)
        if c.isEmpty { return ("content", "the content of the petition is required") }
        if c.count > Self.maxContent { return ("content", "at most \(Self.maxContent) characters (got \(c.count))") }
        if petitionClass == .conduct, official == nil, dossierCode == nil {
            return ("official", "a petition about conduct names the official or the dossier")
        }
        return nil
    }
}
