// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The time limits of a petition, in working days (DOMAIN.md §1, indicator 5.2): decide not to
/// handle it within 2, ask for more information within 5, answer within 15, publish the answer
/// within 2 after answering. Shipped with the methodology (`766.json`), so a province can follow
/// a changed regulation without code.
public struct PetitionDeadlines: Codable, Sendable, Hashable {
    public var reject: Int
    public var requestSupplement: Int
    public var handle: Int
    public var publish: Int

    public init(reject: Int = 2, requestSupplement: Int = 5, handle: Int = 15, publish: Int = 2) {
        self.reject = reject
        self.requestSupplement = requestSupplement
        self.handle = handle
        self.publish = publish
    }

    /// When each step is due for `p`. Counting starts at reception (the next working moment, as
    /// for dossiers); the time spent waiting for the petitioner's information is not counted
    /// against the unit [R]: the decision and answer deadlines move by the working time the
    /// clock was stopped, as a dossier's due date does.
    public func schedule(of p: Petition, calendar: WorkingCalendar) -> PetitionSchedule {
        func due(_ days: Int, from t: Date) -> Date { calendar.dueDate(receivedAt: t, time: ProcessingTime(amount: days, unit: .workingDays)).dueAt }
        var rejectBy = due(reject, from: p.receivedAt)
        var handleBy = due(handle, from: p.receivedAt)
        // The wait ends when the petitioner answers, or when the unit gives up on it and rejects.
        if let asked = p.supplementRequestedAt, let resumed = p.supplementedAt ?? p.rejectedAt, resumed >= asked {
            rejectBy = calendar.resume(dueAt: rejectBy, pausedAt: asked, resumedAt: resumed, unit: .workingDays).dueAt
            handleBy = calendar.resume(dueAt: handleBy, pausedAt: asked, resumedAt: resumed, unit: .workingDays).dueAt
        }
        return PetitionSchedule(
            rejectBy: rejectBy, requestSupplementBy: due(requestSupplement, from: p.receivedAt), handleBy: handleBy,
            publishBy: p.answeredAt.map { due(publish, from: $0) })
    }
}

/// The due instants of one petition's steps.
public struct PetitionSchedule: Sendable, Hashable {
    public let rejectBy: Date
    public let requestSupplementBy: Date
    public let handleBy: Date
    /// Known once answered.
    public let publishBy: Date?

    /// Every step taken so far was taken in time.
    public func stepsOnTime(_ p: Petition) -> Bool {
        if let t = p.rejectedAt, t > rejectBy { return false }
        if let t = p.supplementRequestedAt, t > requestSupplementBy { return false }
        if let t = p.answeredAt, t > handleBy { return false }
        if let t = p.publishedAt, let by = publishBy, t > by { return false }
        return true
    }

    /// The deadline the unit is running against now: the answer while it is being handled, the
    /// publication once answered; none while the petitioner owes information or when it is done.
    public func pending(_ p: Petition) -> Date? {
        switch p.status {
        case .received: handleBy
        case .answered: publishBy
        case .awaitingSupplement, .rejected, .published: nil
        }
    }
}

/// What one petition contributes to the index (5.1–5.4), kept on its row so the counts are
/// one indexed query per period and unit. Lateness of an open petition depends on the moment
/// asked, so it is stored as the instant it turns late.
public struct PetitionIndexFacts: Sendable, Hashable {
    public let period: IndexPeriod
    /// Every step so far in time (5.2 counts it on time if also not past `lateAfter`).
    public let stepsOnTime: Bool
    /// The pending deadline: late once the moment asked is past it.
    public let lateAfter: Date?
    /// More dislikes than likes on the answer, or complained about again (5.3).
    public let unsatisfied: Bool

    public static func of(_ p: Petition, deadlines: PetitionDeadlines, calendar: WorkingCalendar) -> PetitionIndexFacts {
        of(p, schedule: deadlines.schedule(of: p, calendar: calendar))
    }

    /// The facts from a schedule already computed.
    public static func of(_ p: Petition, schedule s: PetitionSchedule) -> PetitionIndexFacts {
        PetitionIndexFacts(
            period: .month(of: p.receivedAt), stepsOnTime: s.stepsOnTime(p), lateAfter: s.pending(p),
            unsatisfied: p.dislikes > p.likes || p.recomplained)
    }

    /// On time when asked at `cutoff` (5.2).
    public func onTime(at cutoff: Date) -> Bool { stepsOnTime && (lateAfter.map { $0 >= cutoff } ?? true) }

    /// Counts as handled to the petitioner's satisfaction at `cutoff` (5.3): on time, not
    /// disliked, not complained about again.
    public func satisfactory(at cutoff: Date) -> Bool { onTime(at: cutoff) && !unsatisfied }
}
