// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Level of government competent for a procedure after the 2025 two-level reform.
public enum ProcedureLevel: String, Codable, Sendable, CaseIterable {
    case province
    case commune
}

/// Online service level (Decree 42/2022): full-process, partial, or not online.
public enum OnlineLevel: String, Codable, Sendable {
    case full
    case partial
    case none
}

/// Kinds of applicants a procedure serves.
public enum SubjectKind: String, Codable, Sendable {
    case citizen
    case enterprise
    case organization
}

/// A field (lĩnh vực) of procedures.
public struct ProcedureField: Codable, Sendable, Hashable {
    public let code: String
    public let name: String
    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }

}

/// A fee or charge (phí, lệ phí) in integer VND.
public struct Fee: Codable, Sendable, Hashable {
    public let code: String
    public let name: String
    public let amount: Int
    public let note: String?

    public init(code: String, name: String, amount: Int, note: String? = nil) {
        self.code = code
        self.name = name
        self.amount = amount
        self.note = note
    }
}

/// Whether a component is an original, a certified copy or a plain copy.
public enum ComponentForm: String, Codable, Sendable {
    case original
    case certifiedCopy = "certified-copy"
    case copy

    /// As forms write it ("Hình thức" column of Mẫu 01 and Mẫu 02).
    public var vietnameseName: String {
        switch self {
        case .original: "Bản chính"
        case .certifiedCopy: "Bản sao chứng thực"
        case .copy: "Bản sao"
        }
    }
}

/// A required dossier component (thành phần hồ sơ).
public struct RequiredComponent: Codable, Sendable, Hashable {
    public let code: String
    public let name: String
    public let documentType: String
    public let form: ComponentForm
    public let count: Int
    public let required: Bool
    /// May be taken from the citizen's data warehouse or a national database instead of paper.
    public let reusable: Bool

    public init(code: String, name: String, documentType: String, form: ComponentForm, count: Int, required: Bool, reusable: Bool) {
        self.code = code
        self.name = name
        self.documentType = documentType
        self.form = form
        self.count = count
        self.required = required
        self.reusable = reusable
    }
}

/// The result a procedure issues.
public struct ProcedureResult: Codable, Sendable, Hashable {
    public let name: String
    /// True when the law calls for a written result (drives 766 indicator 4.1).
    public let paper: Bool
    /// The document type the result is filed under in the owner's data warehouse, so a later
    /// dossier asking for that type can reuse it (e.g. "birth-certificate", "land-certificate").
    public let documentType: String?
    /// The template the electronic result is generated from, as `<id>@<version>` (a file
    /// `templates/results/<id>.v<version>.json`); a new template version goes with a new procedure
    /// version, so dossiers pinned to the old one still render as issued.
    public let template: String?

    public init(name: String, paper: Bool, documentType: String? = nil, template: String? = nil) {
        self.name = name
        self.paper = paper
        self.documentType = documentType
        self.template = template
    }
}

/// One version of a procedure as published; a dossier pins the version in force at reception.
public struct ProcedureVersion: Codable, Sendable, Hashable {
    public let version: Int
    public let effectiveFrom: LocalDate
    public let decision: String?
    public let processingTime: ProcessingTime
    public let onlineProcessingTime: ProcessingTime?
    /// "HH:mm": dossiers received at or after this time count from the next working day.
    public let cutoffTime: String?
    public let onlineLevel: OnlineLevel
    public let fees: [Fee]
    public let components: [RequiredComponent]
    public let result: ProcedureResult?

    /// Minute of day of the cut-off, if any.
    public var cutoffMinute: Int? {
        guard let t = cutoffTime else { return nil }
        return ClockTime.minute(of: t)
    }

    /// Total fees in VND.
    public var totalFee: Int { fees.reduce(0) { $0 + $1.amount } }

    /// The processing time that applies to a channel.
    public func processingTime(for channel: Channel) -> ProcessingTime {
        channel == .online ? (onlineProcessingTime ?? processingTime) : processingTime
    }

    public init(version: Int, effectiveFrom: LocalDate, decision: String? = nil, processingTime: ProcessingTime, onlineProcessingTime: ProcessingTime? = nil, cutoffTime: String? = nil, onlineLevel: OnlineLevel, fees: [Fee], components: [RequiredComponent], result: ProcedureResult? = nil) {
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.decision = decision
        self.processingTime = processingTime
        self.onlineProcessingTime = onlineProcessingTime
        self.cutoffTime = cutoffTime
        self.onlineLevel = onlineLevel
        self.fees = fees
        self.components = components
        self.result = result
    }
}

/// An administrative procedure (thủ tục hành chính) with its versions.
public struct Procedure: Codable, Sendable, Hashable {
    /// National code in the National TTHC Database, e.g. "1.001193".
    public let code: String
    public let name: String
    public let field: ProcedureField
    public let level: ProcedureLevel
    /// Who is competent: "commune" or "department:<sector>".
    public let authority: String
    public let subjects: [SubjectKind]
    /// May be received at any branch of the province regardless of administrative boundary.
    public let nonTerritorial: Bool
    public let versions: [ProcedureVersion]

    /// The version in force on a date: the latest whose effective date is not after it.
    public func version(on date: LocalDate) -> ProcedureVersion? {
        versions.filter { $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
    }

    public func version(number: Int) -> ProcedureVersion? { versions.first { $0.version == number } }

    public init(code: String, name: String, field: ProcedureField, level: ProcedureLevel, authority: String, subjects: [SubjectKind], nonTerritorial: Bool, versions: [ProcedureVersion]) {
        self.code = code
        self.name = name
        self.field = field
        self.level = level
        self.authority = authority
        self.subjects = subjects
        self.nonTerritorial = nonTerritorial
        self.versions = versions
    }
}

/// "HH:mm" parsing shared by catalog and configuration.
public enum ClockTime {
    public static func minute(of text: String) -> Int? {
        let p = text.split(separator: ":")
        guard p.count == 2, p[0].count <= 2, p[1].count == 2, let h = Int(p[0]), let m = Int(p[1]), (0...23).contains(h),
            (0...59).contains(m)
        else { return nil }
        return h * 60 + m
    }

    public static func text(_ minute: Int) -> String { "\(Digits.pad(minute / 60, 2)):\(Digits.pad(minute % 60, 2))" }
}
