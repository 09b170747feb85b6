// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A citizen's rating of how a dossier was handled (đánh giá mức độ hài lòng), given after the
/// result: satisfied or not with the handling time, the officers' attitude and the result, and
/// an optional comment. A dossier with any "not satisfied" costs points on indicator 5.4.
public struct DossierRating: Sendable, Hashable, Codable {
    public var timeOK: Bool
    public var attitudeOK: Bool
    public var resultOK: Bool
    public var comment: String?

    public static let maxComment = 1000

    public init(timeOK: Bool, attitudeOK: Bool, resultOK: Bool, comment: String?) {
        self.timeOK = timeOK
        self.attitudeOK = attitudeOK
        self.resultOK = resultOK
        let c = comment?.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        self.comment = (c?.isEmpty ?? true) ? nil : c
    }

    /// Satisfied on all three counts.
    public var satisfied: Bool { timeOK && attitudeOK && resultOK }

    /// What is wrong with it, for the field named; nil when it can be stored.
    public var problem: (field: String, message: String)? {
        if let c = comment, c.count > Self.maxComment { return ("comment", "at most \(Self.maxComment) characters (got \(c.count))") }
        return nil
    }

    /// A dossier is rated once its result is ready or returned.
    public static func mayRate(_ d: Dossier) -> Bool { d.status == .processed || d.status == .returned }
}
