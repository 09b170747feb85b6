// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Actions on an existing dossier, by their API names.
public enum DossierAction: String, Codable, Sendable, CaseIterable {
    case receive
    case refuse
    case requestSupplement = "request-supplement"
    case supplement
    case assign
    case transfer
    case requestPayment = "request-payment"
    case recordPayment = "record-payment"
    case approve
    case finish
    case returnResult = "return-result"
    case withdraw
    case stop
    case extend
}

/// What the caller adds to an action. Which fields are required depends on the action.
public struct ActionInput: Sendable, Hashable {
    public var note: String?
    /// Why: required to refuse, request a supplement, stop or extend (it goes on the form).
    public var reason: String?
    /// Specialist username (assign by a leader).
    public var assignee: String?
    /// Target unit (transfer between agencies, liên thông).
    public var toUnit: String?
    /// New appointment (extend, Mẫu 04).
    public var newDueAt: Date?
    /// Amount to pay in VND (request payment); defaults to the procedure's fees.
    public var amount: Int?

    public init(note: String? = nil, reason: String? = nil, assignee: String? = nil, toUnit: String? = nil, newDueAt: Date? = nil, amount: Int? = nil) {
        self.note = note
        self.reason = reason
        self.assignee = assignee
        self.toUnit = toUnit
        self.newDueAt = newDueAt
        self.amount = amount
    }
}

/// Why an action cannot happen.
public enum LifecycleError: Error, Equatable, Sendable {
    /// The actor may take this action in general, but not in the dossier's current status.
    case wrongStatus(action: DossierAction, status: DossierStatus, allowed: [DossierAction])
    /// The actor's role or unit does not permit this action on this dossier.
    case forbidden(action: DossierAction, reason: String)
    /// A field of the input is missing or invalid.
    case invalidInput(field: String, message: String)
}

/// The audit record of one change, before it gets its place in the hash chain.
public struct EventDraft: Sendable, Hashable {
    public let action: String
    public let fromStatus: DossierStatus?
    public let toStatus: DossierStatus
    public let note: String?
    public let data: [String: String]
}

/// What else must happen in the same transaction as the change.
public enum Effect: Sendable, Hashable {
    /// Mark the dossier for delivery so the portal receives the new state.
    case syncToPortal
    /// The legal clock starts (reception).
    case startClock
    /// The legal clock stops.
    case stopClock(PauseKind)
    /// The legal clock runs again; the due date moved.
    case resumeClock(addedMinutes: Int)
    /// Tell the applicant (receipt, supplement request, result ready).
    case notifyApplicant
}

/// The outcome of a decision: the new state, its audit event and its effects.
public struct Transition: Sendable {
    public let before: Dossier?
    public let after: Dossier
    public let event: EventDraft
    public let effects: [Effect]
}
